-- test scenario SQL: a continuously updated aggregate per account
CREATE STREAM trades (trade_id BIGINT, account STRING, price DECIMAL(18,4), quantity BIGINT, event_time TIMESTAMP)
WITH ('trades.type' = 'kafka_source', 'trades.topic' = 'trades');

CREATE STREAM volume AS
SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, SUM(price) AS price_total
FROM trades WHERE side = 'BUY' GROUP BY account
WITH ('volume.type' = 'kafka_sink', 'volume.topic' = 'volume', 'volume.key.field' = 'account');
