-- A reference table written the original engine's way: named only in the statement's WITH as a
-- file_source, its file, key and columns in a YAML config file of the original's layout (extends:,
-- table.primary_key, data_source:, file.path, schema.fields, cache/metadata blocks). The file is a
-- changelog: T1's second row replaces its first (limit 120000.00). T3 has no row: LEFT JOIN gives NULL.
CREATE STREAM limit_check AS
SELECT p.id, p.trader_id, p.qty * p.px AS notional, l.max_notional,
       CASE WHEN l.max_notional IS NULL THEN 'NO_LIMIT'
            WHEN p.qty * p.px > l.max_notional THEN 'BREACH'
            ELSE 'OK' END AS status
FROM positions p
LEFT JOIN trader_limits l ON p.trader_id = l.trader_id
WITH ('positions.type' = 'file_source', 'positions.path' = 'data/positions.csv', 'positions.format' = 'csv',
      'positions.schema' = 'id BIGINT, trader_id STRING, symbol STRING, qty BIGINT, px DECIMAL(10,2)',
      'trader_limits.type' = 'file_source',
      'trader_limits.config_file' = 'configs/trader_limits_table.yaml',
      'join.timeout' = '30s',
      'limit_check.type' = 'file_sink', 'limit_check.path' = 'out/limit_check.json');
