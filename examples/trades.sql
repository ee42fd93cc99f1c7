-- Example job: exact notional per trade, and 5-second VWAP per symbol.
CREATE STREAM trades (
    trade_id   BIGINT,
    symbol     STRING,
    price      DECIMAL(18,4),
    quantity   BIGINT,
    side       STRING,
    event_time TIMESTAMP
) WITH (
    'trades.type' = 'file_source',
    'trades.path' = 'data/trades.csv',
    'trades.format' = 'csv',
    'event.time.field' = 'event_time'
);

CREATE STREAM big_trades AS
SELECT trade_id, symbol, price, quantity, price * quantity AS notional
FROM trades
WHERE quantity >= 50
WITH (
    'big_trades.type' = 'file_sink',
    'big_trades.path' = 'out/big_trades.json',
    'big_trades.format' = 'json'
);

CREATE TABLE vwap_5s AS
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
WITH (
    'vwap_5s.type' = 'file_sink',
    'vwap_5s.path' = 'out/vwap_5s.csv',
    'vwap_5s.format' = 'csv'
);
