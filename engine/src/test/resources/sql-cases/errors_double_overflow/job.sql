-- A DOUBLE is a finite number. Non-numbers and out-of-range values read from CSV or JSON, and
-- overflowing arithmetic, functions, casts and sums, are record errors 22003 — never NULL or Infinity.
CREATE STREAM d (id BIGINT, x DOUBLE, t STRING)
WITH ('d.type' = 'file_source', 'd.path' = 'data/d.csv', 'd.format' = 'csv');

CREATE STREAM calc AS
SELECT id, CAST(t AS DOUBLE) AS t_num, x * 1e300 AS scaled, x / 1e-305 AS q, POWER(x, 100) AS p, EXP(x) AS e
FROM d
WITH ('calc.type' = 'file_sink', 'calc.path' = 'out/calc.csv', 'calc.format' = 'csv');

CREATE STREAM readings AS
SELECT id, x, CAST(CAST(x AS STRING) AS DOUBLE) AS again FROM j
WITH ('j.type' = 'file_source', 'j.path' = 'data/d.json', 'j.schema' = 'id BIGINT, x DOUBLE',
      'readings.type' = 'file_sink', 'readings.path' = 'out/readings.json');

CREATE TABLE sums AS
SELECT g PRIMARY KEY, SUM(x) AS total, AVG(x) AS mean, STDDEV(x) AS sd, COUNT(*) AS n
FROM big
GROUP BY g
EMIT FINAL
WITH ('big.type' = 'file_source', 'big.path' = 'data/big.csv', 'big.format' = 'csv', 'big.schema' = 'g STRING, x DOUBLE',
      'sums.type' = 'file_sink', 'sums.path' = 'out/sums.csv', 'sums.format' = 'csv');
