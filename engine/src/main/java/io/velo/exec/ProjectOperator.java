package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.DecimalColumnKernel;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;

/**
 * SELECT items into a pooled output batch. Computed items are evaluated row by row (a row whose
 * evaluation fails goes to the failure strategy and is left out); plain column references and the
 * system columns are then gathered column by column for the surviving rows — a bulk array copy when
 * no filter ran. An item aliased {@code _event_time} sets the output rows' event time.
 */
public final class ProjectOperator implements Operator {
    private final Eval[] items;
    private final int[] directColumn;
    private final int[] computed;
    /** Items computed a column at a time (decimal arithmetic on columns); null entries elsewhere. */
    private final DecimalColumnKernel[] kernels;
    private final Eval eventTime;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;
    private int[] survivors = new int[0];
    /** Event times from the {@code _event_time} item, computed with the other items (kept rows only). */
    private long[] eventTimes = new long[0];
    /** Set when every item is a plain column: the output is a view of the input, nothing is copied. */
    private final RecordBatch view;

    public ProjectOperator(Eval[] items, Eval eventTime, BatchPool pool, Operator next, RowErrors errors) {
        this.items = items;
        this.eventTime = eventTime;
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.directColumn = new int[items.length];
        this.kernels = new DecimalColumnKernel[items.length];
        int c = 0;
        int k = 0;
        for (int i = 0; i < items.length; i++) {
            directColumn[i] = items[i] instanceof ColumnEval ce ? ce.index : -1;
            kernels[i] = directColumn[i] < 0 ? DecimalColumnKernel.of(items[i]) : null;
            if (directColumn[i] < 0 && kernels[i] == null) {
                c++;
            }
            if (kernels[i] != null) {
                k++;
            }
        }
        this.computed = new int[c];
        c = 0;
        for (int i = 0; i < items.length; i++) {
            if (directColumn[i] < 0 && kernels[i] == null) {
                computed[c++] = i;
            }
        }
        this.view = c == 0 && k == 0 && eventTime == null ? RecordBatch.view(pool.schema()) : null;
    }

    @Override
    public void push(RecordBatch in) {
        if (view != null) {
            view.showColumns(in, directColumn);
            next.push(view);
            return;
        }
        RecordBatch out = pool.acquire();
        try {
            int n = in.liveCount();
            int cap = out.capacity;
            if (survivors.length < cap) {
                survivors = new int[cap];
                eventTimes = eventTime != null ? new long[cap] : eventTimes;
            }
            for (int from = 0; from < n; from += cap) {
                int chunk = Math.min(cap, n - from);
                int kept = evaluateChunk(in, from, chunk, out);
                if (kept > 0) {
                    boolean identity = in.sel == null && kept == chunk && from == 0;
                    int[] rows = identity ? null : survivors;
                    Column[] outCols = out.columns;
                    for (int c = 0; c < items.length; c++) {
                        int d = directColumn[c];
                        if (d >= 0) {
                            outCols[c].gatherFrom(in.columns[d], rows, kept);
                        } else if (kernels[c] != null) {
                            kernels[c].compute(in, rows, kept, outCols[c]);
                        }
                    }
                    out.gatherSystemColumns(in, rows, kept);
                    if (eventTime != null) {
                        System.arraycopy(eventTimes, 0, out.eventTime, 0, kept);
                    }
                    out.size = kept;
                    out.sourceName = in.sourceName;
                    next.push(out);
                }
                out.reset();
            }
        } finally {
            out.release();
        }
    }

    /** Evaluates computed items for rows [from, from+chunk) of the selection; returns rows kept. */
    private int evaluateChunk(RecordBatch in, int from, int chunk, RecordBatch out) {
        final int[] sel = in.sel;
        final int[] comp = computed;
        final Eval[] its = items;
        final int[] surv = survivors;
        Column[] outCols = out.columns;
        int o = 0;
        for (int i = 0; i < chunk; i++) {
            int row = sel == null ? from + i : sel[from + i];
            try {
                for (int c : comp) {
                    Eval e = its[c];
                    e.eval(in, row);
                    e.writeTo(outCols[c], o);
                }
                if (eventTime != null) {
                    eventTime.eval(in, row);
                    if (eventTime.isNull) {
                        throw new RecordError(RecordError.MALFORMED_INPUT, "_event_time is NULL");
                    }
                    eventTimes[o] = eventTime.l;
                }
            } catch (RecordError | ArithmeticException e) {
                errors.fail(in, row, e);
                continue;
            }
            surv[o++] = row;
        }
        return o;
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
