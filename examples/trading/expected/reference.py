#!/usr/bin/env python3
"""Independent reference for examples/trading: recomputes the expected outputs from the input CSVs
with Python's decimal module (no engine code). Run: python3 examples/trading/expected/reference.py"""
import csv, os
from decimal import Decimal
from collections import OrderedDict

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data')
ticks = list(csv.DictReader(open(os.path.join(data, 'market_data.csv'))))
positions = list(csv.DictReader(open(os.path.join(data, 'positions.csv'))))
limits = {r['trader_id']: Decimal(r['max_notional']) for r in csv.DictReader(open(os.path.join(data, 'trader_limits.csv')))}

def second(ts):  # 2024-03-01T14:30:01.050Z -> bucket 2024-03-01T14:30:01.000Z
    return ts[:19] + '.000Z'

candles = OrderedDict()
for t in ticks:  # input is in event-time order, so windows close in bucket order
    k = (second(t['ts']), t['symbol'])
    p = Decimal(t['price'])
    c = candles.setdefault(k, {'open': p, 'high': p, 'low': p, 'close': p, 'volume': 0, 'ticks': 0})
    c['high'] = max(c['high'], p); c['low'] = min(c['low'], p); c['close'] = p
    c['volume'] += int(t['volume']); c['ticks'] += 1
rows = ['symbol,bucket_start,open,high,low,close,volume,ticks']
for (b, s), c in sorted(candles.items(), key=lambda kv: kv[0][0]):
    rows.append(f"{s},{b},{c['open']},{c['high']},{c['low']},{c['close']},{c['volume']},{c['ticks']}")
out = {'candles.csv': '\n'.join(rows) + '\n'}

prev, last = {}, {}
rows = ['symbol,ts,prev_price,price,change,alert']
for t in ticks:
    s, p = t['symbol'], Decimal(t['price'])
    if s in prev:
        ch = p - prev[s]
        alert = 'UP' if ch >= 1 else 'DOWN' if ch <= -1 else 'FLAT'
        if alert != 'FLAT':
            rows.append(f"{s},{t['ts']},{prev[s]},{p},{ch},{alert}")
    prev[s] = p
    last[s] = p
out['price_alerts.csv'] = '\n'.join(rows) + '\n'

rows = ['pos_id,trader_id,symbol,qty,price,notional,max_notional,status']
gross = OrderedDict()
for r in positions:
    q, s, tr = int(r['qty']), r['symbol'], r['trader_id']
    price = last.get(s); lim = limits.get(tr)
    notional = abs(q * price) if price is not None else None
    status = 'NO_PRICE' if price is None else 'NO_LIMIT' if lim is None else 'BREACH' if notional > lim else 'OK'
    f = lambda v: '' if v is None else str(v)
    rows.append(f"{r['pos_id']},{tr},{s},{q},{f(price)},{f(notional)},{f(lim)},{status}")
    if notional is not None:
        gross[tr] = gross.get(tr, Decimal(0)) + notional
out['risk_checks.csv'] = '\n'.join(rows) + '\n'
rows = ['trader_id,gross,max_notional,status']
for tr, g in gross.items():
    lim = limits.get(tr)
    rows.append(f"{tr},{g},{'' if lim is None else lim},{'NO_LIMIT' if lim is None else 'BREACH' if g > lim else 'OK'}")
out['trader_exposure.csv'] = '\n'.join(rows) + '\n'

bad = [n for n, text in out.items() if open(os.path.join(here, n)).read() != text]
print('reference differs from expected: ' + ', '.join(bad) if bad else 'expected outputs agree with the reference')
raise SystemExit(1 if bad else 0)
