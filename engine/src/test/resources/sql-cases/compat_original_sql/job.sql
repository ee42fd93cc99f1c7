-- Query shapes of the original engine's trading demo, on files: 'symbol PRIMARY KEY' in the SELECT
-- list, 'timestamp AS _event_time' with the event-time properties, WINDOW written before GROUP BY,
-- TUMBLE_START/TUMBLE_END, FIRST_VALUE/LAST_VALUE candles with EMIT CHANGES, the TUMBLING(1m)
-- shorthand with _window_start/_window_end, and LAG over 'ROWS WINDOW BUFFER n ROWS'. Each job reads
-- the file the one before wrote, as the demo's jobs read each other's topics. An item aliased
-- _event_time sets the record's event time (it is no column); a file keeps no event time, so the jobs
-- reading it back name its time field.
CREATE STREAM market_data_ts AS
SELECT symbol PRIMARY KEY, price, volume, timestamp, timestamp AS _event_time
FROM in_ticks
EMIT CHANGES
WITH ('in_ticks.type' = 'file_source', 'in_ticks.path' = 'data/ticks.csv', 'in_ticks.format' = 'csv',
      'in_ticks.schema' = 'symbol STRING, price DECIMAL(10,2), volume BIGINT, timestamp BIGINT',
      'event.time.field' = 'timestamp', 'event.time.format' = 'epoch_millis',
      'watermark.strategy' = 'bounded_out_of_orderness', 'watermark.max_out_of_orderness' = '5s',
      'market_data_ts.type' = 'file_sink', 'market_data_ts.path' = 'out/market_data_ts.csv', 'market_data_ts.format' = 'csv');

-- Every tick emits its candle's new state (EMIT CHANGES).
CREATE STREAM tick_buckets AS
SELECT symbol PRIMARY KEY,
       TUMBLE_START(_event_time, INTERVAL '1' SECOND) AS bucket_start,
       TUMBLE_END(_event_time, INTERVAL '1' SECOND) AS bucket_end,
       MIN(price) AS min_price, MAX(price) AS max_price, SUM(volume) AS total_volume, COUNT(*) AS trade_count,
       FIRST_VALUE(price) AS open_price, LAST_VALUE(price) AS close_price
FROM market_data_ts
WINDOW TUMBLING(_event_time, INTERVAL '1' SECOND)
GROUP BY symbol
EMIT CHANGES
WITH ('market_data_ts.event.time.field' = 'timestamp',
      'tick_buckets.type' = 'file_sink', 'tick_buckets.path' = 'out/tick_buckets.csv', 'tick_buckets.format' = 'csv');

-- One row per symbol and minute when its window closes (all six ticks are in the first minute).
CREATE STREAM price_stats AS
SELECT symbol PRIMARY KEY, COUNT(*) AS record_count, SUM(volume) AS volume,
       _window_start AS window_start, _window_end AS window_end
FROM market_data_ts
GROUP BY symbol
  WINDOW TUMBLING(1m)
WITH ('market_data_ts.event.time.field' = 'timestamp',
      'price_stats.type' = 'file_sink', 'price_stats.path' = 'out/price_stats.csv', 'price_stats.format' = 'csv');

CREATE STREAM price_moves AS
SELECT symbol PRIMARY KEY, price,
       LAG(price, 1) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY symbol ORDER BY _event_time) AS prev_price,
       price - LAG(price, 1) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY symbol ORDER BY _event_time) AS change
FROM market_data_ts
WITH ('market_data_ts.event.time.field' = 'timestamp',
      'price_moves.type' = 'file_sink', 'price_moves.path' = 'out/price_moves.csv', 'price_moves.format' = 'csv');
