-- Hopping windows of 10 s every 5 s (epoch-aligned), event time from 'event.time.field', 1 s
-- out-of-orderness, one record per batch. B at 4000 arrives when the watermark is 11000: both its
-- windows ([-5000, 5000) and [0, 10000)) have closed, so it is late. A at 9000 goes into [5000, 15000)
-- only ([0, 10000) has closed). A at 2000 is late. Windows close in order of end, then start.
CREATE STREAM bars AS
SELECT sym, COUNT(*) AS n, SUM(price) AS total, AVG(price) AS avg_price, MIN(price) AS low,
       _window_start AS ws, _window_end AS we
FROM ticks
GROUP BY sym
WINDOW SLIDING(10s, 5s)
EMIT FINAL
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'data/ticks.csv', 'ticks.format' = 'csv',
      'ticks.schema' = 'sym STRING, price DECIMAL(8,2), ts BIGINT',
      'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '1s',
      'batch.strategy' = 'fixed_size', 'batch.size' = '1',
      'bars.type' = 'file_sink', 'bars.path' = 'out/bars.json');
