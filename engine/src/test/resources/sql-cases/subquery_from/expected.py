# Computes expected/out/*.json for this case independently of the engine.
import csv, json, os
from decimal import Decimal

ticks = [dict(id=int(r['id']), sym=r['sym'], px=Decimal(r['px']), qty=int(r['qty']) if r['qty'] else None, ts=int(r['ts']))
         for r in csv.DictReader(open('data/ticks.csv'))]
watch = {r['sym']: (None if r['active'] == '' else r['active'] == 'true') for r in csv.DictReader(open('data/watchlist.csv'))}

def out(name, rows):
    os.makedirs('expected/out', exist_ok=True)
    with open('expected/out/' + name + '.json', 'w') as f:
        for r in rows:
            f.write(json.dumps({k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}, separators=(',', ':')) + '\n')

def mul(a, b):
    return None if a is None or b is None else a * b

big, failed = [], []
for t in ticks:
    if t['qty'] is not None and t['qty'] > 4:
        if t['qty'] == 5:
            failed.append(t['id'])  # 100 / (qty - 5) divides by zero: the record fails in the inner projection
            continue
        n = mul(t['px'], t['qty'])
        if n is not None and n > 1000:
            big.append(dict(id=t['id'], notional=n, unit=100 // (t['qty'] - 5)))  # BIGINT division (positive operands)
out('big', big)
print('big failed ids', failed)
bars = {}
for t in ticks:
    s = t['sym'].upper()
    if watch.get(s) is True:
        k = (t['ts'] // 10000 * 10000, s)
        n, tot = bars.get(k, (0, None))
        v = mul(t['px'], t['qty'])
        bars[k] = (n + 1, tot if v is None else (v if tot is None else tot + v))
def iso(ms):
    return '1970-01-01T00:00:%02d.000Z' % (ms // 1000)
out('bars', [dict(sym=s, n=n, total=tot, ws=iso(ws)) for (ws, s), (n, tot) in sorted(bars.items())])
out('joined', [dict(id=t['id'], s=t['sym'].upper(), active=watch.get(t['sym'].upper())) for t in ticks if t['id'] != 2])
out('starred', [dict(id=t['id'], q2=t['qty'] * 2) for t in ticks if t['qty'] is not None and t['qty'] * 2 >= 100])
