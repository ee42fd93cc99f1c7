-- trading-price-moves: the trading example's LAG price moves (examples/trading/job.sql, job 2) on Kafka:
-- every tick against the previous tick of its symbol, with an UP/DOWN/FLAT alert for moves of a dollar
-- or more. The runner sets market_data.topic, market_data.group.id and price_moves.topic per repetition.
CREATE STREAM market_data (trade_id BIGINT, symbol STRING, price DECIMAL(18,4), quantity BIGINT,
                           event_time TIMESTAMP, sent_us BIGINT)
WITH ('market_data.type' = 'kafka_source', 'market_data.topic' = 'market_data', 'market_data.format' = 'json',
      'event.time.field' = 'event_time');

CREATE STREAM price_moves AS
SELECT trade_id, symbol, event_time, price,
       LAG(price) OVER (PARTITION BY symbol ORDER BY event_time) AS prev_price,
       price - LAG(price) OVER (PARTITION BY symbol ORDER BY event_time) AS change,
       CASE WHEN price - LAG(price) OVER (PARTITION BY symbol ORDER BY event_time) >= 1.00 THEN 'UP'
            WHEN price - LAG(price) OVER (PARTITION BY symbol ORDER BY event_time) <= -1.00 THEN 'DOWN'
            ELSE 'FLAT' END AS alert,
       sent_us
FROM market_data
WITH ('price_moves.type' = 'kafka_sink', 'price_moves.topic' = 'price_moves', 'price_moves.format' = 'json');
