-- A record is aggregated whole or not at all: when SUM(v) refuses a value (BIGINT overflow, 22003),
-- COUNT(*), MAX and the other sums of that group must not have taken the record either.
CREATE STREAM t (k STRING, v BIGINT, w BIGINT)
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv');

CREATE TABLE totals AS
SELECT k PRIMARY KEY, COUNT(*) AS n, SUM(w) AS w_sum, SUM(v) AS v_sum, MAX(w) AS w_max, COUNT(v) AS n_v
FROM t
GROUP BY k
EMIT FINAL
WITH ('totals.type' = 'file_sink', 'totals.path' = 'out/totals.csv', 'totals.format' = 'csv');
