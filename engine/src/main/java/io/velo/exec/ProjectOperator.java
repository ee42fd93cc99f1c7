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
    /**
     * For the changelog of an EMIT CHANGES aggregation that retracts: which items are the group's key
     * (no aggregate in them), the only ones a retraction carries; null otherwise.
     */
    private final boolean[] keyItems;
    private boolean[] retracted = new boolean[0];

    public ProjectOperator(Eval[] items, Eval eventTime, BatchPool pool, Operator next, RowErrors errors) {
        this(items, eventTime, pool, next, errors, null);
    }

    /**
     * @param keyItems non-null for a retracting changelog: a retraction row gets these items and NULL in
     *                 the others, and a row whose items fail is reported and then retracted
     */
    public ProjectOperator(Eval[] items, Eval eventTime, BatchPool pool, Operator next, RowErrors errors, boolean[] keyItems) {
        this.keyItems = keyItems;
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
            kernels[i] = directColumn[i] < 0 && keyItems == null ? DecimalColumnKernel.of(items[i]) : null;
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
        this.view = c == 0 && k == 0 && eventTime == null && keyItems == null ? RecordBatch.view(pool.schema()) : null;
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
                retracted = keyItems != null ? new boolean[cap] : retracted;
            }
            if (keyItems != null) {
                out.ensureChangeColumns();
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
                    if (keyItems != null) {
                        markRetractions(in, out, kept);
                    }
                    out.size = kept;
                    out.sourceName = in.sourceName;
                    out.partitioned = in.partitioned;
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
        if (keyItems != null) {
            return evaluateChanges(in, from, chunk, out);
        }
        for (int i = 0; i < chunk; i++) {
            int row = sel == null ? from + i : sel[from + i];
            try {
                computeRow(in, row, o, comp, its, outCols);
            } catch (RecordError | ArithmeticException e) {
                errors.fail(in, row, e);
                continue;
            }
            surv[o++] = row;
        }
        return o;
    }

    /** Computes the computed items (and the event time) of input row {@code row} into output row {@code o}. */
    private void computeRow(RecordBatch in, int row, int o, int[] comp, Eval[] its, Column[] outCols) {
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
    }

    /** {@link #evaluateChunk} for a retracting changelog (see {@link ChangeGate}). */
    private int evaluateChanges(RecordBatch in, int from, int chunk, RecordBatch out) {
        final int[] sel = in.sel;
        Column[] outCols = out.columns;
        int o = 0;
        for (int i = 0; i < chunk; i++) {
            int row = sel == null ? from + i : sel[from + i];
            boolean deleted = in.deleted[row];
            try {
                if (deleted) {
                    retraction(in, row, o, outCols);
                } else {
                    computeRow(in, row, o, computed, items, outCols);
                }
            } catch (RecordError | ArithmeticException e) {
                errors.fail(in, row, e);
                if (deleted) {
                    continue;
                }
                // the group's new row has no value: take back the one a reader holds (if it was shown)
                try {
                    retraction(in, row, o, outCols);
                } catch (RecordError | ArithmeticException again) {
                    continue; // its key items fail too: then the group was never shown
                }
                deleted = true;
            }
            retracted[o] = deleted;
            survivors[o++] = row;
        }
        return o;
    }

    /** Writes a retraction's computed items into output row {@code o}: key items only, NULL elsewhere. */
    private void retraction(RecordBatch in, int row, int o, Column[] outCols) {
        for (int c : computed) {
            if (keyItems[c]) {
                Eval e = items[c];
                e.eval(in, row);
                e.writeTo(outCols[c], o);
            } else {
                outCols[c].setNull(o);
            }
        }
        if (eventTime != null) {
            eventTimes[o] = in.eventTime[row];
        }
    }

    /** Sets the changelog columns of the kept rows and clears what retractions do not carry. */
    private void markRetractions(RecordBatch in, RecordBatch out, int kept) {
        for (int o = 0; o < kept; o++) {
            boolean d = retracted[o];
            out.deleted[o] = d;
            out.group[o] = in.group[survivors[o]];
            if (d) {
                for (int c = 0; c < items.length; c++) {
                    if (!keyItems[c] && directColumn[c] >= 0) {
                        out.columns[c].setNull(o);
                    }
                }
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
