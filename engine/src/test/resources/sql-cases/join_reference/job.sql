-- Stream-table joins against a file-backed reference table. The table is a changelog with upsert
-- semantics: a later row for a key replaces the earlier one (AAPL's second row), and a row whose
-- _deleted column is true is a tombstone that removes its key (XOM). The whole file is loaded
-- before the first trade is processed.
CREATE STREAM trades (id BIGINT, sym STRING, px DECIMAL(10,2), qty BIGINT, ts BIGINT)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv');

CREATE TABLE instruments (sym STRING PRIMARY KEY, name STRING, sector STRING, lot BIGINT, _deleted BOOLEAN)
WITH ('instruments.type' = 'file_source', 'instruments.path' = 'data/instruments.csv', 'instruments.format' = 'csv');

-- INNER: a trade whose symbol has no current row (XOM deleted, GOOG never there, NULL, 'msft' in
-- lower case) is dropped and counted as without a table match.
CREATE STREAM enriched AS
SELECT t.id, t.sym, i.name, i.lot, t.px * t.qty AS notional
FROM trades t JOIN instruments i ON t.sym = i.sym
WITH ('enriched.type' = 'file_sink', 'enriched.path' = 'out/enriched.json');

-- LEFT: every trade, NULL table columns where there is no match; unqualified columns that only one
-- side has (qty, sector) need no qualifier.
CREATE STREAM all_trades AS
SELECT t.id, t.sym, qty, sector, i.lot IS NULL AS unknown
FROM trades t LEFT JOIN instruments i ON t.sym = i.sym
WITH ('all_trades.type' = 'file_sink', 'all_trades.path' = 'out/all_trades.csv', 'all_trades.format' = 'csv');

-- A computed stream key, WHERE over a table column, and an aggregation over the joined rows.
SELECT i.sector, COUNT(*) AS trades, SUM(t.qty) AS qty
FROM trades t JOIN instruments i ON UPPER(t.sym) = i.sym
WHERE i.lot < 100
GROUP BY i.sector
ORDER BY sector;

-- alias.* selects one side's columns.
SELECT i.*, t.id FROM trades t JOIN instruments AS i ON i.sym = t.sym WHERE t.id = 7;

EXPLAIN SELECT t.id, i.name FROM trades t LEFT JOIN instruments i ON t.sym = i.sym;
