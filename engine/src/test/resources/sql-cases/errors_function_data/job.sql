-- Values a function cannot take, coming from the data, are record errors with their position —
-- a bad regular expression or replacement 2201B, a string beyond the 10 MiB limit 54000 — and the
-- job goes on. (Constant ones are refused by `check`: see ValidationErrorTest.)
CREATE STREAM r AS
SELECT id, REGEXP(s, pat) AS m, REGEXP_REPLACE(s, pat, rep) AS replaced, LPAD(s, n, 'x') AS padded
FROM rx
WITH ('rx.type' = 'file_source', 'rx.path' = 'data/r.csv', 'rx.format' = 'csv',
      'rx.schema' = 'id BIGINT, s STRING, pat STRING, rep STRING, n BIGINT',
      'r.type' = 'file_sink', 'r.path' = 'out/r.json');

-- Size bombs: each would build more than 10,485,760 characters.
CREATE STREAM two (k STRING, s STRING) WITH ('two.type' = 'file_source', 'two.path' = 'data/two.csv', 'two.format' = 'csv');

CREATE STREAM bombs AS
SELECT k, LENGTH(LPAD(s, 6000000, s)) AS ok_len,
       CASE k WHEN 'a' THEN LENGTH(LPAD(s, 6000000, s) || LPAD(s, 6000000, s))
              WHEN 'b' THEN LENGTH(REPLACE(LPAD(s, 6000000, s), s, 'yy'))
              WHEN 'c' THEN LENGTH(CONCAT(LPAD(s, 6000000, s), LPAD(s, 6000000, s))) END AS grown
FROM two
WITH ('bombs.type' = 'file_sink', 'bombs.path' = 'out/bombs.json');

CREATE TABLE agg AS
SELECT k PRIMARY KEY, LENGTH(STRING_AGG(LPAD(s, 6000000, s), '')) AS len, COUNT(*) AS n
FROM two
GROUP BY k
EMIT FINAL
WITH ('agg.type' = 'file_sink', 'agg.path' = 'out/agg.json');

-- Counts and positions from the data: a negative SUBSTRING length or a zero SPLIT_PART position is a
-- record error 22023 (constant ones are refused by `check`).
SELECT id, SUBSTRING('abcdef', 1, n - 3) AS sub, SPLIT_PART('a,b,c', ',', n - 5) AS part FROM rx
WITH ('rx.type' = 'file_source', 'rx.path' = 'data/r.csv', 'rx.format' = 'csv',
      'rx.schema' = 'id BIGINT, s STRING, pat STRING, rep STRING, n BIGINT');
