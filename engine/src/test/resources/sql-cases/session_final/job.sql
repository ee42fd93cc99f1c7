-- Session windows with a 5 s gap per user, event time from 'event.time.field', 10 s out-of-orderness.
-- u1's tick at 5000 overlaps both its open sessions [1000, 6000) and [9000, 14000) and merges them into
-- [1000, 14000) (COUNT DISTINCT, AVG and FIRST/LAST_VALUE in arrival order across the merge). u1 at
-- 2000 is behind the watermark but joins that open session; u2 at 4000 overlaps no open session of u2
-- and its own span [4000, 9000) has ended: late, dropped and counted.
CREATE STREAM sessions AS
SELECT user, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS avg_amount, COUNT(DISTINCT venue) AS venues,
       FIRST_VALUE(venue) AS first_venue, LAST_VALUE(venue) AS last_venue, _window_start AS ws, _window_end AS we
FROM clicks
GROUP BY user
WINDOW SESSION(5s)
WITH ('clicks.type' = 'file_source', 'clicks.path' = 'data/clicks.csv', 'clicks.format' = 'csv',
      'clicks.schema' = 'user STRING, amount DECIMAL(8,2), venue STRING, ts BIGINT',
      'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '10s',
      'batch.strategy' = 'fixed_size', 'batch.size' = '3',
      'sessions.type' = 'file_sink', 'sessions.path' = 'out/sessions.json');
