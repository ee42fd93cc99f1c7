package io.velo.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.velo.api.Engine;
import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.plan.JobPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Sink} contract, one subclass per implementation. A subclass names the connector
 * properties of a sink {@code out} writing to a fresh output ({@link #sinkProperties}) and reads back
 * what is durable and visible there ({@link #readBack}: a file's lines, a topic read with
 * {@code read_committed}). The sink is planned by the engine from a tiny script
 * ({@code SELECT id, sym FROM src}), so it is the real class with the job's encoder; the cases write
 * batches of that job's output schema from a {@link BatchPool}, one JSON line {@code {"id":i,"sym":"Si"}} per row.
 *
 * <p>A transactional sink makes rows visible at {@code commitTransaction}, not at {@code flush}: the
 * cases that make rows durable do what the runner does for that kind of sink ({@link #makeDurable}).
 */
public abstract class SinkContractTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @TempDir
    protected Path dir;

    private final List<Sink> opened = new ArrayList<>();
    private final List<RecordBatch> acquired = new ArrayList<>();
    private BatchPool pool;

    // ---- what a subclass provides

    /** The WITH properties of a sink {@code out} writing to the fresh output {@code output}. */
    protected abstract String sinkProperties(String output);

    /**
     * Everything durable and visible in {@code output}, in order; for an output that can receive
     * more later, waits for {@code expected} rows and then a short while for any beyond them.
     */
    protected abstract List<String> readBack(String output, int expected) throws Exception;

    /** Whether the sink writes inside transactions ({@link Sink#transactional}). */
    protected abstract boolean transactional();

    /**
     * The WITH properties of the job's source {@code src (id BIGINT, sym STRING)}, which is planned
     * but never opened: an empty file unless the sink needs another kind of source beside it.
     */
    protected String sourceProperties() {
        return "'src.type' = 'file_source', 'src.path' = 'in.json'";
    }

    /** Lets a subclass point the engine at its broker. */
    protected void configure(Engine engine) {
    }

    // ---- the cases

    @Test
    public void writeTakesOnlyTheLiveRowsAndReturnsHowMany() throws Exception {
        String output = unique("live");
        Sink sink = open(output);
        RecordBatch filtered = batch(0, 10);
        filtered.sel = new int[] {1, 3, 4, 8, 0, 0, 0, 0, 0, 0};
        filtered.selCount = 4;
        RecordBatch none = batch(20, 5);
        none.sel = new int[5];
        none.selCount = 0;
        RecordBatch all = batch(10, 3);
        begin(sink);
        assertEquals(4, sink.write(filtered), "rows taken from a batch with 4 live rows of 10");
        assertEquals(0, sink.write(none), "rows taken from a batch whose rows were all filtered out");
        assertEquals(3, sink.write(all), "rows taken from a batch without a selection vector");
        makeDurable(sink);
        assertEquals(lines(1, 3, 4, 8, 10, 11, 12), readBack(output, 7));
    }

    @Test
    public void afterFlushEverythingWrittenIsReadableExactlyOnceInOrder() throws Exception {
        String output = unique("flush");
        Sink sink = open(output);
        begin(sink);
        for (int b = 0; b < 5; b++) {
            assertEquals(7, sink.write(batch(b * 7, 7)));
        }
        makeDurable(sink);
        assertEquals(range(0, 35), readBack(output, 35));
        begin(sink);
        sink.write(batch(35, 3));
        makeDurable(sink);
        assertEquals(range(0, 38), readBack(output, 38), "a second flush adds its rows and repeats none");
    }

    @Test
    public void closeFlushes() throws Exception {
        assumeFalse(transactional(), () -> getClass().getSimpleName()
                + ": a transactional sink's close aborts what no commitTransaction committed (see closeWithAnOpenTransactionShowsNothing)");
        String output = unique("close");
        Sink sink = open(output);
        sink.write(batch(0, 12));
        sink.close();
        assertEquals(range(0, 12), readBack(output, 12));
    }

    @Test
    public void closeTwiceIsHarmless() throws Exception {
        String output = unique("close2");
        Sink sink = open(output);
        begin(sink);
        sink.write(batch(0, 4));
        makeDurable(sink);
        sink.close();
        sink.close();
        assertEquals(range(0, 4), readBack(output, 4));
    }

    @Test
    public void aTransactionHidesItsRowsUntilCommitTransaction() throws Exception {
        assumeTransactional();
        String output = unique("hidden");
        Sink sink = open(output);
        sink.beginTransaction();
        sink.write(batch(0, 10));
        sink.flush();
        assertEquals(List.of(), readBack(output, 0), "rows of an open transaction, flushed, read with read_committed");
        sink.commitTransaction(null);
        assertEquals(range(0, 10), readBack(output, 10));
    }

    @Test
    public void abortTransactionDropsItsRows() throws Exception {
        assumeTransactional();
        String output = unique("abort");
        Sink sink = open(output);
        sink.beginTransaction();
        sink.write(batch(0, 5));
        sink.flush();
        sink.abortTransaction();
        sink.beginTransaction();
        sink.write(batch(5, 5));
        sink.commitTransaction(null);
        assertEquals(range(5, 10), readBack(output, 5), "only the committed transaction's rows");
    }

    @Test
    public void closeWithAnOpenTransactionShowsNothing() throws Exception {
        assumeTransactional();
        String output = unique("closeopen");
        Sink sink = open(output);
        sink.beginTransaction();
        sink.write(batch(0, 5));
        sink.commitTransaction(null);
        sink.beginTransaction();
        sink.write(batch(5, 5));
        sink.close();
        assertEquals(range(0, 5), readBack(output, 5), "the rows of the transaction open at close are not output");
    }

    // ---- helpers

    private void assumeTransactional() {
        assumeTrue(transactional(), () -> getClass().getSimpleName()
                + " is not transactional ('mode' = 'transactional' is for Kafka sinks): its rows are visible once flushed");
    }

    /** Starts a transaction when the sink is transactional, as the runner does before writing. */
    private static void begin(Sink sink) {
        if (sink.transactional()) {
            sink.beginTransaction();
        }
    }

    /** What the runner does at a commit point: commit the transaction, or flush. */
    protected static void makeDurable(Sink sink) {
        if (sink.transactional()) {
            sink.commitTransaction(null);
        } else {
            sink.flush();
        }
    }

    private Sink open(String output) throws Exception {
        Files.writeString(dir.resolve("in.json"), "");
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        configure(engine);
        List<Object> steps = engine.planScript("CREATE STREAM src (id BIGINT, sym STRING) WITH (" + sourceProperties() + ");\n"
                + "CREATE STREAM out AS SELECT id, sym FROM src WITH (" + sinkProperties(output) + ");\n", dir, List.of());
        JobPlan job = (JobPlan) steps.get(steps.size() - 1);
        Sink sink = job.sink();
        assertEquals(transactional(), sink.transactional(), "transactional()");
        pool = new BatchPool(job.outputSchema(), 16, 4);
        opened.add(sink);
        sink.open();
        return sink;
    }

    /** A batch of rows {@code first..first+n-1}. */
    private RecordBatch batch(int first, int n) {
        RecordBatch b = pool.acquire();
        acquired.add(b);
        for (int r = 0; r < n; r++) {
            b.columns[0].setLong(r, first + r);
            b.columns[1].setObject(r, "S" + (first + r));
        }
        b.size = n;
        return b;
    }

    protected static String line(long id) {
        return "{\"id\":" + id + ",\"sym\":\"S" + id + "\"}";
    }

    private static List<String> lines(long... ids) {
        List<String> out = new ArrayList<>();
        for (long id : ids) {
            out.add(line(id));
        }
        return out;
    }

    private static List<String> range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(line(i));
        }
        return out;
    }

    protected static String unique(String what) {
        return what + "-" + UNIQUE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    @AfterEach
    void closeEverything() {
        for (RecordBatch b : acquired) {
            b.release();
        }
        for (Sink s : opened) {
            s.close();
        }
    }
}
