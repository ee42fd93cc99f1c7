# Computes expected/out/*.json for this case independently of the engine: the tables' current rows by
# upsert/tombstone, then each query by SQL's three-valued rules, written out by hand below.
import csv, json, os
from decimal import Decimal

def num(s, kind):
    if s == '':
        return None
    return int(s) if kind == 'int' else Decimal(s)

trades = [dict(id=int(r['id']), trader=r['trader'] or None, sym=r['sym'] or None, px=num(r['px'], 'dec'), qty=num(r['qty'], 'int'))
          for r in csv.DictReader(open('data/trades.csv'))]
limits = {}
for r in csv.DictReader(open('data/limits.csv')):
    if r['_deleted'] == 'true':
        limits.pop(r['trader'], None)
    else:
        limits[r['trader']] = dict(trader=r['trader'], max_qty=num(r['max_qty'], 'int'), max_px=num(r['max_px'], 'dec'))
watch = {r['sym']: (None if r['active'] == '' else r['active'] == 'true') for r in csv.DictReader(open('data/watchlist.csv'))}

def sql_in(v, values):
    """v IN (values): FALSE over no values, TRUE on a match, NULL if v or a value is NULL, else FALSE."""
    if not values:
        return False
    if v is not None and any(x is not None and x == v for x in values):
        return True
    if v is None or any(x is None for x in values):
        return None
    return False

def sql_not(b):
    return None if b is None else not b

def gt(a, b):
    return None if a is None or b is None else a > b

def out(name, rows):
    os.makedirs('expected/out', exist_ok=True)
    with open('expected/out/' + name + '.json', 'w') as f:
        for r in rows:
            f.write(json.dumps({k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}, separators=(',', ':')) + '\n')

maxpx = max((l['max_px'] for l in limits.values() if l['max_px'] is not None), default=None)
out('over_max', [dict(id=t['id'], px=t['px']) for t in trades if gt(t['px'], maxpx)])
active = [s for s, a in watch.items() if a is True]
out('watched', [dict(id=t['id'], sym=t['sym']) for t in trades if sql_in(t['sym'], active)])
act_or_null = [s for s, a in watch.items() if a is None or a]
pxs = [l['max_px'] for l in limits.values()]
out('not_in', [dict(id=t['id'], not_watched=sql_not(sql_in(t['sym'], act_or_null)), odd_px=sql_not(sql_in(t['px'], pxs))) for t in trades])
def lim(t):
    return limits.get(t['trader']) if t['trader'] is not None else None
out('breaches', [dict(id=t['id'], trader=t['trader']) for t in trades if lim(t) is not None and gt(t['qty'], lim(t)['max_qty'])])
out('unlimited', [dict(id=t['id'], trader=t['trader']) for t in trades if lim(t) is None])
out('with_limit', [dict(id=t['id'], trader=t['trader'], lim=lim(t)['max_qty'] if lim(t) else None,
                        looser=sum(1 for l in limits.values() if gt(l['max_qty'], t['qty']))) for t in trades])
out('px_in', [dict(id=t['id'], px_in=sql_in(t['px'], [l['max_px'] for l in limits.values()
                                                      if l['max_qty'] is not None and l['max_qty'] >= t['qty']])) for t in trades])
who = []
errors = []
for t in trades:
    ws = [l['trader'] for l in limits.values() if l['max_qty'] is not None and t['qty'] is not None and l['max_qty'] >= t['qty']]
    if len(ws) > 1:
        errors.append(t['id'])
    else:
        who.append(dict(id=t['id'], who=ws[0] if ws else None))
out('who', who)
positions = {}
for t in trades:
    if t['trader'] is not None:
        positions[t['trader']] = positions.get(t['trader'], 0) + t['qty']
out('heavy', [dict(id=t['id']) for t in trades if t['trader'] in positions and t['qty'] * 2 > positions[t['trader']]])
print('who errors (file lines):', [i + 1 for i in errors], 'written', len(who))
# the CREATE TABLE … AS changelog: one row per trade with a trader, its running sum (EMIT CHANGES)
with open('expected/out/positions.csv', 'w') as f:
    f.write('trader,position\n')
    run = {}
    for t in trades:
        if t['trader'] is not None:
            run[t['trader']] = run.get(t['trader'], 0) + t['qty']
            f.write('%s,%d\n' % (t['trader'], run[t['trader']]))
