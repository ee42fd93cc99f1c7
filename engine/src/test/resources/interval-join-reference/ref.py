# Run from a case folder: cd sql-cases/interval_join_orders && python3 ../../interval-join-reference/orders.py (full.py for interval_join_full).
# Independent reference for the interval_join_* SQL cases: naive lists, no hashing; the semantics as
# documented (merge by time ties to the left, W = min of sides' max-ooo, ended side = +inf, late = t < W,
# pairs emitted when the later row arrives, unmatched outer rows when t+hi < W (left) / t-lo < W (right),
# the left's first, then the right's, each by (time, arrival); the rest at the end).
import csv, json, sys
from datetime import datetime, timezone
def ms(s): return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()*1000)
def load(p):
    with open(p) as f: return list(csv.DictReader(f))
def run(left, right, lkey, rkey, ltime, rtime, lo, hi, ooo, louter, router):
    seq = []
    i = j = 0
    while i < len(left) or j < len(right):
        if j >= len(right) or (i < len(left) and ltime(left[i]) <= rtime(right[j])):
            seq.append((0, left[i])); i += 1
        else:
            seq.append((1, right[j])); j += 1
    last = {0: max([k for k,(s,_) in enumerate(seq) if s==0], default=-1), 1: max([k for k,(s,_) in enumerate(seq) if s==1], default=-1)}
    INF = float('inf')
    mx = [None, None]; ended = [False, False]
    def W():
        a = [INF if ended[s] else (None if mx[s] is None else mx[s]-ooo) for s in (0,1)]
        if None in a: return -INF
        return min(a)
    kept = [[], []]   # [row, t, arrival, matched]
    out = []; late = 0
    def evict(final=False):
        w = W()
        for s in (0,1):
            rows = sorted(kept[s], key=lambda e: (e[1], e[2]))
            for e in rows:
                exp = e[1] + hi if s == 0 else e[1] - lo
                if final or exp < w:
                    kept[s].remove(e)
                    if (louter if s == 0 else router) and not e[3]:
                        out.append((e[0], None) if s == 0 else (None, e[0]))
    for n,(s,row) in enumerate(seq):
        t = ltime(row) if s == 0 else rtime(row)
        if t < W():
            late += 1
        else:
            k = lkey(row) if s == 0 else rkey(row)
            e = [row, t, n, False]
            if k is not None:
                for o in kept[1-s]:
                    ok = (rkey(o[0]) if s == 0 else lkey(o[0])) == k
                    d = (o[1] - t) if s == 0 else (t - o[1])
                    if ok and lo <= d <= hi:
                        o[3] = True; e[3] = True
                        out.append((row, o[0]) if s == 0 else (o[0], row))
                kept[s].append(e)
            elif (louter if s == 0 else router):
                out.append((row, None) if s == 0 else (None, row))
            mx[s] = t if mx[s] is None else max(mx[s], t)
        evict()
        if n == last[s]:
            ended[s] = True
            evict()
    evict(final=True)
    return out, late
