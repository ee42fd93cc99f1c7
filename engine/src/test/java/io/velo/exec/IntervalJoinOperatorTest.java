package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The interval join operator against a nested-loop reference written here: random keys (some NULL),
 * out-of-order times and late rows, on both sides interleaved at random, for INNER, LEFT, RIGHT and
 * FULL and several bounds and out-of-orderness; the output must be the reference's rows, and the very
 * same sequence whether the rows come in batches of 1, 7 or 1000; the state must drain as the
 * watermark moves on.
 */
class IntervalJoinOperatorTest {
    private static final Schema LEFT = new Schema(List.of(new Field("k", DataType.BIGINT), new Field("t", DataType.TIMESTAMP),
            new Field("id", DataType.BIGINT)));
    private static final Schema RIGHT = new Schema(List.of(new Field("k", DataType.BIGINT), new Field("t", DataType.TIMESTAMP),
            new Field("name", DataType.STRING)));
    private static final Schema OUT = new Schema(List.of(new Field("k", DataType.BIGINT), new Field("t", DataType.TIMESTAMP),
            new Field("id", DataType.BIGINT), new Field("k", DataType.BIGINT), new Field("t", DataType.TIMESTAMP),
            new Field("name", DataType.STRING)));

    /** One input row: its side, key (null = NULL), time and id. */
    private record Row(int side, Long key, long t, long id) {
    }

    /** The rows as the operator wrote them, one string each, in order; and what the run counted. */
    private record Run(List<String> rows, long joined, long late, int stateAtEnd, int maxState) {
    }

    private static final class Collect implements Operator {
        final List<String> rows = new ArrayList<>();
        boolean finished;

        @Override
        public void push(RecordBatch b) {
            for (int i = 0; i < b.liveCount(); i++) {
                int r = b.liveRow(i);
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < b.columns.length; c++) {
                    io.velo.batch.Column col = b.columns[c];
                    sb.append(c == 0 ? "" : ",").append(col.isNull(r) ? "null" : col.type.kind == DataType.Kind.TIMESTAMP ? String.valueOf(col.longs[r]) : col.text(r));
                }
                rows.add(sb.append(" @").append(b.eventTime[r]).toString());
            }
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    private static Run run(List<Row> input, int batch, long lo, long hi, boolean leftOuter, boolean rightOuter, long ooo) {
        return run(input, batch, lo, hi, leftOuter, rightOuter, ooo, null, null);
    }

    private static Run run(List<Row> input, int batch, long lo, long hi, boolean leftOuter, boolean rightOuter, long ooo,
                           boolean[] keepLeft, boolean[] keepRight) {
        JobMetrics metrics = new JobMetrics();
        RowErrors errors = new RowErrors(new FailureHandler("t", FailureStrategy.LOG_AND_CONTINUE, null,
                new PrintStream(new ByteArrayOutputStream()), metrics));
        Collect out = new Collect();
        IntervalJoinOperator j = new IntervalJoinOperator(LEFT, new Eval[] {new ColumnEval(0, "k", DataType.BIGINT)}, 1,
                RIGHT, new Eval[] {new ColumnEval(0, "k", DataType.BIGINT)}, 1, lo, hi, leftOuter, rightOuter, ooo, false,
                new BatchPool(OUT, 5, 2), out, errors, metrics).keepColumns(keepLeft, keepRight);
        int[] maxState = {0};
        feed(j, input, 0, input.size(), batch, () -> maxState[0] = Math.max(maxState[0], j.stateRows()));
        j.finish();
        assertTrue(out.finished);
        return new Run(out.rows, metrics.joined(), metrics.late(), j.stateRows(), maxState[0]);
    }

