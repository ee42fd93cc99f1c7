-- Patterns that make Java's matcher backtrack without practical bound (a repeated .*a group, or LIKE
-- with many %, over a long run of a's with no b) fail their record with 2201B after a step budget
-- instead of hanging the job; the other records go on.
CREATE STREAM s (id BIGINT, s STRING)
WITH ('s.type' = 'file_source', 's.path' = 'data/s.csv', 's.format' = 'csv');

CREATE STREAM matched AS
SELECT id, REGEXP(s, '^(.*a){8}b') AS eight_a_then_b
FROM s
WITH ('matched.type' = 'file_sink', 'matched.path' = 'out/matched.csv', 'matched.format' = 'csv');

CREATE STREAM liked AS
SELECT id, s LIKE '%a%a%a%a%a%a%a%a%b' AS many_a_then_b
FROM s
WITH ('liked.type' = 'file_sink', 'liked.path' = 'out/liked.csv', 'liked.format' = 'csv');
