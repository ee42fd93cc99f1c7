package io.velo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.connector.spi.Source;
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
import org.junit.jupiter.api.Test;

/**
 * A job told to end when its input is idle ({@code --until-idle}) must not end while its source knows
 * of records still waiting: a quiet spell of the job's own (a slow commit, fetches that came back
 * empty under load) once ended a transactional Kafka job with part of its topic unread.
 */
class IdleEndTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.BIGINT)));

    /** Unbounded: 10 batches of 100, then quiet for {@code quietMillis} while reporting records waiting, then 10 more. */
    private static final class QuietButBehind implements Source {
        private final long quietMillis;
        private final boolean reportsBehind;
        private int next;
        private long quietSince = -1;

        QuietButBehind(long quietMillis, boolean reportsBehind) {
            this.quietMillis = quietMillis;
            this.reportsBehind = reportsBehind;
        }

        @Override
        public String name() {
            return "quiet";
        }

        @Override
        public Schema schema() {
            return SCHEMA;
        }

        @Override
        public boolean bounded() {
            return false;
        }

        @Override
        public void open() {
        }

        private boolean quiet() {
            if (next != 1_000) {
                return false;
            }
            if (quietSince < 0) {
                quietSince = System.currentTimeMillis();
            }
            return System.currentTimeMillis() - quietSince < quietMillis;
        }

        @Override
        public boolean poll(RecordBatch batch) {
            if (next >= 2_000 || quiet()) {
                return true;
            }
            for (int i = 0; i < 100; i++) {
                batch.columns[0].setLong(i, next++);
            }
            batch.size = 100;
            return true;
        }

        @Override
        public boolean behind() {
            return reportsBehind && next < 2_000;
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "quiet source";
        }
    }

    private static int run(boolean reportsBehind) {
        CollectingSink sink = new CollectingSink();
        JobPlan p = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .planInMemory("SELECT id FROM t", "t", SCHEMA, sink, 1);
        JobPlan plan = new JobPlan(p.name(), p.statementKind(), new QuietButBehind(900, reportsBehind), p.sink(), p.pipeline(), p.sourcePool(),
                p.batching(), p.properties(), p.failures(), p.metrics(), p.outputSchema(), p.planText(), p.transactional(), p.state(),
                p.stateStore(), p.commitIntervalMillis(), p.sinkRetry(), p.release(), p.inFlight());
        new JobRunner(plan, 0, 300, null).run();
        return sink.rows.size();
    }

    @Test
    void aQuietSpellWithRecordsWaitingDoesNotEndTheJob() {
        assertEquals(2_000, run(true), "every record, read after the source's quiet spell");
    }

    @Test
    void idleInputStillEndsTheJob() {
        assertEquals(1_000, run(false), "a source that knows of nothing waiting ends after the idle period");
    }
}
