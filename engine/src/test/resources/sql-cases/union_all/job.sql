-- UNION ALL: two venues' trades, with different column names and formats, into one stream. The first
-- branch names the output's columns, every branch gives the same types; each branch filters, projects
-- and aggregates on its own, into the one sink. Bounded inputs are read one branch after the other,
-- each to its end (its windows closed there), so venue A's rows come first whatever the batching.
CREATE STREAM venue_a (symbol STRING, price DECIMAL(10,2), qty BIGINT, ts BIGINT)
WITH ('venue_a.type' = 'file_source', 'venue_a.path' = 'data/venue_a.csv', 'venue_a.format' = 'csv',
      'venue_a.event.time.field' = 'ts');
CREATE STREAM venue_b (ticker STRING, px DECIMAL(10,2), size BIGINT, ts BIGINT)
WITH ('venue_b.type' = 'file_source', 'venue_b.path' = 'data/venue_b.json', 'venue_b.event.time.field' = 'ts');

CREATE STREAM all_trades AS
SELECT 'A' AS venue, symbol, price, qty FROM venue_a WHERE qty > 0
UNION ALL
SELECT 'B', ticker, px, size FROM venue_b WHERE size > 0
WITH ('all_trades.type' = 'file_sink', 'all_trades.path' = 'out/all_trades.csv', 'all_trades.format' = 'csv');

-- one-minute volume per symbol and venue: two windowed aggregations, one output
CREATE STREAM volume AS
SELECT 'A' AS venue, symbol, SUM(qty) AS volume, COUNT(*) AS trades, _window_start AS ws
FROM venue_a GROUP BY symbol WINDOW TUMBLING(1m)
UNION ALL
SELECT 'B', ticker, SUM(size), COUNT(*), _window_start
FROM venue_b GROUP BY ticker WINDOW TUMBLING(1m)
WITH ('volume.type' = 'file_sink', 'volume.path' = 'out/volume.json');

-- the columns' types are the branches' common types: BIGINT and DECIMAL(18,2) give a DECIMAL of scale 2,
-- and the first branch's quantities are written at that scale
CREATE STREAM amounts AS
SELECT symbol, qty AS amount FROM venue_a WHERE qty > 0
UNION ALL
SELECT ticker, CAST(px * size AS DECIMAL(18,2)) FROM venue_b WHERE size > 0
WITH ('amounts.type' = 'file_sink', 'amounts.path' = 'out/amounts.json');
