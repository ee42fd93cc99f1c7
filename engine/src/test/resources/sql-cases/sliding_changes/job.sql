-- The same ticks as sliding_final over SLIDING(ts, INTERVAL '10' SECOND, INTERVAL '5' SECOND) with
-- EMIT CHANGES: each accepted tick writes the updated row of every open window it joins, in order of
-- window start; late ticks are dead-lettered ('late.data.strategy' = 'dead_letter') and counted.
CREATE STREAM bars AS
SELECT sym, COUNT(*) AS n, SUM(price) AS total, _window_start AS ws, _window_end AS we
FROM ticks
GROUP BY sym
WINDOW SLIDING(ts, INTERVAL '10' SECOND, INTERVAL '5' SECOND)
EMIT CHANGES
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'data/ticks.csv', 'ticks.format' = 'csv',
      'ticks.schema' = 'sym STRING, price DECIMAL(8,2), ts TIMESTAMP',
      'watermark.max_out_of_orderness' = '1s', 'batch.size' = '7',
      'late.data.strategy' = 'dead_letter', 'dlq.path' = 'late.jsonl',
      'bars.type' = 'file_sink', 'bars.path' = 'out/bars.csv', 'bars.format' = 'csv');
