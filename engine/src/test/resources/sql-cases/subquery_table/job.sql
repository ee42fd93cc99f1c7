-- Subqueries over keyed tables, evaluated against each table's current rows (limits: dave deleted by
-- a tombstone, carol's 10 replaced by 30; bob has no max_px). Expected outputs: expected.py.
CREATE STREAM trades (id BIGINT, trader STRING, sym STRING, px DECIMAL(10,2), qty BIGINT)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv');

CREATE TABLE limits (trader STRING PRIMARY KEY, max_qty BIGINT, max_px DECIMAL(10,2), _deleted BOOLEAN)
WITH ('limits.type' = 'file_source', 'limits.path' = 'data/limits.csv', 'limits.format' = 'csv');

CREATE TABLE watchlist (sym STRING PRIMARY KEY, active BOOLEAN)
WITH ('watchlist.type' = 'file_source', 'watchlist.path' = 'data/watchlist.csv', 'watchlist.format' = 'csv');

-- uncorrelated scalar with an aggregate
CREATE STREAM over_max AS SELECT id, px FROM trades WHERE px > (SELECT MAX(max_px) FROM limits)
WITH ('over_max.type' = 'file_sink', 'over_max.path' = 'out/over_max.json');

-- uncorrelated IN; NOT IN over a set without NULL and over one with a NULL (bob's max_px)
CREATE STREAM watched AS SELECT id, sym FROM trades WHERE sym IN (SELECT sym FROM watchlist WHERE active)
WITH ('watched.type' = 'file_sink', 'watched.path' = 'out/watched.json');

CREATE STREAM not_in AS
SELECT id, sym NOT IN (SELECT sym FROM watchlist WHERE active IS NULL OR active) AS not_watched,
       px NOT IN (SELECT max_px FROM limits) AS odd_px
FROM trades
WITH ('not_in.type' = 'file_sink', 'not_in.path' = 'out/not_in.json');

-- correlated EXISTS / NOT EXISTS: a key lookup on limits.trader, then the rest of WHERE on that row
CREATE STREAM breaches AS
SELECT id, trader FROM trades t WHERE EXISTS (SELECT 1 FROM limits l WHERE l.trader = t.trader AND t.qty > l.max_qty)
WITH ('breaches.type' = 'file_sink', 'breaches.path' = 'out/breaches.json');

CREATE STREAM unlimited AS
SELECT id, trader FROM trades t WHERE NOT EXISTS (SELECT * FROM limits l WHERE l.trader = t.trader)
WITH ('unlimited.type' = 'file_sink', 'unlimited.path' = 'out/unlimited.json');

-- correlated scalars: a key lookup, and an aggregate over a scan of the table's rows
CREATE STREAM with_limit AS
SELECT id, trader, (SELECT max_qty FROM limits l WHERE l.trader = t.trader) AS lim,
       (SELECT COUNT(*) FROM limits l WHERE l.max_qty > t.qty) AS looser
FROM trades t
WITH ('with_limit.type' = 'file_sink', 'with_limit.path' = 'out/with_limit.json');

-- correlated IN over a scan: a match, a NULL in the set, an empty set
CREATE STREAM px_in AS
SELECT id, t.px IN (SELECT max_px FROM limits l WHERE l.max_qty >= t.qty) AS px_in FROM trades t
WITH ('px_in.type' = 'file_sink', 'px_in.path' = 'out/px_in.json');

-- a scalar subquery that gives more than one row is an error of that record (LogAndContinue: skipped, counted)
CREATE STREAM who AS
SELECT id, (SELECT trader FROM limits WHERE max_qty >= t.qty) AS who FROM trades t
WITH ('who.type' = 'file_sink', 'who.path' = 'out/who.json');

-- a CREATE TABLE … AS read back as a table by a correlated subquery
CREATE TABLE positions AS
SELECT trader, SUM(qty) AS position FROM trades WHERE trader IS NOT NULL GROUP BY trader
WITH ('positions.type' = 'file_sink', 'positions.path' = 'out/positions.csv', 'positions.format' = 'csv');

CREATE STREAM heavy AS
SELECT id FROM trades t WHERE t.qty * 2 > (SELECT position FROM positions p WHERE p.trader = t.trader)
WITH ('heavy.type' = 'file_sink', 'heavy.path' = 'out/heavy.json');

EXPLAIN SELECT id, trader FROM trades t WHERE EXISTS (SELECT 1 FROM limits l WHERE l.trader = t.trader AND t.qty > l.max_qty);
EXPLAIN SELECT id, px FROM trades WHERE px > (SELECT MAX(max_px) FROM limits);
EXPLAIN SELECT id, (SELECT COUNT(*) FROM limits l WHERE l.max_qty > t.qty) AS looser FROM trades t;
