-- A DECIMAL chosen among several (CASE, COALESCE, IF, NULLIF, GREATEST, LEAST) has one type,
-- DECIMAL(p, largest scale), and every row is written at that scale: never 1.5 next to 2.25.
-- ROUND/CEIL/FLOOR and the aggregates say their result scale too; EXPLAIN shows the types.
CREATE STREAM p (id BIGINT, price DECIMAL(10,2), rate DECIMAL(8,4), qty BIGINT, flag BOOLEAN)
WITH ('p.type' = 'file_source', 'p.path' = 'data/p.csv', 'p.format' = 'csv');

EXPLAIN SELECT id, CASE WHEN id = 1 THEN 1.5 ELSE 2.25 END AS lit_case, COALESCE(price, rate) AS coalesced,
       IF(flag, price, qty) AS if_mixed, NULLIF(price, 1.5) AS nulled, GREATEST(price, rate, 1) AS greatest_v,
       LEAST(rate, 0.5) AS least_v, ROUND(rate, 2) AS round2, ROUND(price) AS round0, CEIL(rate) AS ceil_v,
       FLOOR(price) AS floor_v, MOD(price, rate) AS mod_v
FROM p;

SELECT id, CASE WHEN id = 1 THEN 1.5 ELSE 2.25 END AS lit_case, COALESCE(price, rate) AS coalesced,
       IF(flag, price, qty) AS if_mixed, NULLIF(price, 1.5) AS nulled, GREATEST(price, rate, 1) AS greatest_v,
       LEAST(rate, 0.5) AS least_v, ROUND(rate, 2) AS round2, ROUND(price) AS round0, CEIL(rate) AS ceil_v,
       FLOOR(price) AS floor_v, MOD(price, rate) AS mod_v
FROM p;

EXPLAIN SELECT MIN(COALESCE(price, rate)) AS lo, MAX(price) AS hi, SUM(price) AS total, AVG(rate) AS mean FROM p;

SELECT MIN(COALESCE(price, rate)) AS lo, MAX(price) AS hi, SUM(price) AS total, AVG(rate) AS mean FROM p;

-- ROUND with digits from the data keeps the input's scale (one type for the column).
SELECT id, rate, qty, ROUND(rate, qty) AS rounded FROM p;
