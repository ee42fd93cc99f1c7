package io.velo.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.plan.JobPlan;
import io.velo.runtime.JobRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads a job's counters from another thread while it runs (as the progress line and a server do):
 * no count ever goes back, the records accounted for never exceed the records read, and at the end
 * the books balance exactly — with a decode thread counting records in and failures beside the
 * operator thread, and without.
 */
class JobMetricsConcurrencyTest {
    private static final int ROWS = 40_000;

    @TempDir
    Path dir;

    private static boolean badDecimal(int id) {
        return id % 97 == 0;
    }

    private void writeInput() throws IOException {
        StringBuilder sb = new StringBuilder("id,v\n");
        for (int id = 1; id <= ROWS; id++) {
            sb.append(id).append(',').append(badDecimal(id) ? "bad" : (id % 7) + ".50").append('\n');
        }
        Files.writeString(dir.resolve("in.csv"), sb);
    }

    private JobPlan plan(String sql) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        List<Object> steps = new Engine(quiet, quiet).planScript(sql, dir, List.of());
        return (JobPlan) steps.get(0);
    }

    private static final String SOURCE = "'t.type' = 'file_source', 't.path' = 'in.csv', 't.format' = 'csv', 't.schema' = 'id BIGINT, v DECIMAL(10,2)', "
            + "'o.type' = 'file_sink', 'o.path' = 'out/o.json', 'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '%d', 'batch.parallel' = '%s'";

    @ParameterizedTest
    @CsvSource({"true, false", "false, false", "true, true", "false, true"})
    void countsReadWhileTheJobRunsOnlyGrowAndBalanceAtTheEnd(boolean parallel, boolean aggregate) throws Exception {
        writeInput();
        String query = aggregate
                ? "CREATE STREAM o AS SELECT id % 10 AS k, SUM(10 / (v - 0.5)) AS s FROM t WHERE id % 5 <> 0 GROUP BY id % 10 EMIT FINAL"
                : "CREATE STREAM o AS SELECT id, 10 / (v - 0.5) AS inv FROM t WHERE id % 5 <> 0";
        JobPlan plan = plan(query + " WITH (" + String.format(SOURCE, 257, parallel) + ");");
        JobMetrics m = plan.metrics();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread job = new Thread(() -> {
            try {
                new JobRunner(plan, 0, 0, null).run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "job-under-test");

        long[] last = new long[8];
        long reads = 0;
        long midRun = 0;
        job.start();
        while (job.isAlive()) {
            long unaccounted = m.unaccounted();
            assertTrue(unaccounted >= 0, "more records accounted for than read: " + m.summary());
            long[] now = {m.recordsIn(), m.recordsOut(), m.filtered(), m.failed(), m.aggregated(), m.batches(), m.deadLettered(), m.late()};
            for (int i = 0; i < now.length; i++) {
                assertTrue(now[i] >= last[i], "counter " + i + " went back from " + last[i] + " to " + now[i]);
            }
            System.arraycopy(now, 0, last, 0, now.length);
            m.summary(); // reads the failure codes while the job adds to them
            if (now[0] > 0 && now[0] < ROWS) {
                midRun++;
            }
            reads++;
        }
        job.join();
        assertNull(failure.get());
        assertTrue(reads > 0);
        System.out.println("reads while running: " + reads + " (" + midRun + " mid-run)");

        long bad = 0;
        long filtered = 0;
        long divByZero = 0;
        long passed = 0;
        for (int id = 1; id <= ROWS; id++) {
            if (badDecimal(id)) {
                bad++;
            } else if (id % 5 == 0) {
                filtered++;
            } else if (id % 7 == 0) {
                divByZero++;
            } else {
                passed++;
            }
        }
        assertEquals(ROWS, m.recordsIn());
        assertEquals(0, m.unaccounted(), m.summary());
        assertEquals(filtered, m.filtered());
        assertEquals(bad + divByZero, m.failed());
        assertEquals(Map.of("22P02", bad, "22012", divByZero), m.failuresByCode());
        assertEquals(aggregate ? passed : 0, m.aggregated());
        assertEquals(aggregate ? 8 : passed, m.recordsOut()); // k = id % 10 with id % 5 <> 0 leaves 8 keys
        assertEquals((ROWS - bad + 256) / 257, m.batches()); // failed decodes take no row of a batch
    }
}