    /** The reference: which rows are late (simulating the watermarks), then every pair by nested loops, then unmatched outer rows. */
    private static List<String> reference(List<Row> input, long lo, long hi, boolean leftOuter, boolean rightOuter, long ooo) {
        long[] maxSeen = {Long.MIN_VALUE, Long.MIN_VALUE};
        List<Row> kept = new ArrayList<>();
        for (Row r : input) {
            long w = maxSeen[0] == Long.MIN_VALUE || maxSeen[1] == Long.MIN_VALUE ? Long.MIN_VALUE
                    : Math.min(maxSeen[0], maxSeen[1]) - ooo;
            if (r.t() < w) {
                continue;
            }
            kept.add(r);
            maxSeen[r.side()] = Math.max(maxSeen[r.side()], r.t());
        }
        List<String> rows = new ArrayList<>();
        for (Row l : kept) {
            if (l.side() != 0) {
                continue;
            }
            boolean matched = false;
            for (Row r : kept) {
                if (r.side() == 1 && l.key() != null && l.key().equals(r.key()) && r.t() - l.t() >= lo && r.t() - l.t() <= hi) {
                    matched = true;
                    rows.add(left(l) + "," + right(r) + " @" + Math.max(l.t(), r.t()));
                }
            }
            if (!matched && leftOuter) {
                rows.add(left(l) + ",null,null,null @" + l.t());
            }
        }
        if (rightOuter) {
            for (Row r : kept) {
                if (r.side() != 1) {
                    continue;
                }
                boolean matched = false;
                for (Row l : kept) {
                    matched |= l.side() == 0 && r.key() != null && r.key().equals(l.key()) && r.t() - l.t() >= lo && r.t() - l.t() <= hi;
                }
                if (!matched) {
                    rows.add("null,null,null," + right(r) + " @" + r.t());
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String left(Row l) {
        return (l.key() == null ? "null" : l.key()) + "," + l.t() + "," + l.id();
    }

    private static String right(Row r) {
        return (r.key() == null ? "null" : r.key()) + "," + r.t() + ",r" + r.id();
    }

    private static List<Row> randomInput(SplittableRandom rnd, int n, int keys, long jitter) {
        List<Row> rows = new ArrayList<>();
        long clock = 1_000_000;
        for (int i = 0; i < n; i++) {
            clock += rnd.nextInt(4);
            long t = clock - rnd.nextLong(jitter + 1) + (rnd.nextInt(20) == 0 ? -rnd.nextLong(200) : 0); // now and then well behind
            Long key = rnd.nextInt(15) == 0 ? null : (long) rnd.nextInt(keys);
            rows.add(new Row(rnd.nextInt(3) == 0 ? 1 : 0, key, t, i));
        }
        return rows;
    }

    @Test
    void matchesTheNestedLoopReferenceWhateverTheBatching() {
        SplittableRandom rnd = new SplittableRandom(42);
        long[][] bounds = {{-10, 10}, {0, 25}, {-30, -5}, {0, 0}};
        long totalLate = 0;
        long totalRows = 0;
        for (int trial = 0; trial < 24; trial++) {
            List<Row> input = randomInput(rnd, 300 + rnd.nextInt(300), 1 + rnd.nextInt(12), rnd.nextInt(40));
            long[] b = bounds[trial % bounds.length];
            long ooo = rnd.nextInt(3) * 10L;
            for (int kind = 0; kind < 4; kind++) {
                boolean lo = kind == 1 || kind == 3;
                boolean ro = kind == 2 || kind == 3;
                List<String> want = reference(input, b[0], b[1], lo, ro, ooo);
                Run first = null;
                for (int size : new int[] {1, 7, 1000}) {
                    Run got = run(input, size, b[0], b[1], lo, ro, ooo);
                    List<String> sorted = new ArrayList<>(got.rows());
                    sorted.sort(null);
                    String what = "trial " + trial + " kind " + kind + " bounds [" + b[0] + "," + b[1] + "] ooo " + ooo + " batch " + size;
                    assertEquals(want, sorted, what);
                    assertEquals(input.size(), got.joined() + got.late(), what + ": every row joined or late");
                    assertEquals(0, got.stateAtEnd(), what);
                    if (first == null) {
                        first = got;
                    } else {
                        assertEquals(first.rows(), got.rows(), what + ": the same rows in the same order as with batches of 1");
                    }
                }
                totalLate += first.late();
                totalRows += first.rows().size();
            }
        }
        assertTrue(totalLate > 0, "the random input has late rows");
        assertTrue(totalRows > 1000, "the random input joins");
    }

    @Test
    void stateIsEvictedByTheWatermark() {
        // in order, one key: at most the rows within the bound stay (plus the out-of-orderness)
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            input.add(new Row(i % 2, 1L, 1000L + i, i));
        }
        Run r = run(input, 64, -10, 10, true, true, 5);
        assertTrue(r.maxState() < 200, "state stays bounded: " + r.maxState());
        assertEquals(0, r.late());
    }

    @Test
    void unmatchedOuterRowsWaitForTheirIntervalToClose() {
        List<Row> input = List.of(new Row(0, 1L, 100, 1), new Row(1, 2L, 105, 2), new Row(1, 1L, 200, 3), new Row(0, 2L, 300, 4));
        Run r = run(input, 1000, -10, 10, true, true, 0);
        // left 1 (t=100) closes when W > 110: W = min(300, 200) after the last row; right 2 (t=105) when W > 115, same;
        // right 3 (t=200) would when W > 210 and left 4 (t=300) when W > 310: at the end, the left side's first
        assertEquals(List.of("1,100,1,null,null,null @100", "null,null,null,2,105,r2 @105",
                "2,300,4,null,null,null @300", "null,null,null,1,200,r3 @200"), r.rows());
    }

    @Test
    void columnsNotKeptAreNullAndTheRestUnchanged() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<Row> input = randomInput(rnd, 800, 6, 20);
        for (int kind = 0; kind < 4; kind++) {
            boolean lo = kind == 1 || kind == 3;
            boolean ro = kind == 2 || kind == 3;
            List<String> full = run(input, 7, -10, 10, lo, ro, 10).rows();
            // the left's id and the right's key not held: those fields NULL, every other field and the order as before
            List<String> narrow = run(input, 7, -10, 10, lo, ro, 10, new boolean[] {true, true, false},
                    new boolean[] {false, true, true}).rows();
            assertEquals(full.size(), narrow.size());
            assertTrue(full.size() > 100, "the input joins");
            for (int i = 0; i < full.size(); i++) {
                String[] f = full.get(i).split(",");
                f[2] = "null";
                f[3] = "null";
                assertEquals(String.join(",", f), narrow.get(i), "row " + i + " kind " + kind);
            }
        }
    }

    @Test
    void everNewKeysKeepTheirPairsThroughTheKeyTablesRebuilds() {
        // 30,000 keys, each a left row then a right row 3 ms later: the key table is rebuilt many times (most keys gone)
        List<Row> input = new ArrayList<>();
        int keys = 30_000;
        for (int k = 0; k < keys; k++) {
            input.add(new Row(0, (long) k, 10L * k, k));
            input.add(new Row(1, (long) k, 10L * k + 3, k));
        }
        // interleave a little: a key's right row may come after the next keys' left rows
        for (int i = 2; i + 1 < input.size(); i += 6) {
            java.util.Collections.swap(input, i - 1, i);
        }
        for (int size : new int[] {1, 64, 1000}) {
            Run r = run(input, size, 0, 5, true, true, 20);
            assertEquals(keys, r.rows().size(), "batch " + size);
            for (String row : r.rows()) {
                String[] f = row.split("[, ]");
                assertEquals(f[0], f[3], row);
                assertEquals(Long.parseLong(f[1]) + 3, Long.parseLong(f[4]), row);
                assertEquals("r" + f[2], f[5], row);
            }
            assertTrue(r.maxState() < 200, "state stays bounded: " + r.maxState());
        }
    }

    /**
     * Checkpoints taken every few batches into a log (the latest value per key, null deletes), then
     * the operator thrown away at a cut and a fresh one restored from the log: what the two wrote,
     * one after the other, is exactly what one operator writes over the whole input, for every kind
     * of join, with outer rows that matched only after a checkpoint and rows that left in between.
     */
    @Test
    void aRestoredJoinGoesOnAsIfItHadNeverStopped() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int trial = 0; trial < 12; trial++) {
            List<Row> input = randomInput(rnd, 600, 1 + rnd.nextInt(8), rnd.nextInt(30));
            int kind = trial % 4;
            boolean lo = kind == 1 || kind == 3;
            boolean ro = kind == 2 || kind == 3;
            List<String> whole = run(input, 7, -15, 15, lo, ro, 10).rows();
            int cut = 100 + rnd.nextInt(400);
            java.util.Map<io.velo.exec.state.StateKey, byte[]> log = new java.util.HashMap<>();
            io.velo.exec.state.StateLog into = (k, v) -> {
                if (v == null) {
                    log.remove(new io.velo.exec.state.StateKey(k));
                } else {
                    log.put(new io.velo.exec.state.StateKey(k), v);
                }
            };
            final Collect out = new Collect();
            JobMetrics metrics = new JobMetrics();
            RowErrors errors = new RowErrors(new FailureHandler("t", FailureStrategy.LOG_AND_CONTINUE, null,
                    new PrintStream(new ByteArrayOutputStream()), metrics));
            boolean[] keepLeft = trial % 2 == 0 ? null : new boolean[] {true, true, false};
            IntervalJoinOperator first = join(out, errors, metrics, -15, 15, lo, ro, 10, keepLeft);
            first.enableCheckpoints();
            final IntervalJoinOperator f = first;
            int[] batches = {0};
            int pushed = feed(f, input, 0, cut, 7, () -> {
                if (++batches[0] % 3 == 0) {
                    f.checkpoint(into);
                }
            });
            f.checkpoint(into);
            List<String> before = new ArrayList<>(out.rows);
            Collect after = new Collect();
            IntervalJoinOperator second = join(after, errors, metrics, -15, 15, lo, ro, 10, keepLeft);
            second.enableCheckpoints();
            second.restore(log);
            assertEquals(f.stateRows(), second.stateRows(), "trial " + trial + ": the rows kept come back");
            feed(second, input, cut, input.size(), 7, () -> {
            });
            second.finish();
            List<String> got = new ArrayList<>(before);
            got.addAll(after.rows);
            List<String> want = keepLeft == null ? whole : whole.stream().map(r -> {
                String[] x = r.split(",");
                x[2] = "null";
                return String.join(",", x);
            }).toList();
            assertEquals(want, got, "trial " + trial + " kind " + kind + " cut " + cut + " (" + pushed + ")");
        }
    }

