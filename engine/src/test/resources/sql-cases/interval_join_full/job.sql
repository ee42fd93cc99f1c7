-- FULL and RIGHT interval joins in the WITHIN form: an order and a payment of it match when their event
-- times (each stream's 'event.time.field') are at most 10 minutes apart, either way. Payment 503 has no
-- order id: it matches nothing and goes out alone at once. Payment 507 (10:05) comes after payments up to
-- 10:35 and orders up to 10:21 were seen: behind the join's watermark (no out-of-orderness allowed), it is
-- late and dropped, so order 3 is unmatched. Unmatched rows are written when their interval closes, or
-- at the end of input; ORDER BY sorts the whole result.
CREATE STREAM orders (order_id BIGINT, customer STRING, ts TIMESTAMP)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv', 'orders.event.time.field' = 'ts');

CREATE STREAM payments (pay_id BIGINT, order_id BIGINT, method STRING, ts TIMESTAMP)
WITH ('payments.type' = 'file_source', 'payments.path' = 'data/payments.csv', 'payments.format' = 'csv',
      'payments.event.time.field' = 'ts');

CREATE STREAM reconciled AS
SELECT o.order_id AS order_id, o.customer, p.pay_id, p.method
FROM orders o FULL OUTER JOIN payments p WITHIN 10m ON o.order_id = p.order_id
ORDER BY pay_id, order_id
WITH ('reconciled.type' = 'file_sink', 'reconciled.path' = 'out/reconciled.csv', 'reconciled.format' = 'csv');

CREATE STREAM paid AS
SELECT p.pay_id, o.customer
FROM orders o RIGHT JOIN payments p ON p.order_id = o.order_id WITHIN 10m
WITH ('paid.type' = 'file_sink', 'paid.path' = 'out/paid.json');
