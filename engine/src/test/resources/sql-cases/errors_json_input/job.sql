-- Malformed JSON lines are reported and skipped; decimals are exact from their text (also beyond
-- 64 bits); strings holding numbers are read as DECIMAL because the schema says so; blank lines are
-- ignored; arrays and maps keep their structure.
SELECT id, price, price * 3 AS tripled, tags, attrs FROM j
WITH ('j.type' = 'file_source', 'j.path' = 'data/in.json',
      'j.schema' = 'id BIGINT, price DECIMAL(38,9), tags ARRAY<STRING>, attrs MAP<STRING,BIGINT>');
