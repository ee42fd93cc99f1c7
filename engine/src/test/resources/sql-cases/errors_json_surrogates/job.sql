-- A JSON escape naming half of a surrogate pair is not a character: the record fails with 22021 at
-- its line (it used to be read and written out as '?'); an escaped pair is one character.
SELECT id, s, LENGTH(s) AS n
FROM t
WITH ('t.type' = 'file_source', 't.path' = 'data/s.json', 't.format' = 'json', 't.schema' = 'id BIGINT, s STRING');
