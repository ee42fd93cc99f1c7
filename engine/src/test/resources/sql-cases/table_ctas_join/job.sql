-- A CREATE TABLE … AS grouped by one column is keyed by it: read back as a table, its changelog
-- keeps the last row per key (alice's 5, 15 and 13 leave 13), and a retraction (a _deleted row,
-- bob leaving HAVING) removes its key.
CREATE STREAM fills (trader STRING, qty BIGINT)
WITH ('fills.type' = 'file_source', 'fills.path' = 'data/fills.csv', 'fills.format' = 'csv');

CREATE STREAM orders (id BIGINT, trader STRING)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv');

CREATE TABLE positions AS
SELECT trader, SUM(qty) AS position FROM fills GROUP BY trader
WITH ('positions.type' = 'file_sink', 'positions.path' = 'out/positions.csv', 'positions.format' = 'csv');

CREATE TABLE big AS
SELECT trader, SUM(qty) AS position FROM fills GROUP BY trader HAVING SUM(qty) > 10
WITH ('big.type' = 'file_sink', 'big.path' = 'out/big.json');

DESCRIBE positions;

SELECT o.id, o.trader, p.position FROM orders o LEFT JOIN positions p ON o.trader = p.trader;

SELECT o.id, b.trader, b.position FROM orders o JOIN big b ON o.trader = b.trader;
