package io.velo.harness.jmh;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.exec.Operator;
import io.velo.harness.pipeline.LongGroupTable;
import io.velo.harness.pipeline.TradeData;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyed aggregation state: COUNT(*) and SUM(quantity) per account over {@link #keys} distinct
 * accounts, one batch of 1,024 trades per call, cycling through 16 prepared batches (random keys,
 * quantities 1–1000). Figures: ns per record.
 *
 * <ul>
 *   <li>{@code groupBy*}: {@link #GROUP_BY} (EMIT FINAL: every batch only updates the state, which
 *       stays at the ~8,100 groups the ring's 16,384 records reach) through the planned query — the engine's aggregate operator and
 *       group table — against the harness's hand-written primitive table
 *       ({@link LongGroupTable}: open addressing, overflow-checked sum).</li>
 *   <li>{@code tumbling*}: {@link #TUMBLING}, event time advancing 1 ms every 10 records (10,000
 *       records per one-second window, so about two thirds of the keys appear in each), windows
 *       closing and emitting their rows as event time passes them, against the same table kept per
 *       window and emptied when the window closes. Both sides fold each emitted row (key, count, sum,
 *       window start) into the same order-independent sum.</li>
 * </ul>
 * The engine side gets batches as a source hands them over (the tumbling side writes the advancing
 * event times into the batch first, which the reference computes inline).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AggregationBenchmark {
    static final int N = 1024;
    static final int RING = 16;
    static final int RECORDS_PER_MS = 10;
    static final long WINDOW_MS = 1000;
    static final long FIRST_EVENT_TIME = 1_700_000_000_000L;
    static final String GROUP_BY = "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades GROUP BY account EMIT FINAL";
    static final String TUMBLING = "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start FROM trades "
            + "GROUP BY account WINDOW TUMBLING(ts, INTERVAL '1' SECOND) EMIT FINAL";

    @Param({"10000"})
    int keys;

    /** RING × N records: account and quantity per record, and the batches holding them. */
    long[] account;
    long[] quantity;
    RecordBatch[] ring;
    int next;

    Operator groupBy;
    FoldSink groupBySink;
    LongGroupTable table;
    long failed;

    Operator tumbling;
    FoldSink tumblingSink;
    /** Records sent to the tumbling query so far: record i has event time FIRST_EVENT_TIME + i / RECORDS_PER_MS. */
    long sent;

    LongGroupTable window;
    long windowStart = Long.MIN_VALUE;
    long referenceSent;
    long referenceRows;
    long referenceFold;
    long referenceLate;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(17);
        account = new long[RING * N];
        quantity = new long[RING * N];
        ring = new RecordBatch[RING];
        BatchPool pool = new BatchPool(TradeData.SCHEMA, N, RING, false);
        for (int b = 0; b < RING; b++) {
            RecordBatch batch = pool.acquire();
            for (int i = 0; i < N; i++) {
                int at = b * N + i;
                account[at] = r.nextInt(keys);
                quantity[at] = 1 + r.nextInt(1000);
                batch.columns[0].setLong(i, at);
                batch.columns[1].setLong(i, account[at]);
                batch.columns[2].setDecimal(i, 1_500_000L, TradeData.PRICE_SCALE);
                batch.columns[3].setLong(i, quantity[at]);
                batch.columns[4].setObject(i, (at & 1) == 0 ? "BUY" : "SELL");
                batch.columns[5].setLong(i, FIRST_EVENT_TIME);
                batch.eventTime[i] = FIRST_EVENT_TIME;
            }
            batch.size = N;
            ring[b] = batch; // never released: the ring is reused for the whole trial
        }
        groupBySink = new FoldSink();
        groupBy = plan(GROUP_BY, groupBySink).pipeline();
        tumblingSink = new FoldSink();
        tumbling = plan(TUMBLING, tumblingSink).pipeline();
        table = new LongGroupTable(keys);
        window = new LongGroupTable(keys);
    }

    static JobPlan plan(String sql, Sink sink) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new Planner(new Catalog(), Path.of("."), quiet, quiet).planInMemory(sql, "trades", TradeData.SCHEMA, sink);
    }

    // ================================================================ GROUP BY

    @Benchmark
    @OperationsPerInvocation(N)
    public FoldSink groupByEngine() {
        RecordBatch b = ring[next];
        next = (next + 1) % RING;
        groupBy.push(b);
        return groupBySink;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public LongGroupTable groupByHandWritten() {
        int from = next * N;
        next = (next + 1) % RING;
        final long[] k = account;
        final long[] q = quantity;
        final LongGroupTable t = table;
        for (int i = from; i < from + N; i++) {
            if (!t.add(k[i], q[i])) {
                failed++;
            }
        }
        return t;
    }

    // ================================================================ tumbling window

    @Benchmark
    @OperationsPerInvocation(N)
    public FoldSink tumblingEngine() {
        RecordBatch b = ring[next];
        next = (next + 1) % RING;
        final long[] ts = b.columns[5].longs;
        final long[] et = b.eventTime;
        long s = sent;
        for (int i = 0; i < N; i++) {
            long t = FIRST_EVENT_TIME + (s + i) / RECORDS_PER_MS;
            ts[i] = t;
            et[i] = t;
        }
        sent = s + N;
        tumbling.push(b);
        return tumblingSink;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long tumblingHandWritten() {
        int from = next * N;
        next = (next + 1) % RING;
        final long[] k = account;
        final long[] q = quantity;
        LongGroupTable t = window;
        long s = referenceSent;
        for (int i = 0; i < N; i++) {
            long ts = FIRST_EVENT_TIME + (s + i) / RECORDS_PER_MS;
            long start = Math.floorDiv(ts, WINDOW_MS) * WINDOW_MS;
            if (start != windowStart) {
                if (start < windowStart) {
                    referenceLate++; // its window has closed (never happens with in-order data)
                    continue;
                }
                closeWindow();
                windowStart = start;
            }
            if (!t.add(k[from + i], q[from + i])) {
                failed++;
            }
        }
        referenceSent = s + N;
        return referenceFold;
    }

    /** Emits the open window's groups into the fold and empties the table (the end of the input closes it too). */
    void closeWindow() {
        LongGroupTable t = window;
        if (t.size() == 0) {
            return;
        }
        final long[] ks = t.keys;
        final long[] cs = t.counts;
        final long[] ss = t.sums;
        long fold = 0;
        for (int h = 0; h < cs.length; h++) {
            if (cs[h] != 0) {
                fold += FoldSink.rowHash(FoldSink.rowHash(FoldSink.rowHash(FoldSink.rowHash(1, ks[h]), cs[h]), ss[h]), windowStart);
            }
        }
        referenceRows += t.size();
        referenceFold += fold;
        t.clear();
    }

    /**
     * Counts the rows it is given and folds every cell (all long-backed: keys, counts, sums, window
     * starts) into an order-independent sum of per-row hashes.
     */
    public static final class FoldSink implements Sink {
        long rows;
        long fold;

        static long rowHash(long h, long v) {
            return h * 1_000_003L + v;
        }

        @Override
        public int write(RecordBatch b) {
            int n = b.liveCount();
            Column[] cols = b.columns;
            long f = 0;
            for (int i = 0; i < n; i++) {
                int row = b.liveRow(i);
                long h = 1;
                for (Column c : cols) {
                    h = rowHash(h, c.nulls[row] ? 0 : c.longs[row]);
                }
                f += h;
            }
            rows += n;
            fold += f;
            return n;
        }

        @Override
        public String name() {
            return "fold";
        }

        @Override
        public void open() {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "fold sink";
        }
    }
}
