-- FailBatch where the bad value is found by an operator in a later batch: the batches before it are
-- written, nothing of the failed batch is (its good rows before and after the bad one included), and
-- the job stops there (exit 1) naming the position.
CREATE STREAM rows_in (id BIGINT, amount DECIMAL(8,2), qty BIGINT)
WITH ('rows_in.type' = 'file_source', 'rows_in.path' = 'data/rows.csv', 'rows_in.format' = 'csv');

CREATE STREAM rows_out AS
SELECT id, amount / qty AS unit FROM rows_in
WITH ('rows_out.type' = 'file_sink', 'rows_out.path' = 'out/rows.json', 'failure_strategy' = 'FailBatch',
      'batch.size' = '3');
