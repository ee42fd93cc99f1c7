-- HAVING over a changelog (EMIT CHANGES, the default without a window) retracts: when a group stops
-- satisfying HAVING the result gets a retraction for its key (the key columns, NULL elsewhere and
-- "_deleted":true in JSON), and it reappears when it satisfies HAVING again. Account a appears
-- (5), disappears (1), reappears (11, 12); b appears at 5, disappears at 0, reappears at 4.
CREATE STREAM moves (acct STRING, amount BIGINT, ts BIGINT)
WITH ('moves.type' = 'file_source', 'moves.path' = 'data/moves.csv', 'moves.format' = 'csv');

CREATE TABLE rich AS
SELECT acct, SUM(amount) AS balance, COUNT(*) AS n, UPPER(acct) AS label
FROM moves
GROUP BY acct
HAVING SUM(amount) >= 4
WITH ('rich.type' = 'file_sink', 'rich.path' = 'out/rich.json');

-- The same changelog as CSV: a last column _deleted is true on retractions (their non-key cells empty).
CREATE TABLE rich_csv AS
SELECT acct, SUM(amount) AS balance
FROM moves
GROUP BY acct
HAVING SUM(amount) >= 4
WITH ('rich_csv.type' = 'file_sink', 'rich_csv.path' = 'out/rich.csv', 'rich_csv.format' = 'csv');

-- A group whose row fails (division by zero while its balance is 0) after it was written is
-- retracted too: a reader must not keep a value the group no longer has. c's row fails at 7 - 7.
CREATE TABLE shares AS
SELECT acct, 100 / SUM(amount) AS share
FROM moves
GROUP BY acct
WITH ('shares.type' = 'file_sink', 'shares.path' = 'out/shares.json');

-- Windowed EMIT CHANGES with HAVING: retractions name the window too; a closed window is final, and
-- the groups of a later window start unseen (a at 6100 is below HAVING: nothing to retract).
CREATE STREAM busy AS
SELECT acct, COUNT(*) AS n, SUM(amount) AS total, _window_start AS ws
FROM moves
GROUP BY acct
WINDOW TUMBLING(3s)
HAVING SUM(amount) > 2
EMIT CHANGES
WITH ('event.time.field' = 'ts', 'busy.type' = 'file_sink', 'busy.path' = 'out/busy.json');

-- ORDER BY over an aggregation without EMIT, on a bounded input: the final groups, sorted.
SELECT acct, SUM(amount) AS balance FROM moves GROUP BY acct ORDER BY balance DESC LIMIT 2;

-- DISTINCT over an aggregation without EMIT, on a bounded input: over the final groups too.
SELECT DISTINCT COUNT(*) AS n FROM moves GROUP BY acct;

EXPLAIN CREATE TABLE rich2 AS SELECT acct, SUM(amount) AS balance FROM moves GROUP BY acct HAVING SUM(amount) >= 4
WITH ('rich2.type' = 'file_sink', 'rich2.path' = 'out/rich2.json');

-- A later statement reading a retracting changelog sees its _deleted column (false on upserts), so it
-- can tell retractions from rows: here the last balance written per account, retractions counted apart.
SELECT acct, COUNT(*) AS changes, SUM(CASE WHEN _deleted THEN 1 ELSE 0 END) AS retractions,
       LAST_VALUE(balance) AS last_balance
FROM rich_csv GROUP BY acct ORDER BY acct;
