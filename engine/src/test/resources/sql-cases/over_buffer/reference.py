"""Computes expected/out/buffered.json from data/quotes.csv: each aggregate over the symbol's last 3 rows
(the current one included), in input order. Run: python3 reference.py data/quotes.csv"""
import csv, json, sys
from decimal import Decimal, ROUND_HALF_UP

hist = {}
for r in csv.DictReader(open(sys.argv[1])):
    p = Decimal(r['price']); h = hist.setdefault(r['symbol'], []); h.append(p)
    buf = h[-3:]
    print(json.dumps({'symbol': r['symbol'], 'seq': int(r['seq']), 'price': str(p),
                      'avg3': str((sum(buf) / len(buf)).quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP)),
                      'hi3': str(max(buf)), 'n3': len(buf), 'back2': str(h[-3]) if len(h) >= 3 else None,
                      'drift3': str(p - buf[0])}, separators=(',', ':')))
