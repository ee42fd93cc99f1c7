-- DATE values are calendar days: every time function takes DATE and TIMESTAMP alike, DATE arithmetic
-- counts days, and a DATE is a TIMESTAMP at its midnight UTC when the two meet. Rows: a leap day, the
-- day before the epoch, a year boundary (2023-12-31 is a Sunday in ISO week 52 of 2023), and 1900.

-- Each time function on a DATE.
SELECT id, d,
       EXTRACT(YEAR FROM d) AS y, EXTRACT(QUARTER FROM d) AS q, EXTRACT(MONTH FROM d) AS mo,
       EXTRACT(WEEK FROM d) AS wk, EXTRACT(DAY FROM d) AS dd, EXTRACT(DOY FROM d) AS doy,
       EXTRACT(DOW FROM d) AS dow, EXTRACT(ISODOW FROM d) AS isodow, EXTRACT(HOUR FROM d) AS h,
       EXTRACT(MILLISECOND FROM d) AS ms, EXTRACT(EPOCH FROM d) AS epoch,
       DATE_TRUNC('week', d) AS week_start, DATE_TRUNC('month', d) AS month_start,
       DATE_TRUNC('quarter', d) AS quarter_start, DATE_TRUNC('YEAR', d) AS year_start, DATE_TRUNC('hour', d) AS hour_trunc,
       DATE_FORMAT(d, 'EEE d MMM yyyy HH:mm') AS formatted,
       DATEDIFF(d, DATE '2024-01-01') AS days_from_2024, DATEDIFF('day', DATE '1970-01-01', d) AS epoch_day,
       DATEDIFF('month', d, DATE '2024-12-31') AS months_to_end_2024, DATEDIFF('hours', d, ts) AS hours_to_ts,
       UNIX_TIMESTAMP(d) AS unix_d, TUMBLE_START(d, INTERVAL '7' DAY) AS week_window, TUMBLE_END(d, 1d) AS day_end
FROM t
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, d DATE, ts TIMESTAMP, s STRING');

-- The same functions on a TIMESTAMP and on ISO text.
SELECT id, ts,
       EXTRACT(YEAR FROM ts) AS y, EXTRACT(WEEK FROM ts) AS wk, EXTRACT(DOW FROM ts) AS dow, EXTRACT(HOUR FROM ts) AS h,
       EXTRACT(MILLISECOND FROM ts) AS ms, EXTRACT(EPOCH FROM ts) AS epoch,
       DATE_TRUNC('week', ts) AS week_start, DATE_TRUNC('day', ts) AS day_start, DATE_TRUNC('quarter', ts) AS quarter_start,
       DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss.SSS') AS formatted,
       DATEDIFF(ts, d) AS days_after_d, DATEDIFF('minute', d, ts) AS minutes_after_d, DATEDIFF('year', ts, DATE '2024-02-29') AS years_to_leap,
       UNIX_TIMESTAMP(ts) AS unix_ts, TUMBLE_START(ts, 1h) AS hour_window, TUMBLE_END(ts, INTERVAL '1' DAY) AS day_end,
       EXTRACT(DAY FROM s) AS s_day, DATE_TRUNC('month', s) AS s_month, UNIX_TIMESTAMP(s) AS s_unix
FROM t
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, d DATE, ts TIMESTAMP, s STRING');

-- DATE arithmetic, comparisons and casts.
SELECT id, d + 1 AS next_day, d - 1 AS prev_day, 30 + d AS in_30_days, d - DATE '2024-01-01' AS days_since_2024,
       d + INTERVAL '36' HOUR AS plus_36h, d - INTERVAL '1' DAY AS minus_1d, d + 2 * INTERVAL '1' HOUR AS plus_2h,
       d < ts AS before_ts, d = CAST(ts AS DATE) AS same_day, d >= '2000-01-01' AS since_2000,
       d BETWEEN TIMESTAMP '1969-12-31 00:00:00' AND TIMESTAMP '2023-12-31 00:00:00' AS in_range,
       CAST(d AS TIMESTAMP) AS midnight, CAST(d AS BIGINT) AS day_number, CAST(CAST(d AS BIGINT) AS DATE) AS round_trip,
       CAST(d AS STRING) AS text, CAST(s AS DATE) AS s_date, CAST(ts AS DATE) AS ts_date,
       CONCAT('on ', d, ' at ', ts) AS concatenated, d || '!' AS piped
