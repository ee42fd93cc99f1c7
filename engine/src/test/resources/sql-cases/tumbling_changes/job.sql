-- The same ticks with EMIT CHANGES: every accepted tick emits its window's updated row; the late
-- tick emits nothing. Event time comes from the window's time column.
CREATE STREAM bars AS
SELECT sym, COUNT(*) AS n, SUM(price) AS volume, TUMBLE_START(ts, 5s) AS ws
FROM ticks
GROUP BY sym
WINDOW TUMBLING(ts, INTERVAL '5' SECOND)
EMIT CHANGES
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'data/ticks.csv', 'ticks.format' = 'csv',
      'ticks.schema' = 'sym STRING, price DECIMAL(8,1), ts TIMESTAMP',
      'watermark.max_out_of_orderness' = '1s', 'batch.size' = '1',
      'bars.type' = 'file_sink', 'bars.path' = 'out/bars.csv', 'bars.format' = 'csv');
