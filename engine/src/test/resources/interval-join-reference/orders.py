import os, sys, json; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from ref import *  # run from the case folder
o = load('data/orders.csv'); s = load('data/shipments.csv')
H = 3600000; M = 60000
def key(r): return None if r['order_id'] == '' else int(r['order_id'])
t = lambda r: ms(r['ts'])
out, late = run(o, s, key, key, t, t, 0, H, 5*M, False, False)
print("shipped late", late)
with open('expected/out/shipped.json', 'w') as f:
    for l, r in out:
        f.write(json.dumps({"order_id": int(l['order_id']), "customer": l['customer'], "ship_id": int(r['ship_id']),
                            "carrier": r['carrier'] or None}, separators=(',', ':')) + "\n")
out, late = run(o, s, key, key, t, t, 0, H, 5*M, True, False)
print("status late", late, "rows", len(out))
with open('expected/out/order_status.json', 'w') as f:
    for l, r in out:
        if not float(l['amount']) > 2: continue
        f.write(json.dumps({"order_id": int(l['order_id']), "amount": l['amount'], "ship_id": int(r['ship_id']) if r else None,
                            "unshipped": r is None}, separators=(',', ':')) + "\n")
