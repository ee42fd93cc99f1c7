package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.exec.agg.GroupTable;
import io.velo.metrics.JobMetrics;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.types.Schema;

/** SELECT DISTINCT: passes a row only the first time its values are seen (state grows with distinct rows). */
public final class DistinctOperator implements Operator {
    private final GroupTable seen;
    private final Operator next;
    private final JobMetrics metrics;
    private final boolean[] isNew = new boolean[1];
    private int[] sel = new int[0];

    private final boolean resultRows;

    public DistinctOperator(Schema schema, Operator next, JobMetrics metrics) {
        this(schema, next, metrics, false);
    }

    /** @param resultRows the rows are results of an aggregation (duplicates counted apart from input records) */
    public DistinctOperator(Schema schema, Operator next, JobMetrics metrics, boolean resultRows) {
        this.resultRows = resultRows;
        Eval[] cols = new Eval[schema.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = new ColumnEval(i, schema.field(i).name(), schema.field(i).type());
        }
        this.seen = new GroupTable(cols);
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        if (sel.length < b.capacity) {
            sel = new int[b.capacity];
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            seen.findOrInsert(b, row, isNew);
            if (isNew[0]) {
                sel[k++] = row;
            } else {
                if (resultRows) {
                    metrics.addResultRowsFiltered(1);
                } else {
                    metrics.addFiltered(1);
                }
            }
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
