SELECT DISTINCT sym FROM e ORDER BY sym DESC LIMIT 3
WITH ('e.type' = 'file_source', 'e.path' = 'data/e.json');

SELECT sym, px FROM e WHERE px > 1 LIMIT 2
WITH ('e.type' = 'file_source', 'e.path' = 'data/e.json');

-- Positions in GROUP BY and ORDER BY refer to the select list, as in PostgreSQL.
SELECT sym, COUNT(*) AS n FROM e GROUP BY 1 ORDER BY 2 DESC, 1 EMIT FINAL
WITH ('e.type' = 'file_source', 'e.path' = 'data/e.json');

-- HAVING may name a select item by its alias.
SELECT sym, COUNT(*) AS n FROM e GROUP BY sym HAVING n > 1 ORDER BY sym EMIT FINAL
WITH ('e.type' = 'file_source', 'e.path' = 'data/e.json');
