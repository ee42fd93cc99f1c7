-- _key holds the SQL text of the 'key.field' column, whatever its type (as CAST(x AS STRING) writes it).
CREATE STREAM k (id BIGINT, flag BOOLEAN, ts TIMESTAMP, amount DECIMAL(10,2), day DATE)
WITH ('k.type' = 'file_source', 'k.path' = 'data/k.csv', 'k.format' = 'csv');

SELECT id, _key AS by_flag FROM k WITH ('k.key.field' = 'flag');
SELECT id, _key AS by_ts FROM k WITH ('k.key.field' = 'ts');
SELECT id, _key AS by_amount FROM k WITH ('k.key.field' = 'amount');
SELECT id, _key AS by_day, _key = CAST(day AS STRING) AS same_as_cast FROM k WITH ('k.key.field' = 'day');
