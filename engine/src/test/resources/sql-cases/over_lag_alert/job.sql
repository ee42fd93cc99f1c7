-- A LAG-based price alert (the original engine's demo): each tick's change against the previous tick of
-- its symbol, and an alert when it moved by a dollar or more. WHERE runs before the analytic functions, so
-- the bad 0.00 tick is neither output nor anyone's previous tick. LAG(price, 2, 0.00) reaches two ticks
-- back with a default. No function looks ahead, so every tick goes on as it arrives (input order).
CREATE STREAM ticks (sym STRING, price DECIMAL(10,2), ts TIMESTAMP)
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'data/ticks.csv', 'ticks.format' = 'csv', 'event.time.field' = 'ts');

CREATE STREAM alerts AS
SELECT sym, ts, price,
       price - LAG(price) OVER (PARTITION BY sym ORDER BY ts) AS chg,
       CASE WHEN price - LAG(price) OVER (PARTITION BY sym ORDER BY ts) >= 1.00 THEN 'UP'
            WHEN price - LAG(price) OVER (PARTITION BY sym ORDER BY ts) <= -1.00 THEN 'DOWN'
            ELSE 'FLAT' END AS alert,
       LAG(price, 2, 0.00) OVER (PARTITION BY sym ORDER BY ts) AS prev2
FROM ticks
WHERE price > 0
WITH ('alerts.type' = 'file_sink', 'alerts.path' = 'out/alerts.json', 'batch.size' = '4');
