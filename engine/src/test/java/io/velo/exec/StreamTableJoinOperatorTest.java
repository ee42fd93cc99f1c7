package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.exec.join.TableState;
import io.velo.expr.eval.ColumnEval;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stream–table join operator on its own: upserts and tombstones on the table side, lookups of
 * the stream side as of when each batch is processed, INNER dropping and counting unmatched rows,
 * LEFT filling NULLs; and the table's key index against a map under random upserts and deletes.
 */
class StreamTableJoinOperatorTest {
    private static final Schema TABLE = new Schema(List.of(new Field("sym", DataType.STRING), new Field("lot", DataType.BIGINT)));
    private static final Schema STREAM = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("sym", DataType.STRING)));
    private static final Schema OUT = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("sym", DataType.STRING),
            new Field("sym", DataType.STRING), new Field("lot", DataType.BIGINT)));

    private final JobMetrics metrics = new JobMetrics();
    private final CollectingSink sink = new CollectingSink();
    private final RowErrors errors = new RowErrors(new FailureHandler("t", FailureStrategy.LOG_AND_CONTINUE, null,
            new PrintStream(new ByteArrayOutputStream()), metrics));

    private StreamTableJoinOperator join(boolean left) {
        return new StreamTableJoinOperator(new ColumnEval(1, "sym", DataType.STRING), new TableState(TABLE, 0), -1, new int[] {0, 1}, left,
                OUT, new SinkOperator(sink, metrics, errors.handler()), errors, errors, metrics, null);
    }

    /** Table rows {@code sym, lot}; a null lot with {@code tombstone} deletes. */
    private static RecordBatch tableRows(Object[][] rows, boolean... tombstones) {
        RecordBatch b = new BatchPool(TABLE, 16, 0).acquire();
        b.ensureChangeColumns();
        for (Object[] r : rows) {
            int row = b.size++;
            b.columns[0].setObject(row, r[0]);
            if (r[1] == null) {
                b.columns[1].setNull(row);
            } else {
                b.columns[1].setLong(row, (Long) r[1]);
            }
            b.deleted[row] = tombstones.length > row && tombstones[row];
        }
        return b;
    }

    private static RecordBatch streamRows(long firstId, String... syms) {
        RecordBatch b = new BatchPool(STREAM, 16, 0).acquire();
        for (String s : syms) {
            int row = b.size++;
            b.columns[0].setLong(row, firstId + row);
            if (s == null) {
                b.columns[1].setNull(row);
            } else {
                b.columns[1].setObject(row, s);
            }
        }
        return b;
    }

    @Test
    void innerJoinSeesTheTableAsOfEachBatch() {
        StreamTableJoinOperator j = join(false);
        j.push(TwoInputOperator.RIGHT, tableRows(new Object[][] {{"AAPL", 100L}, {"MSFT", 50L}, {"AAPL", 10L}}));
        j.push(TwoInputOperator.LEFT, streamRows(1, "AAPL", "GOOG", null, "MSFT"));
        // MSFT deleted, GOOG arrives: the next batch sees the change
        j.push(TwoInputOperator.RIGHT, tableRows(new Object[][] {{"MSFT", null}, {"GOOG", 7L}}, true, false));
        RecordBatch second = streamRows(5, "MSFT", "GOOG", "AAPL");
        second.sel = new int[] {0, 2}; // a filter upstream left rows 0 and 2 live: GOOG is not looked up
        second.selCount = 2;
        j.push(TwoInputOperator.LEFT, second);
        j.finish();
        assertEquals(List.of(
                Arrays.asList(1L, "AAPL", "AAPL", 10L),
                Arrays.asList(4L, "MSFT", "MSFT", 50L),
                Arrays.asList(7L, "AAPL", "AAPL", 10L)), sink.rows);
        assertEquals(3, metrics.unmatched()); // GOOG and NULL of the first batch, MSFT of the second
        assertEquals(2, j.table().size());
    }

    @Test
    void leftJoinFillsNulls() {
        StreamTableJoinOperator j = join(true);
        j.push(TwoInputOperator.RIGHT, tableRows(new Object[][] {{"AAPL", 100L}}));
        j.push(TwoInputOperator.LEFT, streamRows(1, "AAPL", "XOM", null));
        assertEquals(List.of(
                Arrays.asList(1L, "AAPL", "AAPL", 100L),
                Arrays.asList(2L, "XOM", null, null),
                Arrays.asList(3L, null, null, null)), sink.rows);
        assertEquals(0, metrics.unmatched());
    }

    @Test
    void tableRowWithoutKeyIsARecordError() {
        StreamTableJoinOperator j = join(false);
        j.push(TwoInputOperator.RIGHT, tableRows(new Object[][] {{null, 1L}, {"A", 2L}}));
        assertEquals(1, metrics.failed());
        assertEquals(1, j.table().size());
    }

    /** Random upserts and deletes over a small key space (long probe runs, deletes in their middle) against a HashMap. */
    @Test
    void keyIndexAgreesWithAMap() {
        for (DataType keyType : new DataType[] {DataType.BIGINT, DataType.STRING, DataType.DECIMAL}) {
            Schema s = new Schema(List.of(new Field("k", keyType), new Field("v", DataType.BIGINT)));
            TableState state = new TableState(s, 0);
            Map<Long, Long> model = new HashMap<>();
            SplittableRandom rnd = new SplittableRandom(7);
            RecordBatch b = new BatchPool(s, 1, 0).acquire();
            b.size = 1;
            for (int step = 0; step < 50_000; step++) {
                long k = rnd.nextInt(300) * 1024L; // keys that share low bits
                set(b, keyType, k, rnd.nextInt(3));
                b.columns[1].setLong(0, step);
                if (rnd.nextInt(3) == 0) {
                    assertEquals(model.remove(k) != null, state.delete(b.columns[0], 0));
                } else {
                    state.upsert(b.columns, 0);
                    model.put(k, (long) step);
                }
                long probe = rnd.nextInt(300) * 1024L;
                set(b, keyType, probe, rnd.nextInt(3));
                int slot = state.find(b.columns[0], 0);
                Long want = model.get(probe);
                assertEquals(want == null ? -1L : want, slot < 0 ? -1L : state.column(1).longs[slot], keyType + " key " + probe);
            }
            assertEquals(model.size(), state.size());
        }
    }

    /** Key {@code k}; a decimal written at {@code scale} (5, 5.0, 5.00 are one key). */
    private static void set(RecordBatch b, DataType type, long k, int scale) {
        switch (type.kind) {
            case BIGINT: b.columns[0].setLong(0, k); break;
            case STRING: b.columns[0].setObject(0, "k" + k); break;
            default: b.columns[0].setDecimal(0, k * (long) Math.pow(10, scale), scale); break;
        }
    }
}
