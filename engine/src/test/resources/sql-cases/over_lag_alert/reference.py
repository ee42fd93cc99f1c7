"""Computes expected/out/alerts.json from data/ticks.csv by the definition of LAG (run: python3 reference.py data/ticks.csv)."""
import csv, json, sys
from decimal import Decimal
def dumps(o): return json.dumps(o, separators=(",", ":"))
import csv
rows = [r for r in csv.DictReader(open(sys.argv[1])) if Decimal(r['price']) > 0]
prev = {}
out = []
for r in rows:   # no look-ahead: input order
    p = Decimal(r['price']); hist = prev.setdefault(r['sym'], [])
    lag1 = hist[-1] if hist else None
    lag2 = hist[-2] if len(hist) >= 2 else Decimal('0.00')
    chg = None if lag1 is None else p - lag1
    alert = 'FLAT' if chg is None else 'UP' if chg >= 1 else 'DOWN' if chg <= -1 else 'FLAT'
    out.append(dumps({'sym': r['sym'], 'ts': r['ts'], 'price': str(p), 'chg': None if chg is None else str(chg.quantize(Decimal('0.01'))),
                      'alert': alert, 'prev2': str(lag2)}))
    hist.append(p)
print('\n'.join(out))
