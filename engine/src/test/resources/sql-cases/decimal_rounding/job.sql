-- Division results have scale max(6, s1, s2) and round half-up by default; 'decimal.rounding' =
-- 'half_even' rounds ties to even. 5 / 2000000 = 0.0000025 is a tie at six places.
SELECT a, CAST(a AS DECIMAL) / b AS q_half_up FROM r
WITH ('r.type' = 'file_source', 'r.path' = 'data/r.csv', 'r.format' = 'csv');

SELECT a, CAST(a AS DECIMAL) / b AS q_half_even FROM r
WITH ('r.type' = 'file_source', 'r.path' = 'data/r.csv', 'r.format' = 'csv', 'decimal.rounding' = 'half_even');
