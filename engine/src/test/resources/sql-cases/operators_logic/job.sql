-- Three-valued logic, the remaining comparison forms, integer division and remainder signs, and
-- the implicit casts between BIGINT, DECIMAL and DOUBLE.
SELECT id,
       a / b AS int_div, a % b AS int_rem, a / 2.0 AS dec_div, a + d AS bigint_plus_decimal, d * x AS dec_times_dbl,
       +a AS unary_plus, a::DOUBLE AS a_double, CAST(d AS STRING) AS d_text,
       a IS DISTINCT FROM b AS distinct_ab, a IS NOT DISTINCT FROM 7 AS same_as_7,
       f IS TRUE AS f_true, f IS NOT FALSE AS f_not_false, f IS NULL AS f_null,
       f AND FALSE AS f_and_false, f OR TRUE AS f_or_true, NOT f AS not_f, f AND TRUE AS f_and_true,
       a NOT BETWEEN -5 AND 5 AS outside, s NOT LIKE 'a%' AS not_a, s < 'b' AS before_b, s != 'apple' AS not_apple,
       a IN (7, NULL) AS in_with_null, a NOT IN (1, NULL) AS not_in_with_null, b >= 3 AS b_ge_3, b <= 2 AS b_le_2,
       ts > '2024-03-01 00:00:00' AS after_march, CAST(ts AS DATE) = DATE '2024-06-30' AS on_june_30,
       COALESCE(a, b, -1) * 2 AS coalesced
FROM v
WHERE id <> 0 AND COALESCE(s, 'none') <> 'cherry'
WITH ('v.type' = 'file_source', 'v.path' = 'data/v.json',
      'v.schema' = 'id BIGINT, a BIGINT, b BIGINT, f BOOLEAN, s STRING, d DECIMAL(6,2), x DOUBLE, ts TIMESTAMP');

-- Batch filters on TIMESTAMP and BIGINT columns against constants (text is cast to TIMESTAMP once).
SELECT id FROM v WHERE ts >= '2024-06-01T00:00:00Z' AND id BETWEEN 1 AND 5 AND a IS NULL
WITH ('v.type' = 'file_source', 'v.path' = 'data/v.json',
      'v.schema' = 'id BIGINT, a BIGINT, b BIGINT, f BOOLEAN, s STRING, d DECIMAL(6,2), x DOUBLE, ts TIMESTAMP');
