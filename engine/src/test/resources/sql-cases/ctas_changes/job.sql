-- CREATE TABLE … AS … GROUP BY without PRIMARY KEY items and without EMIT: a changelog (EMIT CHANGES
-- is the default for non-windowed aggregations) with one updated row per input record.
CREATE TABLE fx_stats AS
SELECT pair, COUNT(*) AS ticks, MIN(rate) AS low, MAX(rate) AS high, LAST_VALUE(rate) AS last,
       AVG(rate) AS mean, MAX(ts) AS last_seen
FROM fx
GROUP BY pair
WITH ('fx.type' = 'file_source', 'fx.path' = 'data/fx.csv', 'fx.format' = 'csv',
      'fx_stats.type' = 'file_sink', 'fx_stats.path' = 'out/fx_stats.json');

-- Decimal group keys group by value: 1.0850, 1.0870 and 1.0860 all round to 1.09.
CREATE TABLE by_rate AS
SELECT ROUND(rate, 2) AS rounded, COUNT(*) AS n, MIN(rate) AS min_rate
FROM fx
GROUP BY ROUND(rate, 2)
EMIT FINAL
WITH ('fx.type' = 'file_source', 'fx.path' = 'data/fx.csv', 'fx.format' = 'csv',
      'by_rate.type' = 'file_sink', 'by_rate.path' = 'out/by_rate.csv', 'by_rate.format' = 'csv');
