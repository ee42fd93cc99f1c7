-- Golden plans: `velo check` prints each job's plan and every effective property with its origin.
CREATE STREAM trades (id BIGINT, sym STRING, price DECIMAL(18,4), qty BIGINT, ts TIMESTAMP)
WITH ('trades.type' = 'file_source', 'trades.path' = 'trades.csv', 'trades.format' = 'csv',
      'event.time.field' = 'ts');

EXPLAIN SELECT sym, price * qty AS notional FROM trades WHERE qty BETWEEN 10 AND 100 AND sym <> 'X' LIMIT 5;

CREATE TABLE bars AS
SELECT sym, COUNT(*) AS n, AVG(price) AS avg_price, MAX(ts) AS last_ts
FROM trades
WHERE price > 0
GROUP BY sym
WINDOW TUMBLING(1m)
HAVING COUNT(*) > 1
WITH ('bars.type' = 'file_sink', 'bars.path' = 'out/bars.json', 'batch.strategy' = 'low_latency',
      'failure_strategy' = 'SendToDLQ', 'dlq.path' = 'out/dlq.jsonl', 'decimal.rounding' = 'half_even');

INSERT INTO audit SELECT DISTINCT sym FROM trades ORDER BY sym
WITH ('audit.type' = 'kafka_sink', 'audit.topic' = 'audit', 'audit.kafka.acks' = 'all');

DESCRIBE trades;
