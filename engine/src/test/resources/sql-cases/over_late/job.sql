-- Rows are taken in arrival order, which must ascend in the OVER's ORDER BY key (here a sequence column,
-- not the event time): a row below its partition's previous one (a,1 after a,2) is out of order and is
-- late ('late.data.strategy' = drop: counted, not output, and nobody's previous row); a row without a key
-- (b with no seq) fails under the failure strategy. A tie (a,2 twice) is in order.
CREATE STREAM events (k STRING, seq BIGINT, v BIGINT)
WITH ('events.type' = 'file_source', 'events.path' = 'data/events.csv', 'events.format' = 'csv');

CREATE STREAM deltas AS
SELECT k, seq, v, v - LAG(v) OVER (PARTITION BY k ORDER BY seq) AS d, ROW_NUMBER() OVER (PARTITION BY k ORDER BY seq) AS rn
FROM events
WITH ('deltas.type' = 'file_sink', 'deltas.path' = 'out/deltas.json', 'batch.size' = '3');
