-- Ranking and navigation: ROW_NUMBER, RANK (gaps after ties), DENSE_RANK, FIRST_VALUE and LAST_VALUE
-- over the default frame (RANGE UNBOUNDED PRECEDING .. CURRENT ROW: LAST_VALUE is the last row of the
-- current round), and LEAD(pts, 2, -1). LEAD holds a row until two more rows of its player arrived and
-- the RANGE frame until a later round did; the input's end flushes the rest, player by player, LEAD
-- taking its default where no row follows.
CREATE STREAM scores (player STRING, round BIGINT, pts BIGINT)
WITH ('scores.type' = 'file_source', 'scores.path' = 'data/scores.csv', 'scores.format' = 'csv');

CREATE STREAM ranked AS
SELECT player, round, pts,
       ROW_NUMBER() OVER (PARTITION BY player ORDER BY round) AS rn,
       RANK() OVER (PARTITION BY player ORDER BY round) AS rk,
       DENSE_RANK() OVER (PARTITION BY player ORDER BY round) AS dr,
       FIRST_VALUE(pts) OVER (PARTITION BY player ORDER BY round) AS fv,
       LAST_VALUE(pts) OVER (PARTITION BY player ORDER BY round) AS lv,
       LEAD(pts, 2, -1) OVER (PARTITION BY player ORDER BY round) AS lead2
FROM scores
WITH ('ranked.type' = 'file_sink', 'ranked.path' = 'out/ranked.json');

-- Without ORDER BY an aggregate's frame counts rows in arrival order (default: the player's rows so
-- far), and no row waits.
CREATE STREAM running AS
SELECT player, pts,
       COUNT(*) OVER (PARTITION BY player) AS seen,
       SUM(pts) OVER (PARTITION BY player) AS total,
       MAX(pts) OVER (PARTITION BY player ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS best2
FROM scores
WITH ('running.type' = 'file_sink', 'running.path' = 'out/running.json');
