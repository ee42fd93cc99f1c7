"""Computes expected/out/moving.json from data/trades.csv: each frame by its definition over the whole
symbol's ticks, and the documented emission order (a tick goes on once the next tick of its symbol and a
tick of a later instant have arrived; the end flushes the rest symbol by symbol).
Run: python3 reference.py data/trades.csv"""
import csv, json, sys
from datetime import datetime
from decimal import Decimal, ROUND_HALF_UP

rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    r['px'] = Decimal(r['px']); r['qty'] = int(r['qty'])
    r['t'] = int(datetime.strptime(r['ts'], '%Y-%m-%dT%H:%M:%S.%f%z').timestamp() * 1000)
parts = {}
for i, r in enumerate(rows):
    r['n'] = len(parts.setdefault(r['sym'], []))
    parts[r['sym']].append(r)

def q6(d): return str(d.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP))

def values(r):
    p = parts[r['sym']]; n = r['n']
    last3 = p[max(0, n - 2):n + 1]
    within = [x for x in p if r['t'] - 2000 <= x['t'] <= r['t']]
    centred = p[max(0, n - 1):n + 2]
    return {'sym': r['sym'], 'ts': r['ts'], 'px': str(r['px']),
            'ma3': q6(sum(x['px'] for x in last3) / len(last3)), 'sum3': str(sum(x['px'] for x in last3)),
            'n3': len(last3), 'lo3': str(min(x['px'] for x in last3)),
            'cum_qty': sum(x['qty'] for x in p[:n + 1]),
            'notional_2s': str(sum(x['px'] * x['qty'] for x in within)),
            'centred': q6(sum(x['px'] for x in centred) / len(centred))}

# emission: row d of a symbol is complete when row d+1 arrived and some arrived row has a later instant
seen = {}; done = {}; order = []; out = []
def complete(s, d):
    got = seen[s]
    return len(got) - 1 - d >= 1 and got[-1]['t'] > got[d]['t']
for r in rows:
    s = r['sym']
    if s not in seen:
        seen[s] = []; done[s] = 0; order.append(s)
    seen[s].append(r)
    while done[s] < len(seen[s]) and complete(s, done[s]):
        out.append(seen[s][done[s]]); done[s] += 1
for s in order:
    out.extend(seen[s][done[s]:])
for r in out:
    print(json.dumps(values(r), separators=(',', ':')))
