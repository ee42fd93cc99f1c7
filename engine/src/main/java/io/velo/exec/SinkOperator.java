package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.metrics.JobMetrics;

/** The end of a pipeline: writes live rows to the sink and counts them. */
public final class SinkOperator implements Operator {
    private final Sink sink;
    private final JobMetrics metrics;

    public SinkOperator(Sink sink, JobMetrics metrics) {
        this.sink = sink;
        this.metrics = metrics;
    }

    @Override
    public void push(RecordBatch b) {
        metrics.addRecordsOut(sink.write(b));
    }

    @Override
    public void finish() {
        sink.flush();
    }
}
