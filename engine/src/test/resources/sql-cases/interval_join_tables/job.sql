-- Tables after a stream-stream interval join (the orders and shipments of interval_join_orders). The
-- shipments within the hour after their order: 101 (UPS) and 103 (FedEx) of order 1 (alice), 102 (DHL)
-- of order 2 (bob), 108 (UPS) of order 5 (dave), 107 (DHL) of order 7 (frank), 110 (no carrier) of
-- order 8 (gina). carriers.csv knows UPS and DHL; vip.csv lists alice and dave.
CREATE STREAM orders (order_id BIGINT, customer STRING, amount DECIMAL(8,2), ts TIMESTAMP)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv');

CREATE STREAM shipments (ship_id BIGINT, order_id BIGINT, carrier STRING, ts TIMESTAMP)
WITH ('shipments.type' = 'file_source', 'shipments.path' = 'data/shipments.csv', 'shipments.format' = 'csv');

CREATE TABLE carriers (carrier STRING PRIMARY KEY, region STRING)
WITH ('carriers.type' = 'file_source', 'carriers.path' = 'data/carriers.csv', 'carriers.format' = 'csv');

CREATE TABLE vip (customer STRING PRIMARY KEY, tier STRING)
WITH ('vip.type' = 'file_source', 'vip.path' = 'data/vip.csv', 'vip.format' = 'csv');

-- LEFT: all six matches, with the region where the carrier is known (103 FedEx and 110 without: NULL).
CREATE STREAM shipped_regions AS
SELECT o.order_id, s.ship_id, c.region
FROM orders o JOIN shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
LEFT JOIN carriers c ON s.carrier = c.carrier
WITH ('shipped_regions.type' = 'file_sink', 'shipped_regions.path' = 'out/shipped_regions.json', 'watermark.max_out_of_orderness' = '5m');

-- INNER: the four with a known carrier; two join results without a table match.
CREATE STREAM known_carriers AS
SELECT o.order_id, s.ship_id, c.region
FROM orders o JOIN shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
JOIN carriers c ON c.carrier = s.carrier
WITH ('known_carriers.type' = 'file_sink', 'known_carriers.path' = 'out/known_carriers.json', 'watermark.max_out_of_orderness' = '5m');

-- A subquery over the joined rows: alice's two shipments and dave's one (both streams are read).
CREATE STREAM vip_shipments AS
SELECT o.customer, s.ship_id
FROM orders o JOIN shipments s ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR
WHERE o.customer IN (SELECT customer FROM vip)
WITH ('vip_shipments.type' = 'file_sink', 'vip_shipments.path' = 'out/vip_shipments.json', 'watermark.max_out_of_orderness' = '5m');
