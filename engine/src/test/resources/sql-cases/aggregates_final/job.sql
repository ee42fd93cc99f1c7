-- Every aggregate, exact over decimals, one final row per group when the bounded input ends.
CREATE STREAM trades (account STRING, amount DECIMAL(10,2), qty BIGINT, px DOUBLE, note STRING)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv');

CREATE TABLE stats AS
SELECT account PRIMARY KEY,
       COUNT(*) AS n, COUNT(px) AS n_px, COUNT(DISTINCT note) AS notes,
       SUM(amount) AS total, AVG(amount) AS mean, MIN(amount) AS lo, MAX(amount) AS hi,
       SUM(qty) AS qty_sum, AVG(qty) AS qty_avg, SUM(px) AS px_sum, AVG(px) AS px_avg,
       FIRST_VALUE(amount) AS first_amt, LAST_VALUE(note) AS last_note,
       STDDEV(amount) AS sd, STDDEV_POP(amount) AS sd_pop, VARIANCE(qty) AS var_qty, VAR_POP(qty) AS varpop_qty,
       MEDIAN(amount) AS med, PERCENTILE_CONT(qty, 0.25) AS p25, PERCENTILE_DISC(amount, 0.5) AS pdisc,
       APPROX_COUNT_DISTINCT(note) AS approx_notes, STRING_AGG(note, '|') AS note_list,
       LISTAGG(CAST(qty AS STRING)) AS qty_list, MAX(note) AS max_note, SUM(amount) * 2 AS double_total,
       STDDEV_SAMP(amount) = STDDEV(amount) AS samp_is_default, VAR_SAMP(qty) AS var_samp_qty
FROM trades
GROUP BY account
HAVING COUNT(*) >= 1 AND account <> 'Z'
EMIT FINAL
WITH ('stats.type' = 'file_sink', 'stats.path' = 'out/stats.csv', 'stats.format' = 'csv');
