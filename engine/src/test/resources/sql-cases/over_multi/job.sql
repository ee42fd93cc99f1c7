-- Several OVER specifications in one query, each its own stage over the rows the one before passed on:
-- LAG/LEAD by time per symbol; rankings within a buffer of each symbol's last rows by price (descending
-- and ascending) and by volume descending, which do not ask rows to arrive in price or volume order; a
-- count over the last three rows of all symbols. The stage whose LEAD holds rows back runs last, so the
-- rows go out as LEAD completes them (A1 when A2 arrives, ...), the rest at the end of input.
CREATE STREAM quotes (symbol STRING, ts BIGINT, price DECIMAL(8,2), volume BIGINT)
WITH ('quotes.type' = 'file_source', 'quotes.path' = 'data/quotes.csv', 'quotes.format' = 'csv');

CREATE STREAM ranked AS
SELECT symbol, ts, price,
       LAG(price) OVER (PARTITION BY symbol ORDER BY ts) AS prev,
       LEAD(price) OVER (PARTITION BY symbol ORDER BY ts) AS next,
       RANK() OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY price DESC) AS price_rank,
       DENSE_RANK() OVER (ROWS WINDOW BUFFER 4 ROWS PARTITION BY symbol ORDER BY volume DESC) AS volume_rank,
       ROW_NUMBER() OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY price) AS price_row,
       PERCENT_RANK() OVER (ROWS WINDOW BUFFER 3 ROWS PARTITION BY symbol ORDER BY price) AS price_pct,
       COUNT(*) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3
FROM quotes
WITH ('ranked.type' = 'file_sink', 'ranked.path' = 'out/ranked.json');