    private static IntervalJoinOperator join(Operator out, RowErrors errors, JobMetrics metrics, long lo, long hi, boolean leftOuter,
                                             boolean rightOuter, long ooo, boolean[] keepLeft) {
        return new IntervalJoinOperator(LEFT, new Eval[] {new ColumnEval(0, "k", DataType.BIGINT)}, 1,
                RIGHT, new Eval[] {new ColumnEval(0, "k", DataType.BIGINT)}, 1, lo, hi, leftOuter, rightOuter, ooo, false,
                new BatchPool(OUT, 5, 2), out, errors, metrics).keepColumns(keepLeft, null);
    }

    /** Pushes rows [from, to) in batches of up to {@code batch} of one side, calling {@code afterBatch} after each; returns the batches. */
    private static int feed(IntervalJoinOperator j, List<Row> input, int from, int to, int batch, Runnable afterBatch) {
        BatchPool[] pools = {new BatchPool(LEFT, batch, 2), new BatchPool(RIGHT, batch, 2)};
        int i = from;
        int batches = 0;
        while (i < to) {
            int side = input.get(i).side();
            RecordBatch b = pools[side].acquire();
            while (i < to && input.get(i).side() == side && b.size < batch) {
                Row r = input.get(i++);
                int row = b.size++;
                if (r.key() == null) {
                    b.columns[0].setNull(row);
                } else {
                    b.columns[0].setLong(row, r.key());
                }
                b.columns[1].setLong(row, r.t());
                if (side == 0) {
                    b.columns[2].setLong(row, r.id());
                } else {
                    b.columns[2].setObject(row, "r" + r.id());
                }
                b.offset[row] = r.id();
            }
            try {
                j.push(side, b);
            } finally {
                b.release();
            }
            batches++;
            afterBatch.run();
        }
        return batches;
    }
}
