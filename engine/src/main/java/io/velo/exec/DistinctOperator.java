package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.batch.Column;
import io.velo.exec.agg.BatchGroups;
import io.velo.types.DataType;
import io.velo.metrics.JobMetrics;
import io.velo.types.Schema;

/**
 * SELECT DISTINCT: passes a row only the first time its values are seen (state grows with distinct
 * rows). A batch at a time: {@link BatchGroups} gives every live row the id of its distinct value in
 * one pass over the columns; a row passes when its id is new in this batch and is the first with it.
 */
public final class DistinctOperator implements Operator {
    private final BatchGroups seen;
    private final Operator next;
    private final JobMetrics metrics;
    private final Column[] cols;
    private int[] sel = new int[0];
    private int[] gids = new int[0];
    private boolean[] passed = new boolean[0];

    private final boolean resultRows;

    public DistinctOperator(Schema schema, Operator next, JobMetrics metrics) {
        this(schema, next, metrics, false);
    }

    /** @param resultRows the rows are results of an aggregation (duplicates counted apart from input records) */
    public DistinctOperator(Schema schema, Operator next, JobMetrics metrics, boolean resultRows) {
        this.resultRows = resultRows;
        DataType[] types = new DataType[schema.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.field(i).type();
        }
        this.seen = BatchGroups.create(types);
        this.cols = new Column[types.length];
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        if (n == 0) {
            return;
        }
        if (sel.length < b.capacity) {
            sel = new int[b.capacity];
            gids = new int[b.capacity];
        }
        System.arraycopy(b.columns, 0, cols, 0, cols.length);
        int before = seen.size();
        seen.assign(cols, b.sel, n, gids);
        int created = seen.size() - before;
        if (passed.length < created) {
            passed = new boolean[Math.max(created, passed.length * 2)];
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            int fresh = gids[i] - before;
            if (fresh >= 0 && !passed[fresh]) {
                passed[fresh] = true;
                sel[k++] = b.liveRow(i);
            }
        }
        java.util.Arrays.fill(passed, 0, created, false);
        java.util.Arrays.fill(cols, null);
        if (resultRows) {
            metrics.addResultRowsFiltered(n - k);
        } else {
            metrics.addFiltered(n - k);
        }
        Selections.pushSelected(b, sel, k, next);
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
