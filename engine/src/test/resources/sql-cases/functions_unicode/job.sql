-- Strings are sequences of code points: lengths, positions and counts never split a surrogate pair
-- (😀 is one character, two UTF-16 units). TRIM by '😀' must not eat half of a neighbouring 😁.
SELECT id,
       LENGTH(s) AS len, CHAR_LENGTH(f) AS flen,
       SUBSTRING(s, 2, 2) AS sub22, SUBSTRING(s, 3) AS sub3, SUBSTRING(s, 0, 2) AS sub02,
       LEFT(s, 1) AS l1, LEFT(s, -1) AS lm1, RIGHT(s, 1) AS r1, RIGHT(s, -1) AS rm1,
       LPAD(s, 6, f) AS lp6, RPAD(s, 6, f) AS rp6, LPAD(s, 2) AS lp2, RPAD(s, 1, 'x') AS rp1,
       POSITION('a' IN s) AS pos_a, POSITION(f IN s) AS pos_f,
       SPLIT_PART(s, 'a', 2) AS part2, SPLIT_PART(s, f, -1) AS part_last,
       TRIM(s, f) AS trimmed, LTRIM(s, '😀') AS ltrimmed, RTRIM(s, '😀') AS rtrimmed,
       REPLACE(s, '', 'x') AS rep_empty, REPLACE(s, '😀', '.') AS rep_emoji,
       UPPER(s) AS up, REGEXP_REPLACE(s, '.', '_') AS each_char
FROM u
WITH ('u.type' = 'file_source', 'u.path' = 'data/u.json');
