-- memory-pressure: running position per account over ~1M distinct accounts (EMIT CHANGES: a row per
-- input record, its account's new totals). MAX(sent_us) carries the newest record's intended send time.
CREATE STREAM trades (trade_id BIGINT, symbol STRING, account STRING, price DECIMAL(18,4), quantity BIGINT, side STRING,
                      event_time TIMESTAMP, sent_us BIGINT)
WITH ('trades.type' = 'kafka_source', 'trades.topic' = 'trades', 'trades.format' = 'json', 'event.time.field' = 'event_time');

CREATE STREAM positions AS
SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, MAX(sent_us) AS sent_us
FROM trades
GROUP BY account
EMIT CHANGES
WITH ('positions.type' = 'kafka_sink', 'positions.topic' = 'positions', 'positions.format' = 'json', 'positions.key.field' = 'account');