FROM t
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, d DATE, ts TIMESTAMP, s STRING');

-- Filters on a DATE column against a date's text, a DATE and a TIMESTAMP.
SELECT id, d FROM t
WHERE d >= '2000-01-01' AND d < DATE '2024-02-29' OR d BETWEEN '1969-12-31' AND TIMESTAMP '1969-12-31 23:00:00'
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, d DATE, ts TIMESTAMP, s STRING');

SELECT id, d FROM t
WHERE d >= '1969-12-31' AND d <= DATE '2023-12-31'
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, d DATE, ts TIMESTAMP, s STRING');

-- CURRENT_DATE is today's DATE (checked for plausibility only).
SELECT EXTRACT(YEAR FROM CURRENT_DATE) >= 2024 AS this_century, DATEDIFF(CURRENT_DATE, DATE '2024-01-01') > 0 AS after_2024,
       UNIX_TIMESTAMP(CURRENT_DATE) <= UNIX_TIMESTAMP() AS at_midnight, CURRENT_DATE + 1 > CURRENT_DATE AS tomorrow,
       CURRENT_DATE <= NOW() AS before_now, DATE_TRUNC('day', CURRENT_DATE) = CURRENT_DATE AS truncated
FROM t
LIMIT 1
WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, d DATE, ts TIMESTAMP, s STRING');

-- DATE as a group key, written as CSV and JSON.
CREATE TABLE by_day AS
SELECT day, COUNT(*) AS n, SUM(amount) AS total, MIN(day + 7) AS week_later
FROM sales
GROUP BY day
EMIT FINAL
WITH ('sales.type' = 'file_source', 'sales.path' = 'data/days.csv', 'sales.format' = 'csv',
      'sales.schema' = 'day DATE, amount BIGINT',
      'by_day.type' = 'file_sink', 'by_day.path' = 'out/by_day.csv', 'by_day.format' = 'csv');

CREATE TABLE by_day_json AS
SELECT day, COUNT(*) AS n
FROM sales
GROUP BY day
EMIT FINAL
WITH ('sales.type' = 'file_source', 'sales.path' = 'data/days.csv', 'sales.format' = 'csv',
      'sales.schema' = 'day DATE, amount BIGINT',
      'by_day_json.type' = 'file_sink', 'by_day_json.path' = 'out/by_day.json', 'by_day_json.format' = 'json');

-- A DATE as event time: each record's event time is its day's midnight, so two-day tumbling windows
-- (aligned to the epoch, which began on a Thursday) hold whole days.
CREATE STREAM two_days AS
SELECT COUNT(*) AS n, SUM(amount) AS total, _window_start AS ws, _window_end AS we
FROM sales
WINDOW TUMBLING(INTERVAL '2' DAY)
WITH ('sales.type' = 'file_source', 'sales.path' = 'data/days.csv', 'sales.format' = 'csv',
      'sales.schema' = 'day DATE, amount BIGINT', 'event.time.field' = 'day',
      'two_days.type' = 'file_sink', 'two_days.path' = 'out/two_days.json');

-- A DATE column as the window's time column, and a DATE expression as _event_time.
CREATE STREAM weekly AS
SELECT COUNT(*) AS n, TUMBLE_START(day, INTERVAL '7' DAY) AS ws
FROM sales
WINDOW TUMBLING(day, INTERVAL '7' DAY)
WITH ('sales.type' = 'file_source', 'sales.path' = 'data/days.csv', 'sales.format' = 'csv',
      'sales.schema' = 'day DATE, amount BIGINT',
      'weekly.type' = 'file_sink', 'weekly.path' = 'out/weekly.json');

CREATE STREAM stamped AS
SELECT amount, day + 1 AS _event_time
FROM sales
WITH ('sales.type' = 'file_source', 'sales.path' = 'data/days.csv', 'sales.format' = 'csv',
      'sales.schema' = 'day DATE, amount BIGINT',
      'stamped.type' = 'file_sink', 'stamped.path' = 'out/stamped.json');
