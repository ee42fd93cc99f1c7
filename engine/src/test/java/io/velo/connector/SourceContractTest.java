package io.velo.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.velo.api.Engine;
import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.connector.spi.SourcePositions;
import io.velo.plan.JobPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link Source} contract, one subclass per implementation (as JCTools' {@code QueueSanityTest}).
 * A subclass writes records to its kind of input ({@link #writeInput}) and names the connector
 * properties that read it ({@link #sourceProperties}); the source itself is planned by the engine
 * from a tiny script, so it is the real class configured the way a job configures it. Where an
 * implementation legitimately differs (bounded or not, positions or none) a hook says so and the
 * cases that do not apply are skipped with the reason, never faked.
 *
 * <p>Records are JSON objects {@code {"id":i,"sym":"…"}}; a delivered row is identified by its id.
 */
public abstract class SourceContractTest {
    /** Long enough for a consumer to join its group and fetch (a Kafka source's first polls return nothing). */
    protected static final long DELIVERY_TIMEOUT_MS = 30_000;
    /** How long an unbounded source is watched for records beyond the expected ones. */
    protected static final long QUIET_MS = 700;
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @TempDir
    protected Path dir;

    private final List<Source> opened = new ArrayList<>();
    private final List<Sink> openedSinks = new ArrayList<>();
    /** What the failure handler (LogAndContinue) logged for the sources of the current test. */
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    // ---- what a subclass provides

    /** Writes {@code jsonRecords} in this order to a fresh input named {@code input} (a file, a topic). */
    protected abstract void writeInput(String input, List<String> jsonRecords) throws Exception;

    /** The WITH properties of a source {@code src} reading {@code input} in consumer group {@code group}. */
    protected abstract String sourceProperties(String input, String group);

    /** Whether this implementation ends ({@link Source#bounded}). */
    protected abstract boolean bounded();

    /**
     * Null when the source keeps positions a new source can resume from ({@link Source#commit},
     * {@link Source#positions}); otherwise why it has nothing to commit (the skipped cases show it).
     */
    protected abstract String withoutPositionsBecause();

    private boolean keepsPositions() {
        return withoutPositionsBecause() == null;
    }

    /**
     * Writes {@code jsonRecords} with the last one unfinished (a file without its final newline) and
     * returns true, or returns false when this kind of input has no unfinished records (a Kafka
     * message is whole).
     */
    protected boolean writeInputWithUnfinishedLastRecord(String input, List<String> jsonRecords) throws Exception {
        return false;
    }

    /** What the failure log shows as the position of record {@code index} of {@code input} (e.g. {@code in.json:3}). */
    protected abstract String positionOf(String input, int index);

    /**
     * A transactional sink that commits this source's positions inside its transaction (a Kafka
     * sink for a Kafka source), planned together with a source over {@code input}; null when no sink
     * understands this source's positions.
     */
    protected Planned transactionalPlan(String input, String group) throws Exception {
        return null;
    }

    // ---- the cases

    @Test
    public void everyRecordIsDeliveredExactlyOnceInOrderPerPartition() throws Exception {
        List<String> records = records(50);
        String input = unique("all");
        writeInput(input, records);
        Source source = open(input, unique("g"));
        assertEquals(bounded(), source.bounded(), "bounded()");
        Delivered d = drain(source, 7, 50);
        assertEquals(ids(0, 50), d.sortedIds(), "every record once");
        d.assertOrderedPerPartition();
        assertEquals(0, d.failed);
    }

    @ParameterizedTest(name = "batch capacity {0}")
    @ValueSource(ints = {1, 7, 1000})
    public void limitTotalDeliversExactlyThatManyWhateverTheBatchCapacity(int capacity) throws Exception {
        String input = unique("limit" + capacity);
        writeInput(input, records(40));
        Planned p = plan(input, unique("g"));
        Source source = p.source();
        source.limitTotal(25);
        Delivered d = pollUntilFalse(source, capacity);
        assertEquals(25, d.ids.size(), "records delivered under limitTotal(25)");
        assertEquals(25, new HashSet<>(d.ids).size(), "no record twice");
        assertEquals(25, p.plan().metrics().recordsIn());
        d.assertOrderedPerPartition();
        assertNothingMore(source, capacity);
    }

    @Test
    public void limitTotalCountsTheRecordsThatFailToDecode() throws Exception {
        String input = unique("limitbad");
        List<String> records = records(20);
        records.set(1, malformed(1));
        records.set(3, malformed(3));
        writeInput(input, records);
        Planned p = plan(input, unique("g"));
        p.source().limitTotal(10);
        Delivered d = pollUntilFalse(p.source(), 1000);
        long failed = p.plan().metrics().failed();
        assertEquals(10, d.ids.size() + failed, "delivered + failed under limitTotal(10)");
        assertEquals(10, p.plan().metrics().recordsIn());
    }

    @Test
    public void limitRecordsCapsEachPoll() throws Exception {
        String input = unique("cap");
        writeInput(input, records(20));
        Source source = open(input, unique("g"));
        source.limitRecords(3);
        BatchPool pool = new BatchPool(source.schema(), 1000, 2);
        List<Long> ids = new ArrayList<>();
        long deadline = System.currentTimeMillis() + DELIVERY_TIMEOUT_MS;
        while (ids.size() < 20 && System.currentTimeMillis() < deadline) {
            RecordBatch b = pool.acquire();
            try {
                boolean more = source.poll(b);
                assertTrue(b.size <= 3, "a poll under limitRecords(3) added " + b.size);
                addIds(b, ids);
                if (!more) {
                    break;
                }
            } finally {
                b.release();
            }
        }
        assertEquals(ids(0, 20), new java.util.TreeSet<>(ids), "all records, 3 at most per poll");
    }

    @Test
    public void pollAppendsAfterTheRowsTheBatchAlreadyHolds() throws Exception {
        String input = unique("append");
        writeInput(input, records(30));
        Source source = open(input, unique("g"));
        RecordBatch b = new BatchPool(source.schema(), 10, 1).acquire();
        long deadline = System.currentTimeMillis() + DELIVERY_TIMEOUT_MS;
        while (b.size == 0 && System.currentTimeMillis() < deadline) {
            source.poll(b);
        }
        assertTrue(b.size > 0, "nothing delivered");
        b.size = Math.min(b.size, 4); // as if the batch held 4 rows (or fewer) before the poll
        List<Long> before = new ArrayList<>();
        addIds(b, before);
        int held = b.size;
        while (b.size == held && System.currentTimeMillis() < deadline) {
            source.poll(b);
        }
        assertTrue(b.size > held, "the second poll added nothing");
        List<Long> after = new ArrayList<>();
        addIds(b, after);
        assertEquals(before, after.subList(0, held), "the rows the batch held before the poll");
        b.release();
    }

    @Test
    public void aMalformedRecordNeverEntersABatchAndReachesTheFailureHandlerWithItsPosition() throws Exception {
        String input = unique("bad");
        List<String> records = records(12);
        records.set(2, malformed(2));
        records.set(9, "[1, 2]"); // valid JSON, but no object
        writeInput(input, records);
        Planned p = plan(input, unique("g"));
        Delivered d = drain(p.source(), 1000, 10);
        Set<Long> want = new java.util.TreeSet<>(ids(0, 12));
        want.remove(2L);
        want.remove(9L);
        assertEquals(want, d.sortedIds(), "the well-formed records, once each");
        for (Object raw : d.raws) {
            assertFalse(raw.equals(records.get(2)) || raw.equals(records.get(9)), "a malformed record entered a batch: " + raw);
        }
        assertEquals(2, p.plan().metrics().failed(), p.plan().metrics().summary());
        assertEquals(Map.of("22P02", 2L), p.plan().metrics().failuresByCode());
        assertEquals(d.ids.size() + 2, p.plan().metrics().recordsIn(), "records in = delivered + failed");
        String text = log.toString(StandardCharsets.UTF_8);
        for (int bad : new int[] {2, 9}) {
            assertTrue(text.contains(positionOf(input, bad) + ": error 22P02"), "no error at " + positionOf(input, bad) + " in:\n" + text);
        }
    }

    @Test
    public void aNewSourceResumesAfterTheCommittedRecords() throws Exception {
        assumeTrue(keepsPositions(), () -> getClass().getSimpleName() + ": " + withoutPositionsBecause());
        String input = unique("resume");
        String group = unique("g");
        writeInput(input, records(30));
        Source first = open(input, group);
        assertTrue(first.positions().isEmpty(), "positions before anything was read");
        first.limitTotal(12);
        Delivered a = pollUntilFalse(first, 5);
        assertEquals(12, a.ids.size());
        assertFalse(first.positions().isEmpty(), "positions after 12 records");
        first.commit();
        assertTrue(first.positions().isEmpty(), "positions right after commit()");
        first.close();

        Delivered b = drain(open(input, group), 1000, 18);
        assertResumedAfter(a, b, 30);
    }

    @Test
    public void aNewSourceResumesAfterPositionsCommittedInsideASinkTransaction() throws Exception {
        assumeTrue(keepsPositions(), () -> getClass().getSimpleName() + ": " + withoutPositionsBecause());
        String input = unique("txresume");
        String group = unique("g");
        writeInput(input, records(30));
        Planned p = transactionalPlan(input, group);
        assumeTrue(p != null, getClass().getSimpleName() + ": no transactional sink commits this source's positions");
        Source first = p.source();
        opened.add(first);
        first.open();
        Sink sink = p.plan().sink();
        openedSinks.add(sink);
        sink.open();
        sink.beginTransaction();
        first.limitTotal(12);
        Delivered a = pollUntilFalse(first, 5);
        assertEquals(12, a.ids.size());
        SourcePositions at = first.positions();
        assertFalse(at.isEmpty(), "positions after 12 records");
        sink.commitTransaction(at);
        first.committed();
        assertTrue(first.positions().isEmpty(), "positions right after committed()");
        first.close();

        Delivered b = drain(open(input, group), 1000, 18);
        assertResumedAfter(a, b, 30);
    }

    /** A source without positions (a file) has nothing to commit: a new source reads its input from the start. */
    @Test
    public void withoutPositionsCommitIsHarmlessAndANewSourceReadsEverythingAgain() throws Exception {
        assumeFalse(keepsPositions(), getClass().getSimpleName() + ": this source keeps positions (see the resume cases)");
        String input = unique("nopos");
        writeInput(input, records(10));
        Source first = open(input, unique("g"));
        assertNull(first.positions(), "positions() of a source without positions");
        drain(first, 4, 10);
        first.commit();
        first.committed();
        first.close();
        assertEquals(ids(0, 10), drain(open(input, unique("g")), 1000, 10).sortedIds());
    }

    @Test
    public void closeTwiceIsHarmless() throws Exception {
        String input = unique("close");
        writeInput(input, records(5));
        Source neverPolled = open(input, unique("g"));
        neverPolled.close();
        neverPolled.close();
        Source polled = open(input, unique("g"));
        drain(polled, 1000, 5);
        polled.close();
        polled.close();
    }

    @Test
    public void aBoundedSourceKeepsReturningFalseOnceExhausted() throws Exception {
        assumeTrue(bounded(), getClass().getSimpleName() + " is unbounded: it never ends");
        String input = unique("end");
        writeInput(input, records(9));
        Source source = open(input, unique("g"));
        Delivered d = pollUntilFalse(source, 4);
        assertEquals(ids(0, 9), d.sortedIds());
        assertNothingMore(source, 4);
    }

    @Test
    public void anIdleUnboundedSourceKeepsReturningTrueWithNothingAdded() throws Exception {
        assumeFalse(bounded(), getClass().getSimpleName() + " is bounded: it ends (see the exhausted case)");
        String input = unique("idle");
        writeInput(input, records(6));
        Source source = open(input, unique("g"));
        drain(source, 1000, 6);
        BatchPool pool = new BatchPool(source.schema(), 100, 1);
        long until = System.currentTimeMillis() + 1_000;
        int polls = 0;
        while (System.currentTimeMillis() < until) {
            RecordBatch b = pool.acquire();
            try {
                assertTrue(source.poll(b), "an idle unbounded source returned false");
                assertEquals(0, b.size, "an idle source added rows");
            } finally {
                b.release();
            }
            polls++;
        }
        assertTrue(polls > 1);
    }

    @Test
    public void progressIsAFractionOfABoundedInputOrUnknown() throws Exception {
        String input = unique("progress");
        writeInput(input, records(20));
        Source source = open(input, unique("g"));
        if (!bounded()) {
            drain(source, 5, 20);
            assertEquals(-1, source.progress(), "progress of an unbounded source");
            return;
        }
        BatchPool pool = new BatchPool(source.schema(), 5, 1);
        double last = 0;
        boolean more = true;
        while (more) {
            RecordBatch b = pool.acquire();
            more = source.poll(b);
            b.release();
            double p = source.progress();
            assertTrue(p == -1 || p >= last && p <= 1, "progress " + p + " after " + last);
            last = p == -1 ? last : p;
        }
        assertTrue(source.progress() == -1 || source.progress() == 1.0, "progress of an exhausted source: " + source.progress());
    }

    @Test
    public void anUnfinishedLastRecordIsDeliveredByABoundedSourceAndHeldBackByAnUnboundedOneUntilReleased() throws Exception {
        String input = unique("tail");
        boolean written = writeInputWithUnfinishedLastRecord(input, records(5));
        assumeTrue(written, () -> getClass().getSimpleName() + ": its input has no unfinished records");
        Source source = open(input, unique("g"));
        if (bounded()) {
            assertEquals(ids(0, 5), drain(source, 1000, 5).sortedIds(), "a bounded input's last record, without its newline");
            assertFalse(source.releaseHeldBack(), "releaseHeldBack() of a bounded source");
            return;
        }
        assertEquals(ids(0, 4), drain(source, 1000, 4).sortedIds(), "an unbounded source waits for the last record's newline");
        assertTrue(source.releaseHeldBack(), "releaseHeldBack() with an unfinished record held back");
        Delivered tail = drain(source, 1000, 1);
        assertEquals(List.of(4L), tail.ids, "the held-back record, once");
    }

    // ---- helpers

    /** A source planned by the engine, with the job it belongs to (its metrics, its failure handler). */
    protected record Planned(JobPlan plan, Source source) { }

    /** Plans a script (see {@link #script}) on an engine whose failure log is this test's; the last statement is the job. */
    protected Planned plan(String script) {
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(log, true));
        configure(engine);
        List<Object> steps = engine.planScript(script, dir, List.of());
        JobPlan job = (JobPlan) steps.get(steps.size() - 1);
        return new Planned(job, job.source());
    }

    /** Lets a subclass point the engine at its broker. */
    protected void configure(Engine engine) {
    }

    private Planned plan(String input, String group) {
        Planned p = plan(script(sourceProperties(input, group), "'out.type' = 'file_sink', 'out.path' = 'out-" + input + ".json'"));
        opened.add(p.source());
        p.source().open();
        return p;
    }

    /** The contract's script: a source {@code src} with {@code srcProps}, selected into a sink {@code out} with {@code outProps}. */
    protected static String script(String srcProps, String outProps) {
        return "CREATE STREAM src (id BIGINT, sym STRING) WITH (" + srcProps + ", 'failure_strategy' = 'LogAndContinue');\n"
                + "SELECT id, sym FROM src INTO out WITH (" + outProps + ");\n";
    }

    private Source open(String input, String group) {
        return plan(input, group).source();
    }

    @AfterEach
    void closeEverything() {
        for (Source s : opened) {
            s.close();
        }
        for (Sink s : openedSinks) {
            s.close();
        }
    }

    protected static String unique(String what) {
        return what + "-" + UNIQUE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** Records {@code 0..n-1}. */
    protected static List<String> records(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"id\":" + i + ",\"sym\":\"S" + (i % 5) + "\"}");
        }
        return out;
    }

    protected static String malformed(int i) {
        return "{\"id\":" + i + ",\"sym\":\"unterminated";
    }

    private static Set<Long> ids(int from, int to) {
        Set<Long> s = new java.util.TreeSet<>();
        for (long i = from; i < to; i++) {
            s.add(i);
        }
        return s;
    }

    private static void addIds(RecordBatch b, List<Long> into) {
        for (int r = 0; r < b.size; r++) {
            into.add(b.columns[0].longs[r]);
        }
    }

    /** What a sequence of polls delivered. */
    protected static final class Delivered {
        final List<Long> ids = new ArrayList<>();
        final List<Integer> partitions = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        final List<Object> raws = new ArrayList<>();
        long failed;

        void add(RecordBatch b) {
            for (int r = 0; r < b.size; r++) {
                ids.add(b.columns[0].longs[r]);
                partitions.add(b.partition[r]);
                offsets.add(b.offset[r]);
                raws.add(b.raw[r]);
            }
        }

        Set<Long> sortedIds() {
            Set<Long> s = new java.util.TreeSet<>(ids);
            assertEquals(ids.size(), s.size(), "a record was delivered twice: " + ids);
            return s;
        }

        /** Within a partition records arrive in the order they were written, at rising positions. */
        void assertOrderedPerPartition() {
            Map<Integer, long[]> last = new TreeMap<>();
            for (int i = 0; i < ids.size(); i++) {
                long[] prev = last.get(partitions.get(i));
                if (prev != null && (ids.get(i) <= prev[0] || offsets.get(i) <= prev[1])) {
                    fail("partition " + partitions.get(i) + ": record " + ids.get(i) + " at " + offsets.get(i) + " after record "
                            + prev[0] + " at " + prev[1]);
                }
                last.put(partitions.get(i), new long[] {ids.get(i), offsets.get(i)});
            }
        }
    }

    /**
     * Polls until {@code expected} records are delivered (and, for an unbounded source, a quiet
     * while more for any beyond them), or a bounded source ends.
     */
    private Delivered drain(Source source, int capacity, int expected) {
        BatchPool pool = new BatchPool(source.schema(), capacity, 2);
        Delivered d = new Delivered();
        long deadline = System.currentTimeMillis() + DELIVERY_TIMEOUT_MS;
        long quietUntil = Long.MAX_VALUE;
        while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
            RecordBatch b = pool.acquire();
            try {
                boolean more = source.poll(b);
                assertTrue(b.size <= capacity);
                d.add(b);
                if (!more) {
                    break;
                }
            } finally {
                b.release();
            }
            if (d.ids.size() >= expected && quietUntil == Long.MAX_VALUE) {
                quietUntil = System.currentTimeMillis() + (source.bounded() ? DELIVERY_TIMEOUT_MS : QUIET_MS);
            }
        }
        return d;
    }

    /** Polls until a poll returns false (as {@link Source#limitTotal} promises, bounded or not). */
    private Delivered pollUntilFalse(Source source, int capacity) {
        BatchPool pool = new BatchPool(source.schema(), capacity, 2);
        Delivered d = new Delivered();
        long deadline = System.currentTimeMillis() + DELIVERY_TIMEOUT_MS;
        while (true) {
            assertTrue(System.currentTimeMillis() < deadline, "poll still returns true after " + d.ids.size() + " records");
            RecordBatch b = pool.acquire();
            try {
                boolean more = source.poll(b);
                assertTrue(b.size <= capacity, "a poll overfilled the batch");
                d.add(b);
                if (!more) {
                    assertEquals(0, b.size, "the poll that returned false added rows");
                    return d;
                }
            } finally {
                b.release();
            }
        }
    }

    private static void assertNothingMore(Source source, int capacity) {
        BatchPool pool = new BatchPool(source.schema(), capacity, 1);
        for (int i = 0; i < 3; i++) {
            RecordBatch b = pool.acquire();
            try {
                assertFalse(source.poll(b), "poll after the end");
                assertEquals(0, b.size, "poll after the end added rows");
            } finally {
                b.release();
            }
        }
    }

    private static void assertResumedAfter(Delivered first, Delivered second, int total) {
        Set<Long> a = first.sortedIds();
        Set<Long> b = second.sortedIds();
        Set<Long> overlap = new HashSet<>(a);
        overlap.retainAll(b);
        assertTrue(overlap.isEmpty(), "the new source repeated committed records " + overlap);
        Set<Long> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        assertEquals(ids(0, total), all, "the new source resumed after the committed records, missing none");
    }
}
