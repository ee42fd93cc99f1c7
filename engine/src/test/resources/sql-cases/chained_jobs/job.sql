-- A later statement reads what an earlier CREATE STREAM … AS wrote (no schema given: inferred,
-- 0.1 + 0.2 stays exactly 0.3 because fractions are read as DECIMAL from their text).
CREATE STREAM doubled AS
SELECT id, v + v AS v2, v + 0.2 AS v_plus
FROM src
WITH ('src.type' = 'file_source', 'src.path' = 'data/in.csv', 'src.format' = 'csv',
      'doubled.type' = 'file_sink', 'doubled.path' = 'out/doubled.csv', 'doubled.format' = 'csv');

CREATE STREAM summary AS
SELECT COUNT(*) AS n, SUM(v2) AS total, SUM(v_plus) AS total_plus FROM doubled EMIT FINAL
WITH ('summary.type' = 'file_sink', 'summary.path' = 'out/summary.json');

-- SELECT … INTO sink, in both spellings, to declared and configured sinks.
CREATE STREAM big_ones (id BIGINT, v DECIMAL(4,2)) WITH ('big_ones.type' = 'file_sink', 'big_ones.path' = 'out/big_ones.csv', 'big_ones.format' = 'csv');

SELECT id, v INTO big_ones FROM src WHERE v >= 0.2
WITH ('src.type' = 'file_source', 'src.path' = 'data/in.csv', 'src.format' = 'csv');

SELECT id FROM src WHERE v < 0.2 INTO small_ones
WITH ('src.type' = 'file_source', 'src.path' = 'data/in.csv', 'src.format' = 'csv',
      'small_ones.type' = 'file_sink', 'small_ones.path' = 'out/small_ones.json');
