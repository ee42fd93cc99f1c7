-- test scenario SQL: a filter + projection over generated trades
CREATE STREAM trades (trade_id BIGINT, symbol STRING, account STRING, price DECIMAL(18,4), quantity BIGINT,
                      side STRING, event_time TIMESTAMP, sent_us BIGINT)
WITH ('trades.type' = 'kafka_source', 'trades.topic' = 'trades', 'event.time.field' = 'event_time');

CREATE STREAM big_trades AS
SELECT trade_id, symbol, price, quantity, sent_us FROM trades WHERE quantity > 100
WITH ('big_trades.type' = 'kafka_sink', 'big_trades.topic' = 'big_trades');
