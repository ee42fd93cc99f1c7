-- Kafka example, all on the embedded broker that `velo run` starts for the command:
--   bin/velo run examples/kafka_vwap.sql --until-idle 5s
-- 1. loads the sample trades into the topic `trades` (3 partitions, keyed by symbol);
-- 2. computes a 5-second VWAP per symbol exactly once, Kafka -> Kafka: a transactional producer, the
--    source offsets and the window state (changelog topic `vwap_5s-changelog`) committed together;
--    the malformed trade (price 'abc') goes to the dead-letter topic `vwap_5s-dlq`;
-- 3. drains what was committed to `vwap_5s` (read_committed) into out/kafka_vwap_5s.json.
-- The jobs run side by side (two read unbounded topics) and end after 5 s without new records. The
-- last window [09:30:10, 09:30:15) stays open: no later trade closes it, and it waits in the changelog.

CREATE STREAM trades_csv (trade_id BIGINT, symbol STRING, price STRING, quantity BIGINT, side STRING, event_time TIMESTAMP)
WITH ('trades_csv.type' = 'file_source', 'trades_csv.path' = 'data/trades.csv', 'trades_csv.format' = 'csv');

-- prices as text: the bad one reaches Kafka, and the VWAP job's failure strategy deals with it
CREATE STREAM load_trades AS SELECT * FROM trades_csv
WITH ('load_trades.type' = 'kafka_sink', 'load_trades.topic' = 'trades', 'load_trades.partitions' = '3',
      'load_trades.key.field' = 'symbol');

CREATE STREAM trades (trade_id BIGINT, symbol STRING, price DECIMAL(18,4), quantity BIGINT, side STRING, event_time TIMESTAMP)
WITH ('trades.type' = 'kafka_source', 'trades.topic' = 'trades', 'event.time.field' = 'event_time');

CREATE STREAM vwap_5s AS
SELECT symbol,
       COUNT(*) AS trades,
       SUM(quantity) AS volume,
       SUM(price * quantity) / SUM(quantity) AS vwap,
       _window_start AS window_start
FROM trades
GROUP BY symbol
WINDOW TUMBLING(event_time, INTERVAL '5' SECOND)
HAVING SUM(quantity) > 0
EMIT FINAL
WITH ('vwap_5s.type' = 'kafka_sink', 'vwap_5s.topic' = 'vwap_5s', 'vwap_5s.key.field' = 'symbol',
      'mode' = 'transactional', 'failure_strategy' = 'SendToDLQ');

CREATE STREAM vwap_topic (symbol STRING, trades BIGINT, volume BIGINT, vwap DECIMAL(38,6), window_start TIMESTAMP)
WITH ('vwap_topic.type' = 'kafka_source', 'vwap_topic.topic' = 'vwap_5s', 'vwap_topic.kafka.isolation.level' = 'read_committed');

CREATE STREAM drain_vwap AS SELECT * FROM vwap_topic
WITH ('drain_vwap.type' = 'file_sink', 'drain_vwap.path' = 'out/kafka_vwap_5s.json');
