-- Tumbling event-time windows with a 1 s out-of-orderness bound and one record per batch, so the
-- watermark moves per record: the tick at 3000 arrives after window [0, 5000) closed and is late.
CREATE STREAM bars AS
SELECT sym, COUNT(*) AS n, SUM(price) AS volume, MIN(price) AS low, MAX(price) AS high,
       _window_start AS ws, _window_end AS we, TUMBLE_END(ts, 5s) AS tumble_end
FROM ticks
GROUP BY sym
WINDOW TUMBLING(5s)
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'data/ticks.csv', 'ticks.format' = 'csv',
      'ticks.schema' = 'sym STRING, price DECIMAL(8,1), ts BIGINT',
      'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '1s',
      'batch.strategy' = 'fixed_size', 'batch.size' = '1',
      'bars.type' = 'file_sink', 'bars.path' = 'out/bars.json');
