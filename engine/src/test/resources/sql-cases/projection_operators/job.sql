-- Operators, CASE, CAST, NULL logic and exact decimal arithmetic; qty = 0 makes price / qty a
-- record-level division by zero (22012), which LogAndContinue skips and reports.
CREATE STREAM orders (
    id BIGINT, customer STRING, price DECIMAL(10,3), qty BIGINT,
    discount DECIMAL(4,2), status STRING, note STRING
) WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv');

CREATE STREAM priced AS
SELECT id,
       UPPER(customer) || '#' || CAST(id AS STRING) AS tag,
       price * qty AS gross,
       price * qty * (1 - discount) AS net,
       price / qty AS unit,
       qty % 2 AS parity,
       -price AS negated,
       CASE WHEN status = 'NEW' THEN 'open' WHEN status IN ('SHIPPED', 'DELIVERED') THEN 'done' ELSE 'other' END AS state,
       CASE status WHEN 'CANCELLED' THEN TRUE ELSE FALSE END AS cancelled,
       discount IS NULL AS no_discount,
       price BETWEEN 0 AND 10 AS cheap,
       note LIKE '%,%' AS has_comma,
       CAST(price AS BIGINT) AS price_int,
       CAST(price AS DOUBLE) AS price_double,
       CAST('2024-03-01 10:00:00' AS TIMESTAMP) + INTERVAL '90' SECOND AS ts,
       qty / 2 AS half_qty,
       discount > 0.2 OR discount IS NULL AS flag_or,
       NOT (qty > 2) AS few,
       note
FROM orders
WHERE status <> 'DELETED' AND id NOT IN (99, 100)
WITH ('priced.type' = 'file_sink', 'priced.path' = 'out/priced.json');
