package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.failure.JobFailedException;
import io.velo.plan.JobPlan;
import java.io.PrintStream;

/**
 * Drives one job: source → pooled batch → operator chain → sink, until a bounded source is exhausted,
 * LIMIT is reached, {@code maxRecords} have been read, an unbounded source has been idle for
 * {@code untilIdleMillis}, or {@link #stop()} is called (SIGINT/SIGTERM). Always finishes the chain
 * (closing windows, flushing sinks) before returning, also when it stops early.
 */
public final class JobRunner {
    private final JobPlan plan;
    private final long maxRecords;
    private final long untilIdleMillis;
    private final PrintStream progress;
    private volatile boolean stopRequested;

    public JobRunner(JobPlan plan, long maxRecords, long untilIdleMillis, PrintStream progress) {
        this.plan = plan;
        this.maxRecords = maxRecords;
        this.untilIdleMillis = untilIdleMillis;
        this.progress = progress;
    }

    public void stop() {
        stopRequested = true;
    }

    public void run() {
        if (plan.source() == null || plan.sink() == null) {
            throw new JobFailedException("job " + plan.name() + " uses Kafka, which this build cannot run yet: only file sources and sinks run today ('velo check' plans Kafka jobs)");
        }
        var source = plan.source();
        var sink = plan.sink();
        var metrics = plan.metrics();
        boolean sinkOpen = false;
        boolean sourceOpen = false;
        try {
            sink.open();
            sinkOpen = true;
            source.open();
            sourceOpen = true;
            long lastData = System.currentTimeMillis();
            long lastProgress = lastData;
            long started = lastData;
            while (!stopRequested) {
                RecordBatch batch = plan.sourcePool().acquire();
                boolean more;
                try {
                    long before = metrics.recordsIn;
                    more = source.poll(batch);
                    if (batch.size > 0) {
                        metrics.batches++;
                        plan.pipeline().push(batch);
                    }
                    if (metrics.recordsIn > before) {
                        lastData = System.currentTimeMillis();
                    }
                } finally {
                    batch.release();
                }
                if (!more || plan.pipeline().done() || (maxRecords > 0 && metrics.recordsIn >= maxRecords)) {
                    break;
                }
                long now = System.currentTimeMillis();
                if (!source.bounded()) {
                    if (untilIdleMillis > 0 && now - lastData >= untilIdleMillis) {
                        break;
                    }
                    if (now - lastData > 50) {
                        sleep(20);
                    }
                }
                if (progress != null && now - lastProgress >= 1000) {
                    lastProgress = now;
                    double secs = Math.max(0.001, (now - started) / 1000.0);
                    progress.printf("\r%s: %,d records read, %,d written, %,.0f rec/s   ", plan.name(), metrics.recordsIn,
                            metrics.recordsOut, metrics.recordsIn / secs);
                    progress.flush();
                }
            }
            plan.pipeline().finish();
            plan.failures().flush();
        } finally {
            try {
                if (sourceOpen) {
                    source.close();
                }
            } finally {
                try {
                    if (sinkOpen) {
                        sink.close();
                    }
                } finally {
                    plan.failures().close();
                    if (progress != null) {
                        progress.print("\r");
                        progress.flush();
                    }
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
