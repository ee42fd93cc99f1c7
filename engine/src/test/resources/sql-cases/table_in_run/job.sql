-- A CREATE TABLE … AS with no sink, the original engine's way to keep a table for the later queries
-- of a script: the later statements of the run read it back as they read a file sink's table (by its
-- key; a _deleted row deletes), and the run removes it when it ends.
--
-- fills: alice 5, bob 20, alice 10, carol 3, bob -15, alice -2
--   positions (SUM per trader, one change per fill): alice 5, bob 20, alice 15, carol 3, bob 5, alice 13;
--   the table: alice 13, bob 5, carol 3
--   big (HAVING SUM > 10): bob 20 in, alice 15 in, bob 5 out (a _deleted row), alice 13; the table: alice 13
CREATE STREAM fills (trader STRING, qty BIGINT)
WITH ('fills.type' = 'file_source', 'fills.path' = 'data/fills.csv', 'fills.format' = 'csv');

CREATE STREAM orders (id BIGINT, trader STRING)
WITH ('orders.type' = 'file_source', 'orders.path' = 'data/orders.csv', 'orders.format' = 'csv');

CREATE TABLE positions AS
SELECT trader, SUM(qty) AS position FROM fills GROUP BY trader;

CREATE TABLE big AS
SELECT trader, SUM(qty) AS position FROM fills GROUP BY trader HAVING SUM(qty) > 10;

DESCRIBE big;

-- joined by key: orders 1 alice, 2 bob, 3 carol, 4 dave -> 13, 5, 3, NULL
SELECT o.id, o.trader, p.position FROM orders o LEFT JOIN positions p ON o.trader = p.trader;

-- a subquery against a table of the run: only alice is big -> order 1
SELECT id, trader FROM orders WHERE trader IN (SELECT trader FROM big);

-- read FROM, a table of the run is its changelog, as a file sink's table is (see "Changelogs"):
-- the changes above 4 are alice 5, bob 20, alice 15, bob 5, alice 13
SELECT trader, position FROM positions WHERE position > 4;

-- a table of the run made from another one, here written to a file: its changes are the positions'
-- changes doubled (alice 10, bob 40, alice 30, carol 6, bob 10, alice 26)
CREATE TABLE doubled AS SELECT trader, position * 2 AS twice FROM positions
WITH ('doubled.type' = 'file_sink', 'doubled.path' = 'out/doubled.csv', 'doubled.format' = 'csv');
