-- An aggregation over a keyed table: each row of a key replaces the one before, so the replaced row is
-- taken back out of its group before the new one goes in, and a tombstone (_deleted true) takes it back
-- alone. Account 1 moves from EU to US; 2 is updated, then deleted; 3 is deleted; 4 is updated. A group
-- whose rows all left is retracted (EU twice, APAC once). Expected rows worked out by hand: see the
-- comment at the end. The same job with one record per batch writes the same changelog.
CREATE TABLE accounts (id BIGINT PRIMARY KEY, region STRING, balance DECIMAL(10,2), _deleted BOOLEAN)
WITH ('accounts.type' = 'file_source', 'accounts.path' = 'data/accounts.csv', 'accounts.format' = 'csv');

CREATE TABLE by_region AS
SELECT region, COUNT(*) AS n, SUM(balance) AS total, AVG(balance) AS mean
FROM accounts
GROUP BY region
WITH ('by_region.type' = 'file_sink', 'by_region.path' = 'out/by_region.json', 'batch.size' = '4');

CREATE TABLE by_region_1 AS
SELECT region, COUNT(*) AS n, SUM(balance) AS total, AVG(balance) AS mean
FROM accounts
GROUP BY region
WITH ('by_region_1.type' = 'file_sink', 'by_region_1.path' = 'out/by_region_1.json', 'batch.size' = '1');

-- WHERE applies to the replaced row and the new one alike: 4's first row (1.00) never counted, so its
-- update only adds. Final rows: US (account 1, 10.00) and APAC (account 4, 2.00); EU has none left.
CREATE STREAM final_rows AS
SELECT region, COUNT(*) AS n, SUM(balance) AS total
FROM accounts
WHERE balance > 1.00
GROUP BY region
EMIT FINAL
WITH ('final_rows.type' = 'file_sink', 'final_rows.path' = 'out/final.json');

-- MIN and MAX take a replaced row back too: each group keeps its values in order, so when 1 moves to US
-- EU's maximum falls back to 5.50, and when 3 is deleted US's minimum rises to 10.00.
CREATE TABLE by_region_range AS
SELECT region, MIN(balance) AS lo, MAX(balance) AS hi
FROM accounts
GROUP BY region
WITH ('by_region_range.type' = 'file_sink', 'by_region_range.path' = 'out/range.json', 'batch.size' = '4');

-- By hand, by_region after each record: EU 1/10.00; EU 2/15.50; US 1/7.25; (1 moves) EU 1/5.50, US
-- 2/17.25; (2 updated) EU retracted, EU 1/6.50; (3 deleted) US 1/10.00; APAC 1/1.00; (4 updated) APAC
-- retracted, APAC 1/2.00; (2 deleted) EU retracted.
