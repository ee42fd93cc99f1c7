-- FROM (SELECT … FROM stream …) AS x: the inner WHERE and SELECT list run before the outer query,
-- which filters, aggregates in windows, or joins the inner rows. Expected outputs: expected.py.
CREATE STREAM ticks (id BIGINT, sym STRING, px DECIMAL(10,2), qty BIGINT, ts BIGINT)
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'data/ticks.csv', 'ticks.format' = 'csv', 'event.time.field' = 'ts');

CREATE TABLE watchlist (sym STRING PRIMARY KEY, active BOOLEAN)
WITH ('watchlist.type' = 'file_source', 'watchlist.path' = 'data/watchlist.csv', 'watchlist.format' = 'csv');

-- the outer WHERE reads a column the inner query computed; an inner row whose item fails (100 / (5 - 5))
-- is an error of its record, counted
CREATE STREAM big AS
SELECT x.id, x.notional, unit FROM (SELECT id, sym, px * qty AS notional, 100 / (qty - 5) AS unit FROM ticks WHERE qty > 4) AS x
WHERE x.notional > 1000
WITH ('big.type' = 'file_sink', 'big.path' = 'out/big.json');

-- a windowed aggregation over the inner rows (their event time carried through); the inner WHERE holds
-- a subquery over a table
CREATE STREAM bars AS
SELECT sym, COUNT(*) AS n, SUM(notional) AS total, _window_start AS ws
FROM (SELECT UPPER(sym) AS sym, px * qty AS notional FROM ticks WHERE UPPER(sym) IN (SELECT sym FROM watchlist WHERE active)) w
GROUP BY sym
WINDOW TUMBLING(10s)
ORDER BY ws, sym
WITH ('bars.type' = 'file_sink', 'bars.path' = 'out/bars.json');

-- a join of the inner rows with a table; SELECT * of the subquery without an alias
CREATE STREAM joined AS
SELECT x.id, x.s, w.active FROM (SELECT id, UPPER(sym) AS s FROM ticks WHERE id <> 2) x LEFT JOIN watchlist w ON x.s = w.sym
WITH ('joined.type' = 'file_sink', 'joined.path' = 'out/joined.json');

CREATE STREAM starred AS
SELECT * FROM (SELECT id, qty * 2 AS q2 FROM ticks) WHERE q2 >= 100
WITH ('starred.type' = 'file_sink', 'starred.path' = 'out/starred.json');

EXPLAIN SELECT sym, COUNT(*) AS n
FROM (SELECT UPPER(sym) AS sym FROM ticks WHERE UPPER(sym) IN (SELECT sym FROM watchlist WHERE active)) w
GROUP BY sym WINDOW TUMBLING(10s);
