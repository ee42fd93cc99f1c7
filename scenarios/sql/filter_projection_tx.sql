-- exactly-once: the filter + projection with a transactional producer; offsets commit in the transaction.
CREATE STREAM trades (trade_id BIGINT, symbol STRING, account STRING, price DECIMAL(18,4), quantity BIGINT, side STRING,
                      event_time TIMESTAMP, sent_us BIGINT)
WITH ('trades.type' = 'kafka_source', 'trades.topic' = 'trades', 'trades.format' = 'json', 'event.time.field' = 'event_time');

CREATE STREAM big_trades AS
SELECT trade_id, symbol, price, quantity, price * quantity AS notional, sent_us
FROM trades
WHERE quantity > 100
WITH ('big_trades.type' = 'kafka_sink', 'big_trades.topic' = 'big_trades', 'big_trades.format' = 'json',
      'mode' = 'transactional', 'commit.interval' = '200ms');
