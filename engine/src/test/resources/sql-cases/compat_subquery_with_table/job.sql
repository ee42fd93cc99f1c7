-- The original engine's demos name the tables their subqueries read only in WITH (a file_source there, or
-- in its config file), with no CREATE TABLE: such a table is keyed by the column its subquery compares in
-- WHERE (here w.symbol). A trade passes unless its symbol is blocked since before the trade: BBB is
-- blocked from 0 (dropped), DDD only from 9000 (kept, the trade is at 5000). Expected by hand:
-- AAA 10, CCC 30, AAA 40, DDD 50.
CREATE STREAM allowed AS
SELECT t.sym, t.qty
FROM trades t
WHERE NOT EXISTS (SELECT 1 FROM watchlist w WHERE w.symbol = t.sym AND w.status = 'BLOCKED' AND w.since <= t.ts)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv',
      'watchlist.type' = 'file_source', 'watchlist.path' = 'data/watchlist.csv', 'watchlist.format' = 'csv',
      'allowed.type' = 'file_sink', 'allowed.path' = 'out/allowed.csv', 'allowed.format' = 'csv');
