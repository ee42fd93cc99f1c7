-- A SESSION window in the shorthand form over a file without 'event.time.field': its records have
-- no event time of their own, so `check` refuses it at the window's position.
SELECT k, COUNT(*) AS n FROM src GROUP BY k
WINDOW SESSION(30s)
WITH ('src.type' = 'file_source', 'src.path' = 'data/in.csv', 'src.format' = 'csv');
