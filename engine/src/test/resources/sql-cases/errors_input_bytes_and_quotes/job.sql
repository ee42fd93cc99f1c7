-- File input at the byte level: a quoted CSV field may span lines (the record is reported by its first
-- line and the lines inside it are counted), a byte that is not UTF-8 is a record error 22021 at its
-- line, a quote never closed costs its own line only, and a CRLF line end is not part of the record.
-- 9 read = 6 written + 3 failed.
SELECT id, note, amount FROM t
WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv',
      't.schema' = 'id BIGINT, note STRING, amount DECIMAL(10,2)');
