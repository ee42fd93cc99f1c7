-- The clicks of session_final with SESSION(ts, INTERVAL '5' SECOND) and EMIT CHANGES: each accepted
-- click writes its session's updated row (after the merge at 5000, the merged session's); the late
-- click is dead-lettered and counted.
CREATE STREAM sessions AS
SELECT user, COUNT(*) AS n, SUM(amount) AS total, MAX(amount) AS biggest, _window_start AS ws, _window_end AS we
FROM clicks
GROUP BY user
WINDOW SESSION(ts, INTERVAL '5' SECOND)
EMIT CHANGES
WITH ('clicks.type' = 'file_source', 'clicks.path' = 'data/clicks.csv', 'clicks.format' = 'csv',
      'clicks.schema' = 'user STRING, amount DECIMAL(8,2), venue STRING, ts TIMESTAMP',
      'watermark.max_out_of_orderness' = '10s', 'batch.size' = '1000',
      'late.data.strategy' = 'dead_letter', 'dlq.path' = 'late.jsonl',
      'sessions.type' = 'file_sink', 'sessions.path' = 'out/sessions.csv', 'sessions.format' = 'csv');
