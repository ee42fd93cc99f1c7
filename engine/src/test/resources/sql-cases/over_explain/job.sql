-- The plan shows the analytic step between the filter and the projection, with what each partition keeps.
CREATE STREAM ticks (sym STRING, price DECIMAL(10,2), ts TIMESTAMP)
WITH ('ticks.type' = 'file_source', 'ticks.path' = 'ticks.csv', 'ticks.format' = 'csv', 'event.time.field' = 'ts');

EXPLAIN SELECT sym, price - LAG(price) OVER (PARTITION BY sym ORDER BY ts) AS chg FROM ticks WHERE price > 0;

EXPLAIN SELECT sym, AVG(price) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 4 PRECEDING AND 1 FOLLOWING) AS ma,
       SUM(price) OVER (PARTITION BY sym ORDER BY ts) AS cum
FROM ticks;

EXPLAIN SELECT sym, MAX(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY sym) AS hi FROM ticks WITH ('parallelism' = '2');
