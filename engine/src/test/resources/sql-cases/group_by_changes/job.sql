-- A changelog: EMIT CHANGES (the default without a window) writes the updated row per input.
-- Decimal amounts arrive as JSON strings and are read exactly because the schema says DECIMAL.
CREATE STREAM payments (acct STRING, amt DECIMAL(12,2))
WITH ('payments.type' = 'file_source', 'payments.path' = 'data/pay.json');

CREATE STREAM balances (acct STRING, n BIGINT, balance DECIMAL(12,2))
WITH ('balances.type' = 'file_sink', 'balances.path' = 'out/balances.json', 'balances.decimal.encoding' = 'number');

INSERT INTO balances
SELECT acct, COUNT(*) AS n, SUM(amt) AS balance FROM payments GROUP BY acct;
