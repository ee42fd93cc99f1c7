-- Every kind of bad record is reported with its file and line, counted, and skipped; the counts add
-- up to the input (8 read = 2 written + 6 failed).
CREATE STREAM rows_in (id BIGINT, amount DECIMAL(8,2), qty BIGINT)
WITH ('rows_in.type' = 'file_source', 'rows_in.path' = 'data/rows.csv', 'rows_in.format' = 'csv');

CREATE STREAM rows_out AS
SELECT id, amount / qty AS unit, qty * 2 AS double_qty FROM rows_in
WITH ('rows_out.type' = 'file_sink', 'rows_out.path' = 'out/nested/dir/rows.csv', 'rows_out.format' = 'csv',
      'failure_strategy' = 'LogAndContinue');
