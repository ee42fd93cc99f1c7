-- trading-candles: the trading example's one-second OHLC candles (examples/trading/job.sql, job 1) on
-- Kafka: market data in, one row per symbol and second out when the watermark passes the second's end.
-- The runner sets market_data.topic, market_data.group.id and candles.topic per repetition.
-- Records arrive up to 200 ms out of order within a symbol and the three partitions are read unevenly:
-- 5 s of out-of-orderness keeps every record in its candle (a late one would fail the totals check).
-- MAX(sent_us) is the intended send time of the candle's newest tick, so the observer times each candle
-- from the tick that completed it.
CREATE STREAM market_data (trade_id BIGINT, symbol STRING, price DECIMAL(18,4), quantity BIGINT,
                           event_time TIMESTAMP, sent_us BIGINT)
WITH ('market_data.type' = 'kafka_source', 'market_data.topic' = 'market_data', 'market_data.format' = 'json',
      'event.time.field' = 'event_time', 'watermark.max_out_of_orderness' = '5s');

CREATE STREAM candles AS
SELECT symbol,
       _window_start AS bucket_start,
       FIRST_VALUE(price) AS open, MAX(price) AS high, MIN(price) AS low, LAST_VALUE(price) AS close,
       SUM(quantity) AS volume, COUNT(*) AS ticks, MAX(sent_us) AS sent_us
FROM market_data
GROUP BY symbol
WINDOW TUMBLING(event_time, INTERVAL '1' SECOND)
EMIT FINAL
WITH ('candles.type' = 'kafka_sink', 'candles.topic' = 'candles', 'candles.format' = 'json');
