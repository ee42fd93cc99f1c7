package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.exec.metrics.JobMetrics;

/** LIMIT n: passes the first n rows, counts the rest, and tells the driver to stop reading. */
public final class LimitOperator implements Operator {
    private final long limit;
    private final Operator next;
    private final JobMetrics metrics;
    private long passed;

    public LimitOperator(long limit, Operator next, JobMetrics metrics) {
        this.limit = limit;
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        long room = limit - passed;
        if (room <= 0) {
            metrics.skippedAfterLimit += n;
            return;
        }
        if (n <= room) {
            passed += n;
            next.push(b);
            return;
        }
        int keep = (int) room;
        int[] saved = b.sel;
        int savedCount = b.selCount;
        if (b.sel == null) {
            int[] sel = new int[keep];
            for (int i = 0; i < keep; i++) {
                sel[i] = i;
            }
            b.sel = sel;
        }
        b.selCount = keep;
        passed += keep;
        metrics.skippedAfterLimit += n - keep;
        next.push(b);
        b.sel = saved;
        b.selCount = savedCount;
    }

    @Override
    public void finish() {
        next.finish();
    }

    @Override
    public boolean done() {
        return passed >= limit || next.done();
    }
}
