package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.metrics.JobMetrics;

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
            metrics.addSkippedAfterLimit(n);
            return;
        }
        if (n <= room) {
            passed += n;
            next.push(b);
            return;
        }
        int keep = (int) room;
        int[] sel = b.sel;
        if (sel == null) {
            sel = new int[keep]; // once per job: only the batch that crosses the limit is cut
            for (int i = 0; i < keep; i++) {
                sel[i] = i;
            }
        }
        passed += keep;
        metrics.addSkippedAfterLimit(n - keep);
        Selections.pushSelected(b, sel, keep, next);
    }

    @Override
    public void watermark(long wm) {
        next.watermark(wm);
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
