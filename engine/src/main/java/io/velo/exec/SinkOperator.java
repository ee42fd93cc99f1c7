package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.metrics.JobMetrics;

/**
 * The end of a pipeline: writes live rows to the sink and counts them. Nothing of a batch that failed
 * (a FailBatch decision) is written: the runner stops at the batch's end (see
 * {@link io.velo.failure.FailureAction#FAIL_BATCH}).
 */
public final class SinkOperator implements Operator {
    private final Sink sink;
    private final JobMetrics metrics;
    private final io.velo.failure.FailureHandler failures;

    public SinkOperator(Sink sink, JobMetrics metrics, io.velo.failure.FailureHandler failures) {
        this.sink = sink;
        this.metrics = metrics;
        this.failures = failures;
    }

    @Override
    public void push(RecordBatch b) {
        if (failures.batchFailure() != null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            metrics.addRecordsOut(sink.write(b));
            metrics.addSinkNanos(System.nanoTime() - t0);
        } catch (io.velo.failure.SinkUnavailableException e) {
            metrics.addUnwritten(b.liveCount()); // a failed write takes no rows: a replay reads their records again
            throw e;
        }
    }

    @Override
    public void finish() {
        sink.flush();
    }
}
