-- Every string function, including NULL handling (CONCAT skips NULLs, || propagates them).
SELECT id,
       UPPER(s) AS up, LOWER(s) AS low, TRIM(s) AS t, LTRIM(s) AS lt, RTRIM(s) AS rt,
       LENGTH(s) AS len, SUBSTRING(TRIM(s), 1, 5) AS sub, SUBSTRING(TRIM(s) FROM 8) AS sub_from,
       CONCAT('[', s, ']', id) AS cat, s || '!' AS bang,
       REPLACE(s, 'l', 'L') AS rep, LEFT(TRIM(s), 3) AS l3, RIGHT(TRIM(s), 3) AS r3,
       POSITION('o' IN s) AS pos_o, SPLIT_PART(csv, ',', 2) AS part2, SPLIT_PART(csv, ',', -1) AS last_part,
       LPAD(CAST(id AS STRING), 4, '0') AS lpad, RPAD('ab', 5, '-') AS rpad,
       REGEXP(s, '[A-Z]\w+') AS has_word, REGEXP_REPLACE(s, '\s+', ' ') AS squeezed,
       TRIM(BOTH ' ' FROM s) AS trim_both
FROM s
WITH ('s.type' = 'file_source', 's.path' = 'data/s.json');
