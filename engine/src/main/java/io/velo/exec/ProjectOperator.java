package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;

/**
 * SELECT items: evaluates each item for every live row into a pooled output batch (a plain column
 * reference is a primitive copy), carries the system columns along, and sets the event time from an
 * item aliased {@code _event_time}.
 */
public final class ProjectOperator implements Operator {
    private final Eval[] items;
    private final int[] directColumn;
    private final Eval eventTime;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;

    public ProjectOperator(Eval[] items, Eval eventTime, BatchPool pool, Operator next, RowErrors errors) {
        this.items = items;
        this.eventTime = eventTime;
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.directColumn = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            directColumn[i] = items[i] instanceof ColumnEval c ? c.index : -1;
        }
    }

    @Override
    public void push(RecordBatch in) {
        RecordBatch out = pool.acquire();
        try {
            int n = in.liveCount();
            int[] sel = in.sel;
            final Eval[] its = items;
            final int[] direct = directColumn;
            Column[] outCols = out.columns;
            Column[] inCols = in.columns;
            out.sourceName = in.sourceName;
            for (int i = 0; i < n; i++) {
                int row = sel == null ? i : sel[i];
                int o = out.size;
                try {
                    for (int c = 0; c < its.length; c++) {
                        int d = direct[c];
                        if (d >= 0) {
                            outCols[c].copyFrom(inCols[d], row, o);
                        } else {
                            Eval e = its[c];
                            e.eval(in, row);
                            e.writeTo(outCols[c], o);
                        }
                    }
                    out.copySystemColumns(in, row, o);
                    if (eventTime != null) {
                        eventTime.eval(in, row);
                        if (eventTime.isNull) {
                            throw new RecordError(RecordError.MALFORMED_INPUT, "_event_time is NULL");
                        }
                        out.eventTime[o] = eventTime.l;
                    }
                } catch (RecordError | ArithmeticException e) {
                    errors.fail(in, row, e);
                    continue;
                }
                out.size++;
                if (out.size == out.capacity) {
                    next.push(out);
                    out.reset();
                    out.sourceName = in.sourceName;
                }
            }
            if (out.size > 0) {
                next.push(out);
            }
        } finally {
            out.release();
        }
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
