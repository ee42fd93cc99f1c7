-- Time functions on TIMESTAMP values (UTC). NOW() is checked for plausibility only.
SELECT id,
       EXTRACT(YEAR FROM ts) AS y, EXTRACT(MONTH FROM ts) AS mo, EXTRACT(DAY FROM ts) AS d,
       EXTRACT(HOUR FROM ts) AS h, EXTRACT(MINUTE FROM ts) AS mi, EXTRACT(SECOND FROM ts) AS s,
       EXTRACT(MILLISECOND FROM ts) AS ms, EXTRACT(DOW FROM ts) AS dow, EXTRACT(DOY FROM ts) AS doy,
       EXTRACT(QUARTER FROM ts) AS q, EXTRACT(EPOCH FROM ts) AS epoch,
       DATE_TRUNC('hour', ts) AS hour_start, DATE_TRUNC('month', ts) AS month_start,
       DATE_FORMAT(ts, 'yyyy/MM/dd HH:mm') AS formatted,
       DATEDIFF('day', ts, TIMESTAMP '2024-03-31 00:00:00') AS days_to_end_of_march,
       DATEDIFF(TIMESTAMP '2024-01-10 00:00:00', ts) AS days_since,
       FROM_UNIXTIME(secs) AS from_unix, UNIX_TIMESTAMP(ts) AS unix_ts,
       TUMBLE_START(ts, INTERVAL '1' MINUTE) AS minute_start, TUMBLE_END(ts, 5m) AS five_min_end,
       NOW() > TIMESTAMP '2020-01-01 00:00:00' AS now_is_recent,
       CURRENT_TIMESTAMP IS NOT NULL AS has_current, CURRENT_DATE >= DATE '2024-01-01' AS date_is_recent,
       CAST(ts AS DATE) AS day, CAST(CAST(ts AS DATE) AS STRING) AS day_text
FROM t
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, ts TIMESTAMP, secs BIGINT');
