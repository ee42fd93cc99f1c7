-- Analytic functions over the rows of a stream-stream interval join (the original's risk demo does
-- this): each position joined to a price of its symbol within a minute (LEFT: position 4 has none and
-- goes out unmatched when its interval closes), then per trader a buffer of the joined rows as the
-- join passes them on: the quantity of the last two, how many of the last ten had a price, and the
-- previous position. The BUFFER form takes rows as they come, so a row the join emits late is not late.
CREATE STREAM positions (pos_id BIGINT, trader STRING, symbol STRING, qty BIGINT, ts TIMESTAMP)
WITH ('positions.type' = 'file_source', 'positions.path' = 'data/positions.csv', 'positions.format' = 'csv',
      'positions.event.time.field' = 'ts');
CREATE STREAM prices (symbol STRING, price DECIMAL(8,2), ts TIMESTAMP)
WITH ('prices.type' = 'file_source', 'prices.path' = 'data/prices.csv', 'prices.format' = 'csv',
      'prices.event.time.field' = 'ts');

CREATE STREAM exposure AS
SELECT p.pos_id, p.trader, m.price,
       SUM(p.qty) OVER (ROWS WINDOW BUFFER 2 ROWS PARTITION BY p.trader ORDER BY p.ts) AS qty2,
       COUNT(m.price) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY p.trader ORDER BY p.ts) AS priced,
       LAG(p.pos_id) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY p.trader ORDER BY p.ts) AS prev_pos
FROM positions p LEFT JOIN prices m WITHIN 1m ON p.symbol = m.symbol
WITH ('exposure.type' = 'file_sink', 'exposure.path' = 'out/exposure.json');

-- and over a stream-table join's rows: the previous instrument name a trader's position had
CREATE TABLE refs (symbol STRING PRIMARY KEY, name STRING)
WITH ('refs.type' = 'file_source', 'refs.path' = 'data/refs.csv', 'refs.format' = 'csv');
CREATE STREAM names AS
SELECT p.pos_id, r.name, LAG(r.name) OVER (PARTITION BY p.trader ORDER BY p.ts) AS prev_name
FROM positions p JOIN refs r ON p.symbol = r.symbol
WITH ('names.type' = 'file_sink', 'names.path' = 'out/names.json');

-- the original's form of the time bound, on each stream's _event_time: the same join as WITHIN 1m,
-- so the same rows as out/exposure.json
CREATE STREAM exposure_between AS
SELECT p.pos_id, p.trader, m.price,
       SUM(p.qty) OVER (ROWS WINDOW BUFFER 2 ROWS PARTITION BY p.trader ORDER BY p.ts) AS qty2,
       COUNT(m.price) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY p.trader ORDER BY p.ts) AS priced,
       LAG(p.pos_id) OVER (ROWS WINDOW BUFFER 10 ROWS PARTITION BY p.trader ORDER BY p.ts) AS prev_pos
FROM positions p LEFT JOIN prices m
  ON p.symbol = m.symbol AND m._event_time BETWEEN p._event_time - INTERVAL '1' MINUTE AND p._event_time + INTERVAL '1' MINUTE
WITH ('exposure_between.type' = 'file_sink', 'exposure_between.path' = 'out/exposure_between.json');
