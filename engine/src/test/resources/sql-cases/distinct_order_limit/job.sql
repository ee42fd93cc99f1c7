SELECT DISTINCT sym FROM e ORDER BY sym DESC LIMIT 3
WITH ('e.type' = 'file_source', 'e.path' = 'data/e.json');

SELECT sym, px FROM e WHERE px > 1 LIMIT 2
WITH ('e.type' = 'file_source', 'e.path' = 'data/e.json');
