package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.metrics.JobMetrics;
import io.velo.expr.eval.BatchPredicate;

/** WHERE / HAVING: narrows the batch's selection vector in place; no row is moved. */
public final class FilterOperator implements Operator, BatchPredicate.Errors {
    private final BatchPredicate predicate;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;
    private int[] sel = new int[0];
    private int failedInBatch;
    private final boolean having;
    /** HAVING over a changelog: a rejected row becomes a retraction instead of disappearing. */
    private boolean retract;

    public FilterOperator(BatchPredicate predicate, Operator next, RowErrors errors, JobMetrics metrics) {
        this(predicate, next, errors, metrics, false);
    }

    /** @param having filters result rows of an aggregation (counted apart from input records) */
    public FilterOperator(BatchPredicate predicate, Operator next, RowErrors errors, JobMetrics metrics, boolean having) {
        this.predicate = predicate;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
        this.having = having;
    }

    /** HAVING over an EMIT CHANGES aggregation that retracts (see {@link ChangeGate}). */
    public FilterOperator retracting() {
        this.retract = true;
        return this;
    }

    @Override
    public void fail(RecordBatch b, int row, RuntimeException e) {
        failedInBatch++;
        errors.fail(b, row, e);
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        if (sel.length < b.capacity) {
            sel = new int[b.capacity];
        }
        failedInBatch = 0;
        int k = predicate.select(b, b.sel, n, sel, this);
        if (having) {
            metrics.addResultRowsFiltered(n - k - failedInBatch);
        } else {
            metrics.addFiltered(n - k - failedInBatch);
        }
        if (retract) {
            markRejected(b, n, k);
            next.push(b);
            return;
        }
        Selections.pushSelected(b, sel, k, next);
    }

    /** Marks the live rows that are not among the {@code k} selected (kept in row order) as retractions. */
    private void markRejected(RecordBatch b, int n, int k) {
        int j = 0;
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            if (j < k && sel[j] == row) {
                j++;
            } else {
                b.deleted[row] = true;
            }
        }
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
        return next.done();
    }
}
