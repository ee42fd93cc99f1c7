package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.exec.metrics.JobMetrics;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;

/** WHERE / HAVING: narrows the batch's selection vector in place; rows moved nowhere. */
public final class FilterOperator implements Operator {
    private final Eval predicate;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;
    private int[] sel = new int[0];

    public FilterOperator(Eval predicate, Operator next, RowErrors errors, JobMetrics metrics) {
        this.predicate = predicate;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    public void push(RecordBatch b) {
        final Eval p = predicate;
        int n = b.liveCount();
        if (sel.length < b.capacity) {
            sel = new int[b.capacity];
        }
        int[] out = sel;
        int k = 0;
        int[] in = b.sel;
        for (int i = 0; i < n; i++) {
            int row = in == null ? i : in[i];
            try {
                p.eval(b, row);
            } catch (RecordError | ArithmeticException e) {
                errors.fail(b, row, e);
                continue;
            }
            if (!p.isNull && p.l != 0) {
                out[k++] = row;
            } else {
                metrics.filtered++;
            }
        }
        int[] saved = b.sel;
        int savedCount = b.selCount;
        b.sel = out;
        b.selCount = k;
        if (k > 0) {
            next.push(b);
        }
        b.sel = saved;
        b.selCount = savedCount;
    }

    @Override
    public void finish() {
        next.finish();
    }

    @Override
    public boolean done() {
        return next.done();
    }
}
