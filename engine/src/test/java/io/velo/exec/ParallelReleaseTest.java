package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A parallel stage's worker threads end when the plan is released, even when the job never finished. */
class ParallelReleaseTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("k", DataType.BIGINT), new Field("v", DataType.BIGINT)));

    private static List<Thread> workers(String job) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("velo-" + job + "-worker") && t.isAlive())
                .collect(Collectors.toList());
    }

    @Test
    void releasingAnUnfinishedPlanStopsItsWorkers() throws Exception {
        Sink sink = new io.velo.connector.CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .planInMemory("SELECT k, SUM(v) AS s FROM t GROUP BY k EMIT FINAL", "t", SCHEMA, sink, 2);
        RecordBatch b = new RecordBatch(SCHEMA, 4096, null);
        for (int i = 0; i < 4096; i++) {
            b.columns[0].setLong(i, i % 17);
            b.columns[1].setLong(i, i);
        }
        b.size = 4096;
        plan.pipeline().push(b); // the workers run now; the job then "fails" before finish()
        List<Thread> running = workers("in_memory");
        assertFalse(running.isEmpty(), "the parallel stage started worker threads");
        plan.release().run();
        for (Thread t : running) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still runs after the plan was released");
        }
        assertTrue(workers("in_memory").stream().noneMatch(running::contains));
    }
}
