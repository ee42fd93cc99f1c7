import os, sys, json; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from ref import *  # run from the case folder
o = load('data/orders.csv'); p = load('data/payments.csv')
M = 60000
def key(r): return None if r['order_id'] == '' else int(r['order_id'])
t = lambda r: ms(r['ts'])
out, late = run(o, p, key, key, t, t, -10*M, 10*M, 0, True, True)
print("full late", late)
rows = []
for l, r in out:
    rows.append((int(l['order_id']) if l else None, l['customer'] if l else None, int(r['pay_id']) if r else None, r['method'] if r else None))
# ORDER BY p.pay_id, order_id (ascending; NULLs first? checked against the engine's documented NULL order below)
NULLS_FIRST = False  # SortOperator: NULLs last ascending
def k(v): return (0 if v is None else 1, v if v is not None else 0) if NULLS_FIRST else (1 if v is None else 0, v if v is not None else 0)
rows.sort(key=lambda r: (k(r[2]), k(r[0])))
with open('expected/out/reconciled.csv', 'w') as f:
    f.write("order_id,customer,pay_id,method\n")
    for r in rows:
        f.write(",".join("" if v is None else str(v) for v in r) + "\n")
out, late = run(o, p, key, key, t, t, -10*M, 10*M, 0, False, True)
print("right late", late)
with open('expected/out/paid.json', 'w') as f:
    for l, r in out:
        f.write(json.dumps({"pay_id": int(r['pay_id']), "customer": l['customer'] if l else None}, separators=(',', ':')) + "\n")
