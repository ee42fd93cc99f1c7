package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A watermark pushed between batches into Filter → Aggregate (windowed) closes the windows it
 * completes without any new row, makes later rows of those windows late, and leaves the answer what
 * it would be had a row carried that watermark: serial, on worker threads, EMIT FINAL and CHANGES.
 */
class WatermarkSignalTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("n", DataType.BIGINT), new Field("s", DataType.STRING),
            new Field("t", DataType.TIMESTAMP)));

    private static JobPlan plan(String sql, CollectingSink sink, int threads) {
        return new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory(sql, "m", SCHEMA, sink, threads);
    }

    /** Pushes rows {n, s, t} as one batch. */
    private static void push(JobPlan plan, BatchPool pool, long[][] rows, String[] keys) {
        RecordBatch b = pool.acquire();
        for (int i = 0; i < rows.length; i++) {
            int r = b.size++;
            b.columns[0].setLong(r, rows[i][0]);
            b.columns[1].setObject(r, keys[i]);
            b.columns[2].setLong(r, rows[i][1]);
            b.eventTime[r] = rows[i][1];
            b.offset[r] = i + 1;
        }
        plan.pipeline().push(b);
        b.release();
    }

    private static TreeSet<String> text(List<List<Object>> rows) {
        TreeSet<String> out = new TreeSet<>();
        rows.forEach(r -> out.add(r.toString()));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"1, FINAL", "3, FINAL", "1, CHANGES"})
    void signalClosesWindowsWithoutRows(int threads, String emit) {
        String sql = "SELECT s, COUNT(*) AS c, SUM(n) AS total FROM m WHERE n >= 0 GROUP BY s "
                + "WINDOW TUMBLING(t, INTERVAL '1' SECOND) EMIT " + emit + " WITH ('parallelism' = '" + threads + "')";
        CollectingSink sink = new CollectingSink();
        JobPlan jp = plan(sql, sink, threads);
        assertTrue(jp.pipeline() instanceof FilterOperator || jp.pipeline() instanceof ParallelOperator, jp.planText());
        BatchPool pool = new BatchPool(SCHEMA, 4096, 2);
        Random rnd = new Random(7);
        int rows = 3000; // above ParallelOperator's split size, so workers take part
        long[][] data = new long[rows][];
        String[] keys = new String[rows];
        for (int i = 0; i < rows; i++) {
            data[i] = new long[] {rnd.nextInt(10) - 1, 1000 + rnd.nextInt(1000)}; // all in window [1000, 2000); n = -1 filtered
            keys[i] = "k" + rnd.nextInt(20);
        }
        push(jp, pool, data, keys);
        int before = sink.rows.size();
        if (emit.equals("FINAL")) {
            assertEquals(0, before, "the window is still open");
        }
        jp.pipeline().watermark(1999); // closes nothing: the window ends at 2000
        assertEquals(before, sink.rows.size());
        jp.pipeline().watermark(2000);
        int closed = sink.rows.size();
        if (emit.equals("FINAL")) {
            assertTrue(closed > 0, "the signal closed the window");
        }
        // a row of the closed window is now late; one of the next window is not
        push(jp, pool, new long[][] {{5, 1500}, {5, 2500}}, new String[] {"k1", "k1"});
        assertEquals(1, jp.metrics().late());
        jp.pipeline().finish();
        List<List<Object>> withSignal = new ArrayList<>(sink.rows);

        // the same rows where a row (of a group left out of the comparison) carries the watermark instead of the signal
        CollectingSink ref = new CollectingSink();
        JobPlan rp = plan(sql, ref, 1);
        push(rp, pool, data, keys);
        push(rp, pool, new long[][] {{0, 2000}}, new String[] {"ref"});
        push(rp, pool, new long[][] {{5, 1500}, {5, 2500}}, new String[] {"k1", "k1"});
        rp.pipeline().finish();
        assertEquals(1, rp.metrics().late());
        List<List<Object>> expected = new ArrayList<>(ref.rows);
        expected.removeIf(r -> "ref".equals(r.get(0)));
        assertEquals(text(expected), text(withSignal));
        assertTrue(withSignal.size() > closed || emit.equals("CHANGES"), "the row of the next window came out at the end");
    }
}
