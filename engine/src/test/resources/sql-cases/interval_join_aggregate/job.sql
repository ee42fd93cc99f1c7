-- Aggregations over the rows of stream-stream interval joins (the orders and shipments of
-- interval_join_orders: a shipment belongs to an order when it ships within the hour after it).
-- Matches within the hour: order 1 twice (101 at 10:20, 103 at 10:45), 2 (102), 5 (108), 7 (107), 8 (110);
-- order 3's shipment is 80 minutes after it, order 4's before it, 99 has no order, and order 6 is late.
CREATE STREAM orders (order_id BIGINT, customer STRING, amount DECIMAL(8,2), ts TIMESTAMP)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv');

CREATE STREAM shipments (ship_id BIGINT, order_id BIGINT, carrier STRING, ts TIMESTAMP)
WITH ('shipments.type' = 'file_source', 'shipments.path' = 'data/shipments.csv', 'shipments.format' = 'csv');

-- Per customer, once at the end: alice 2 shipments of 10.50 (21.00), bob 20.00, dave 12.00, frank 8.00, gina 1.00.
CREATE STREAM shipped_per_customer AS
SELECT o.customer, COUNT(*) AS shipments, SUM(o.amount) AS shipped_value
FROM orders o JOIN shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
GROUP BY o.customer EMIT FINAL
WITH ('shipped_per_customer.type' = 'file_sink', 'shipped_per_customer.path' = 'out/shipped_per_customer.json',
      'watermark.max_out_of_orderness' = '5m');

-- LEFT: every order that is not late, matched or not (1 twice, 2, 3, 4, 5, 7, 8, 9 = 9 rows), 6 of them with a shipment.
CREATE STREAM coverage AS
SELECT COUNT(*) AS rows_seen, COUNT(s.ship_id) AS with_shipment, SUM(o.amount) AS value_seen
FROM orders o LEFT JOIN shipments s ON s.order_id = o.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
EMIT FINAL
WITH ('coverage.type' = 'file_sink', 'coverage.path' = 'out/coverage.json', 'watermark.max_out_of_orderness' = '5m');

CREATE STREAM late_orders (order_id BIGINT, customer STRING, amount DECIMAL(8,2), ts TIMESTAMP)
WITH ('late_orders.type' = 'file_source', 'late_orders.path' = 'data/late_orders.csv', 'late_orders.format' = 'csv');
CREATE STREAM late_shipments (ship_id BIGINT, order_id BIGINT, carrier STRING, ts TIMESTAMP)
WITH ('late_shipments.type' = 'file_source', 'late_shipments.path' = 'data/late_shipments.csv', 'late_shipments.format' = 'csv');

-- One-minute windows on the order's time: alice's order (10:00) leaves the join at 10:58, after bob's
-- (10:50, shipped 10:55). The aggregation allows the join's interval on top of the minute of lateness,
-- so alice's row is not late: both windows have their order.
CREATE STREAM per_minute AS
SELECT o.customer, _window_start, COUNT(*) AS n
FROM late_orders o JOIN late_shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
GROUP BY o.customer WINDOW TUMBLING(o.ts, INTERVAL '1' MINUTE) EMIT FINAL
WITH ('per_minute.type' = 'file_sink', 'per_minute.path' = 'out/per_minute.json', 'watermark.max_out_of_orderness' = '1m');
