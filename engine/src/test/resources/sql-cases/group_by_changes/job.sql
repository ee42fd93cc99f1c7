-- A changelog: EMIT CHANGES (the default without a window) writes the updated row per input.
-- Decimal amounts arrive as JSON strings and are read exactly because the schema says DECIMAL; the
-- declared sink names and types the output (unaliased COUNT and SUM become n and balance DECIMAL(12,3)).
CREATE STREAM payments (acct STRING, amt DECIMAL(12,2))
WITH ('payments.type' = 'file_source', 'payments.path' = 'data/pay.json');

CREATE STREAM balances (acct STRING, n BIGINT, balance DECIMAL(12,3))
WITH ('balances.type' = 'file_sink', 'balances.path' = 'out/balances.json', 'balances.decimal.encoding' = 'number');

INSERT INTO balances
SELECT acct, COUNT(*), SUM(amt) FROM payments GROUP BY acct;
