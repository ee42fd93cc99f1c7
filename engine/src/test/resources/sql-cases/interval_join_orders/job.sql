-- Stream-stream interval joins of orders with their shipments: a shipment belongs to an order when it
-- ships within an hour after it. Both inputs are files, read merged by event time (ties to orders) and
-- each with its own time column; the join's watermark is the earlier of the two streams' (each its
-- latest time - 5 minutes). Order 6 (09:40) arrives after orders up to 10:30 were seen: behind the
-- watermark, it is late and dropped (counted), so shipment 109 finds no order. Shipment 106 ships
-- before order 4 and 104 eighty minutes after order 3: outside the bound.
CREATE STREAM orders (order_id BIGINT, customer STRING, amount DECIMAL(8,2), ts TIMESTAMP)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv');

CREATE STREAM shipments (ship_id BIGINT, order_id BIGINT, carrier STRING, ts TIMESTAMP)
WITH ('shipments.type' = 'file_source', 'shipments.path' = 'data/shipments.csv', 'shipments.format' = 'csv');

-- INNER: one row per order and shipment that match, written as the later of the two arrives.
CREATE STREAM shipped AS
SELECT o.order_id, o.customer, s.ship_id, s.carrier
FROM orders o JOIN shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
WITH ('shipped.type' = 'file_sink', 'shipped.path' = 'out/shipped.json', 'watermark.max_out_of_orderness' = '5m');

-- LEFT: every order that is not late; one without a shipment within the hour is written with NULLs once
-- its hour has passed the watermark (or at the end of input). WHERE filters the joined rows.
CREATE STREAM order_status AS
SELECT o.order_id, o.amount, s.ship_id, s.ship_id IS NULL AS unshipped
FROM orders o LEFT JOIN shipments s ON s.order_id = o.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
WHERE o.amount > 2
WITH ('order_status.type' = 'file_sink', 'order_status.path' = 'out/order_status.json', 'watermark.max_out_of_orderness' = '5m');

EXPLAIN SELECT o.order_id, s.ship_id
FROM orders o LEFT JOIN shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts - INTERVAL '10' MINUTE AND o.ts + INTERVAL '1' HOUR
WITH ('watermark.max_out_of_orderness' = '5m');
