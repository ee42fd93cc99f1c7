-- The original engine's bounded buffer: OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY … ORDER BY …)
-- keeps the last 3 rows of each symbol, and the aggregates run over the current row and the 2 before it.
-- LAG may reach 2 rows back within the buffer. Nothing looks ahead, so rows go on in input order.
CREATE STREAM quotes (symbol STRING, price DECIMAL(10,5), seq BIGINT, ts TIMESTAMP)
WITH ('quotes.type' = 'file_source', 'quotes.path' = 'data/quotes.csv', 'quotes.format' = 'csv', 'event.time.field' = 'ts');

CREATE STREAM buffered AS
SELECT symbol, seq, price,
       AVG(price) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY ts) AS avg3,
       MAX(price) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY ts) AS hi3,
       COUNT(*) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY ts) AS n3,
       LAG(price, 2) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY ts) AS back2,
       price - FIRST_VALUE(price) OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY ts) AS drift3
FROM quotes
WITH ('buffered.type' = 'file_sink', 'buffered.path' = 'out/buffered.json', 'batch.size' = '2');
