-- Trading example: market data -> 1-second OHLC candles, LAG price alerts, positions valued at the
-- last price, and per-trader risk limits from a keyed reference table. Run from the repository root:
--   bin/velo run examples/trading/job.sql        (outputs under examples/trading/out/)
-- See examples/trading/README.md for what each job computes.

CREATE STREAM market_data (symbol STRING, price DECIMAL(18,2), volume BIGINT, ts TIMESTAMP)
WITH ('market_data.type' = 'file_source', 'market_data.path' = 'data/market_data.csv', 'market_data.format' = 'csv',
      'event.time.field' = 'ts');

CREATE STREAM positions (pos_id BIGINT, trader_id STRING, symbol STRING, qty BIGINT)
WITH ('positions.type' = 'file_source', 'positions.path' = 'data/positions.csv', 'positions.format' = 'csv');

-- Risk limits: a file-backed keyed table, one current row per trader.
CREATE TABLE trader_limits (trader_id STRING PRIMARY KEY, desk STRING, max_notional DECIMAL(18,2))
WITH ('trader_limits.type' = 'file_source', 'trader_limits.path' = 'data/trader_limits.csv', 'trader_limits.format' = 'csv');

-- 1. One-second OHLC candles per symbol (event time, closed by the watermark).
CREATE STREAM candles AS
SELECT symbol,
       _window_start AS bucket_start,
       FIRST_VALUE(price) AS open, MAX(price) AS high, MIN(price) AS low, LAST_VALUE(price) AS close,
       SUM(volume) AS volume, COUNT(*) AS ticks
FROM market_data
GROUP BY symbol
WINDOW TUMBLING(ts, INTERVAL '1' SECOND)
WITH ('candles.type' = 'file_sink', 'candles.path' = 'out/candles.csv', 'candles.format' = 'csv');

-- 2. Each tick against the previous tick of its symbol (LAG), then only the moves of a dollar or more.
CREATE STREAM price_moves AS
SELECT symbol, ts, price,
       LAG(price) OVER (PARTITION BY symbol ORDER BY ts) AS prev_price,
       price - LAG(price) OVER (PARTITION BY symbol ORDER BY ts) AS change,
       CASE WHEN price - LAG(price) OVER (PARTITION BY symbol ORDER BY ts) >= 1.00 THEN 'UP'
            WHEN price - LAG(price) OVER (PARTITION BY symbol ORDER BY ts) <= -1.00 THEN 'DOWN'
            ELSE 'FLAT' END AS alert
FROM market_data
WITH ('price_moves.type' = 'file_sink', 'price_moves.path' = 'out/price_moves.csv', 'price_moves.format' = 'csv');

CREATE STREAM price_alerts AS
SELECT symbol, ts, prev_price, price, change, alert
FROM price_moves
WHERE alert <> 'FLAT'
WITH ('price_alerts.type' = 'file_sink', 'price_alerts.path' = 'out/price_alerts.csv', 'price_alerts.format' = 'csv');

-- 3. The last price of each symbol, as a table keyed by symbol (its changelog file keeps every update;
--    read back as a table it holds the last row per key).
CREATE TABLE last_price AS
SELECT symbol, LAST_VALUE(price) AS price FROM market_data GROUP BY symbol
WITH ('last_price.type' = 'file_sink', 'last_price.path' = 'out/last_price.csv', 'last_price.format' = 'csv');

-- 4. Positions joined to the last prices (stream-table join) and to the trader's limit.
CREATE STREAM risk_checks AS
SELECT p.pos_id, p.trader_id, p.symbol, p.qty, lp.price,
       ABS(p.qty * lp.price) AS notional, l.max_notional,
       CASE WHEN lp.price IS NULL THEN 'NO_PRICE'
            WHEN l.max_notional IS NULL THEN 'NO_LIMIT'
            WHEN ABS(p.qty * lp.price) > l.max_notional THEN 'BREACH'
            ELSE 'OK' END AS status
FROM positions p
LEFT JOIN last_price lp ON p.symbol = lp.symbol
LEFT JOIN trader_limits l ON p.trader_id = l.trader_id
WITH ('risk_checks.type' = 'file_sink', 'risk_checks.path' = 'out/risk_checks.csv', 'risk_checks.format' = 'csv');

-- 5. Gross exposure per trader against the trader's limit, one row per trader at the end of the input.
CREATE STREAM trader_exposure AS
SELECT trader_id, SUM(notional) AS gross, MAX(max_notional) AS max_notional,
       CASE WHEN MAX(max_notional) IS NULL THEN 'NO_LIMIT'
            WHEN SUM(notional) > MAX(max_notional) THEN 'BREACH'
            ELSE 'OK' END AS status
FROM risk_checks
WHERE notional IS NOT NULL
GROUP BY trader_id
EMIT FINAL
WITH ('trader_exposure.type' = 'file_sink', 'trader_exposure.path' = 'out/trader_exposure.csv', 'trader_exposure.format' = 'csv');
