-- Moving averages and sums over frames, exact over DECIMAL: a 3-tick moving average (ROWS BETWEEN 2
-- PRECEDING AND CURRENT ROW) with its sum, count and low; a running quantity (ROWS UNBOUNDED PRECEDING);
-- the notional of the last 2 seconds (RANGE, peers of the same instant included) and a centred average
-- (ROWS 1 PRECEDING .. 1 FOLLOWING). The RANGE frame holds a tick until a later instant of its symbol
-- arrives and the centred one until the next tick does, so rows go on in that order; the input's end
-- flushes the held ones, symbol by symbol.
CREATE STREAM trades (sym STRING, px DECIMAL(12,4), qty BIGINT, ts TIMESTAMP)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv', 'event.time.field' = 'ts');

CREATE STREAM moving AS
SELECT sym, ts, px,
       AVG(px) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS ma3,
       SUM(px) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS sum3,
       COUNT(*) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n3,
       MIN(px) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS lo3,
       SUM(qty) OVER (PARTITION BY sym ORDER BY ts ROWS UNBOUNDED PRECEDING) AS cum_qty,
       SUM(px * qty) OVER (PARTITION BY sym ORDER BY ts RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW) AS notional_2s,
       AVG(px) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS centred
FROM trades
WITH ('moving.type' = 'file_sink', 'moving.path' = 'out/moving.json');
