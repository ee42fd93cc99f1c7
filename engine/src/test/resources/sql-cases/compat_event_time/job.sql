-- Event-time properties as the original engine writes them. 'event.time.format' is read: a pattern
-- parses text times (UTC), 'epoch_seconds' scales numbers to millis. 'watermark.strategy' =
-- 'bounded_out_of_orderness' is Velo's own watermark (largest event time seen minus
-- 'watermark.max_out_of_orderness', per record). One record per batch, so the watermark moves per record.
--   id 5 (00.500) arrives when the watermark is 00.950: window [0,1) is still open and takes it.
--   id 7 (01.100) arrives when the watermark is 02.500: window [1,2) has closed, so it is late (dropped, counted).
--   id 8's time does not match the pattern: a bad record, counted as failed.
CREATE STREAM candles AS
SELECT sym, COUNT(*) AS n, MIN(px) AS low, MAX(px) AS high, _window_start AS ws
FROM trades
GROUP BY sym
WINDOW TUMBLING(1s)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv',
      'trades.schema' = 'id BIGINT, sym STRING, px DECIMAL(10,2), trade_timestamp STRING',
      'event.time.field' = 'trade_timestamp',
      'event.time.format' = 'yyyy-MM-dd HH:mm:ss.SSS',
      'watermark.strategy' = 'bounded_out_of_orderness',
      'watermark.max_out_of_orderness' = '1s',
      'late.data.strategy' = 'drop',
      'batch.size' = '1',
      'candles.type' = 'file_sink', 'candles.path' = 'out/candles.json');

-- Epoch seconds: 10 and 11 fall in [10 s, 20 s), 20 in [20 s, 30 s) (read as millis all three would
-- share [0, 10 s)). 'update_previous' and the circuit breaker have no Velo meaning: each is accepted
-- with a warning saying what Velo does instead.
CREATE STREAM per_ten AS
SELECT sym, COUNT(*) AS n, SUM(px) AS total, _window_start AS ws
FROM secs
GROUP BY sym
WINDOW TUMBLING(10s)
WITH ('secs.type' = 'file_source', 'secs.path' = 'data/secs.csv', 'secs.format' = 'csv',
      'secs.schema' = 'sym STRING, px DECIMAL(10,2), ts BIGINT',
      'event.time.field' = 'ts',
      'event.time.format' = 'epoch_seconds',
      'late.data.strategy' = 'update_previous',
      'circuit.breaker.enabled' = 'true',
      'per_ten.type' = 'file_sink', 'per_ten.path' = 'out/per_ten.json');
