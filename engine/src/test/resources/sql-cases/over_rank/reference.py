"""Computes expected/out/ranked.json and running.json from data/scores.csv by the definitions over each
player's whole list of rows, and the documented emission order (a row goes on once two more rows of its
player and a row of a later round have arrived; the end flushes the rest player by player).
Run: python3 reference.py data/scores.csv expected/out"""
import csv, json, sys

rows = [{'player': r['player'], 'round': int(r['round']), 'pts': int(r['pts'])} for r in csv.DictReader(open(sys.argv[1]))]
parts = {}
for r in rows:
    r['n'] = len(parts.setdefault(r['player'], []))
    parts[r['player']].append(r)

def ranked(r):
    p = parts[r['player']]; n = r['n']
    peers_to = max(i for i, x in enumerate(p) if x['round'] == r['round'])
    return {'player': r['player'], 'round': r['round'], 'pts': r['pts'], 'rn': n + 1,
            'rk': 1 + sum(1 for x in p if x['round'] < r['round']),
            'dr': len({x['round'] for x in p if x['round'] <= r['round']}),
            'fv': p[0]['pts'], 'lv': p[peers_to]['pts'], 'lead2': p[n + 2]['pts'] if n + 2 < len(p) else -1}

seen = {}; done = {}; order = []; out = []
def complete(s, d):
    got = seen[s]
    return len(got) - 1 - d >= 2 and got[-1]['round'] > got[d]['round']
for r in rows:
    s = r['player']
    if s not in seen:
        seen[s] = []; done[s] = 0; order.append(s)
    seen[s].append(r)
    while done[s] < len(seen[s]) and complete(s, done[s]):
        out.append(seen[s][done[s]]); done[s] += 1
for s in order:
    out.extend(seen[s][done[s]:])
with open(sys.argv[2] + '/ranked.json', 'w') as f:
    for r in out:
        f.write(json.dumps(ranked(r), separators=(',', ':')) + '\n')
with open(sys.argv[2] + '/running.json', 'w') as f:
    for r in rows:
        p = parts[r['player']][:r['n'] + 1]
        f.write(json.dumps({'player': r['player'], 'pts': r['pts'], 'seen': len(p), 'total': sum(x['pts'] for x in p),
                            'best2': max(x['pts'] for x in p[-2:])}, separators=(',', ':')) + '\n')
