-- Every math function; decimals stay exact (ROUND half-up on DECIMAL), NULL in gives NULL out.
SELECT id,
       ABS(d) AS abs_d, ABS(x) AS abs_x,
       ROUND(d, 2) AS round_d2, ROUND(d) AS round_d0, ROUND(x, -1) AS round_x,
       CEIL(d) AS ceil_d, FLOOR(d) AS floor_d, CEILING(x) AS ceil_x,
       SQRT(ABS(x)) AS sqrt_x, POWER(x, 2) AS pow_x, MOD(x, 3) AS mod_x, MOD(d, 0.5) AS mod_d,
       EXP(0) AS exp0, LN(1) AS ln1, LOG10(1000) AS log10,
       LEAST(x, 3, 10) AS least_x, GREATEST(d, 0.1) AS greatest_d, SIGN(d) AS sign_d, SIGN(x) AS sign_x
FROM n
WITH ('n.type' = 'file_source', 'n.path' = 'data/n.json', 'n.schema' = 'id BIGINT, d DECIMAL(10,3), x BIGINT, f DOUBLE');
