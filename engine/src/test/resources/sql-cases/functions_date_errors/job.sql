-- Units, patterns and amounts from the data are checked per record: a bad one is a record error at
-- its line, and the other records go on (8 read = 3 written + 5 failed). A DATE given as a number is
-- days since 1970-01-01 (line 8: 19782 is 2024-02-29); a day out of the DATE range is an error.
CREATE STREAM t (id BIGINT, d DATE, unit STRING, pattern STRING, n BIGINT)
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv');

CREATE STREAM o AS
SELECT id, DATE_TRUNC(unit, d) AS truncated, DATEDIFF(unit, d, DATE '2025-03-01') AS diff,
       DATE_FORMAT(d, pattern) AS formatted, d + n AS shifted, TUMBLE_START(d, ABS(n) * INTERVAL '2' DAY) AS tumble
FROM t
WITH ('o.type' = 'file_sink', 'o.path' = 'out/o.json', 'failure_strategy' = 'LogAndContinue');
