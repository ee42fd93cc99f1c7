-- A correlated subquery against a stream: a stream has no current rows to look up, so `check`
-- refuses it at the subquery's FROM.
CREATE STREAM trades (id BIGINT, trader STRING)
WITH ('trades.type' = 'file_source', 'trades.path' = 'data/trades.csv', 'trades.format' = 'csv');
CREATE STREAM orders (id BIGINT, trader STRING)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/trades.csv', 'orders.format' = 'csv');

SELECT id FROM trades t WHERE EXISTS (SELECT 1 FROM orders o WHERE o.trader = t.trader);
