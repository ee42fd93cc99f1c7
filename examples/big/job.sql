-- A larger file job for timing (see examples/file-job-bench.sh, which generates trades.csv).
CREATE STREAM trades (id BIGINT, symbol STRING, price DECIMAL(18,4), qty BIGINT, ts BIGINT)
WITH ('trades.type' = 'file_source', 'trades.path' = 'trades.csv', 'trades.format' = 'csv',
      'event.time.field' = 'ts', 'batch.size' = '4096');

CREATE STREAM big AS SELECT id, symbol, price * qty AS notional FROM trades WHERE qty > 500
WITH ('big.type' = 'file_sink', 'big.path' = 'out/big.json');

CREATE TABLE vwap AS
SELECT symbol, SUM(price * qty) / SUM(qty) AS vwap, COUNT(*) AS n, _window_start AS window_start
FROM trades GROUP BY symbol WINDOW TUMBLING(1m)
WITH ('vwap.type' = 'file_sink', 'vwap.path' = 'out/vwap.csv', 'vwap.format' = 'csv');
