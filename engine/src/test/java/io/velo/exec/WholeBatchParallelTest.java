package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * A stateless parallel stage handed retainable batches whole (worker k % n takes batch k, push returns
 * at once for the workers' batches): the same rows in the same order as one thread, the same failed and
 * filtered counts, batches of a poisoning pool released by the caller right after push as a job's runner
 * does (a batch used after its last release reads as poison), settles at random points, batches too small
 * to hand over mixed in, and a failure surfacing in input order.
 */
class WholeBatchParallelTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("k", DataType.BIGINT), new Field("v", DataType.BIGINT),
            new Field("p", DataType.decimal(12, 2)), new Field("s", DataType.STRING)));

    private static final String SQL = "SELECT k, v * 3 + k AS x, p * 2 AS pp, CASE WHEN v > 50 THEN s ELSE 'lo' END AS c, 1000 / (v % 13) AS d"
            + " FROM t WHERE v % 5 <> 0";

    private record Result(List<List<Object>> rows, long failed, long filtered, long in) { }

    private static List<int[]> batches(SplittableRandom r) {
        List<int[]> sizes = new ArrayList<>();
        int count = 40 + r.nextInt(60);
        long base = 0;
        for (int i = 0; i < count; i++) {
            int size = r.nextInt(10) == 0 ? 1 + r.nextInt(255) : 256 + r.nextInt(1700); // some too small to hand over
            sizes.add(new int[] {size, (int) base});
            base += size;
        }
        return sizes;
    }

    private static Result run(String sql, List<int[]> sizes, int threads, long seed, boolean settleAtRandom) {
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .planInMemory(sql, "t", SCHEMA, sink, threads);
        BatchPool pool = new BatchPool(SCHEMA, 2048, 2, true); // poisons every released batch
        SplittableRandom r = new SplittableRandom(seed);
        try {
            for (int[] sz : sizes) {
                RecordBatch b = pool.acquire();
                b.retainable = !settleAtRandom || r.nextInt(9) != 0; // now and then a batch that cannot be held
                for (int i = 0; i < sz[0]; i++) {
                    long row = sz[1] + i;
                    b.columns[0].setLong(i, row % 97);
                    b.columns[1].setLong(i, (row * 7919) % 101);
                    b.columns[2].setDecimal(i, row * 13 % 100_000, 2);
                    b.columns[3].setObject(i, "s" + (row % 11));
                }
                b.size = sz[0];
                try {
                    plan.pipeline().push(b);
                } finally {
                    b.release();
                }
                if (settleAtRandom && r.nextInt(7) == 0) {
                    plan.inFlight().settle();
                }
            }
            plan.pipeline().finish();
        } finally {
            plan.release().run();
        }
        return new Result(sink.rows, plan.metrics().failed(), plan.metrics().filtered(), sizes.stream().mapToLong(s -> s[0]).sum());
    }

    @RepeatedTest(8)
    void wholeBatchesGiveOneThreadsRowsInOrder(RepetitionInfo info) {
        long seed = 4200 + info.getCurrentRepetition();
        List<int[]> sizes = batches(new SplittableRandom(seed));
        Result one = run(SQL, sizes, 1, seed, false);
        assertTrue(one.failed > 0 && one.filtered > 0 && one.rows.size() > 1000, "the data has failing, filtered and passing rows");
        assertEquals(one.in, one.rows.size() + one.failed + one.filtered, "one thread's books balance");
        assertOneThreadsAnswer(SQL, sizes, seed, one, "rows");
    }

    /** 2 and 3 threads, settled at random or not: one thread's rows in order, and its failed and filtered counts. */
    private static void assertOneThreadsAnswer(String sql, List<int[]> sizes, long seed, Result one, String what) {
        for (int threads : new int[] {2, 3}) {
            for (boolean settle : new boolean[] {false, true}) {
                Result many = run(sql, sizes, threads, seed, settle);
                assertEquals(one.rows, many.rows, threads + " workers" + (settle ? ", settled at random" : "") + ": the same " + what + " in order");
                assertEquals(one.failed, many.failed, "failed records");
                assertEquals(one.filtered, many.filtered, "filtered records");
            }
        }
    }

    /**
     * A partitioned stage (EMIT FINAL group by) between stateless batches held and not: the same groups
     * and values in the same order as one thread, and the same counts, from a poisoning pool.
     */
    @RepeatedTest(4)
    void partitionedGroupByGivesOneThreadsAnswer(RepetitionInfo info) {
        long seed = 5300 + info.getCurrentRepetition();
        List<int[]> sizes = batches(new SplittableRandom(seed));
        String sql = "SELECT k, COUNT(*) AS n, SUM(v) AS sv, SUM(p) AS sp, MIN(s) AS ls, MAX(v * 2) AS mv, SUM(1000 / (v % 13)) AS sd"
                + " FROM t WHERE v % 5 <> 0 GROUP BY k HAVING COUNT(*) > 3 EMIT FINAL";
        Result one = run(sql, sizes, 1, seed, false);
        assertTrue(one.rows.size() > 50 && one.failed > 0, "groups, and records failing their division");
        assertOneThreadsAnswer(sql, sizes, seed, one, "groups");
    }

    @Test
    void limitStopsAtTheSameRows() {
        List<int[]> sizes = batches(new SplittableRandom(77));
        String sql = "SELECT k, v * 3 + k AS x FROM t WHERE v % 5 <> 0 LIMIT 3000";
        Result one = run(sql, sizes, 1, 77, false);
        assertEquals(3000, one.rows.size());
        assertEquals(one.rows, run(sql, sizes, 2, 77, false).rows);
        assertEquals(one.rows, run(sql, sizes, 3, 77, true).rows);
    }

    /** A record failing under FailBatch in a worker's batch: the rows of the batches before it reach the sink, in order, and the failure is raised. */
    @Test
    void aFailureSurfacesInInputOrder() {
        List<int[]> sizes = batches(new SplittableRandom(5));
        String sql = "SELECT k, 1000 / (v - 100) AS d FROM t WITH ('failure_strategy' = 'FailBatch')";
        List<List<Object>> oneRows = failingRun(sql, sizes, 1);
        List<List<Object>> manyRows = failingRun(sql, sizes, 2);
        assertEquals(oneRows, manyRows, "what reached the sink before the failing batch");
    }

    private static List<List<Object>> failingRun(String sql, List<int[]> sizes, int threads) {
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .planInMemory(sql, "t", SCHEMA, sink, threads);
        BatchPool pool = new BatchPool(SCHEMA, 2048, 2, true);
        try {
            assertThrows(RuntimeException.class, () -> {
                for (int[] sz : sizes) {
                    RecordBatch b = pool.acquire();
                    b.retainable = true;
                    for (int i = 0; i < sz[0]; i++) {
                        long row = sz[1] + i;
                        b.columns[0].setLong(i, row);
                        b.columns[1].setLong(i, row == 20_000 ? 100 : 1); // one record divides by zero
                        b.columns[2].setDecimal(i, 1, 2);
                        b.columns[3].setObject(i, "x");
                    }
                    b.size = sz[0];
                    try {
                        plan.pipeline().push(b);
                    } finally {
                        b.release();
                    }
                    if (plan.failures().batchFailure() != null) {
                        throw new IllegalStateException(plan.failures().batchFailure());
                    }
                }
                plan.inFlight().settle();
                if (plan.failures().batchFailure() != null) {
                    throw new IllegalStateException(plan.failures().batchFailure());
                }
            });
        } finally {
            plan.release().run();
        }
        return sink.rows;
    }

    /** A sink whose {@code failAt}-th write fails as an outage does (once), then writes again. */
    private static final class OutageSink implements io.velo.connector.spi.Sink {
        final CollectingSink rows = new CollectingSink();
        private final int failAt;
        private int writes;

        OutageSink(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public String name() {
            return "outage";
        }

        @Override
        public void open() {
        }

        @Override
        public int write(RecordBatch b) {
            if (++writes == failAt) {
                throw new io.velo.failure.SinkUnavailableException("the sink went away", null);
            }
            return rows.write(b);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "outage sink";
        }
    }

    /**
     * A sink outage in the middle of held batches, then the runner's drop before a replay: every record
     * pushed is written, filtered, failed or counted unwritten (none vanishes from the books), and nothing
     * held before the drop reaches the sink after it.
     */
    @RepeatedTest(6)
    @org.junit.jupiter.api.Timeout(120) // a lane number lost to the outage once stalled the next settle for good
    void anOutageLeavesTheBooksBalanced(RepetitionInfo info) {
        long seed = 6100 + info.getCurrentRepetition();
        List<int[]> sizes = batches(new SplittableRandom(seed));
        for (int threads : new int[] {1, 2, 3}) {
            SplittableRandom r = new SplittableRandom(seed);
            OutageSink sink = new OutageSink(3 + r.nextInt(20));
            JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                    .planInMemory(SQL, "t", SCHEMA, sink, threads);
            BatchPool pool = new BatchPool(SCHEMA, 2048, 2, true);
            long in = 0;
            int outages = 0;
            try {
                for (int[] sz : sizes) {
                    RecordBatch b = pool.acquire();
                    b.retainable = true;
                    for (int i = 0; i < sz[0]; i++) {
                        long row = sz[1] + i;
                        b.columns[0].setLong(i, row % 97);
                        b.columns[1].setLong(i, (row * 7919) % 101);
                        b.columns[2].setDecimal(i, row * 13 % 100_000, 2);
                        b.columns[3].setObject(i, "s" + (row % 11));
                    }
                    b.size = sz[0];
                    in += sz[0];
                    try {
                        plan.pipeline().push(b);
                        if (r.nextInt(5) == 0) {
                            plan.inFlight().settle();
                        } else if (r.nextInt(25) == 0) { // a replay for a failure elsewhere (a dead letter refused while reading)
                            plan.inFlight().drop();
                            int written = sink.rows.rows.size();
                            plan.inFlight().settle();
                            assertEquals(written, sink.rows.rows.size(), threads + " threads: nothing dropped is passed on");
                        }
                    } catch (io.velo.failure.SinkUnavailableException e) {
                        outages++;
                        plan.inFlight().drop(); // as the runner does before it replays
                        int written = sink.rows.rows.size();
                        plan.inFlight().settle();
                        assertEquals(written, sink.rows.rows.size(), threads + " threads: nothing held before the drop is passed on after it");
                    } finally {
                        b.release();
                    }
                }
                plan.pipeline().finish();
            } finally {
                plan.release().run();
            }
            var m = plan.metrics();
            assertEquals(1, outages, threads + " threads: the outage surfaced once");
            assertTrue(m.unwritten() > 0, threads + " threads: the refused batch counts as unwritten");
            assertEquals(in, m.recordsOut() + m.filtered() + m.failed() + m.unwritten(),
                    threads + " threads: every record pushed is accounted for: " + m.summary());
            assertEquals(m.recordsOut(), sink.rows.rows.size(), threads + " threads: what was counted out is what the sink holds");
        }
    }
}
