package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.expr.vec.Failures;
import io.velo.expr.vec.VecCompiler;
import io.velo.expr.vec.VecExpr;
import io.velo.failure.RecordError;

/**
 * SELECT items. Computed items are evaluated a column at a time ({@link VecExpr}) for the input's
 * selection; a row whose evaluation fails goes to the failure strategy, in row order, and is left
 * out of the selection. The output is a view of the input: plain column references are the input's
 * columns, the system columns its arrays, computed items the vectors the expressions own — nothing is
 * gathered or copied. An item aliased {@code _event_time} sets the output rows' event time.
 *
 * <p>The changelog of an EMIT CHANGES aggregation that retracts ({@code keyItems}) is projected row by
 * row into a pooled batch: a retraction carries only the group's key items.
 */
public final class ProjectOperator implements Operator {
    private final Eval[] items;
    private final int[] directColumn;
    private final int[] computed;
    private final Eval eventTime;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;
    private int[] survivors = new int[0];
    /** Event times from the {@code _event_time} item: by output row (changelog), by input row (views). */
    private long[] eventTimes = new long[0];
    /** The output of the column-at-a-time path: a view of the input with the computed vectors. */
    private final RecordBatch view;
    /** The vector form of each computed item (null for plain column references). */
    private final VecExpr[] vectors;
    private final VecExpr eventVector;
    private final Failures failures = new Failures();
    /** The live rows of the input, narrowed as items fail. */
    private int[] live = new int[0];
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
        int c = 0;
        for (int i = 0; i < items.length; i++) {
            directColumn[i] = items[i] instanceof ColumnEval ce ? ce.index : -1;
            if (directColumn[i] < 0) {
                c++;
            }
        }
        this.computed = new int[c];
        c = 0;
        for (int i = 0; i < items.length; i++) {
            if (directColumn[i] < 0) {
                computed[c++] = i;
            }
        }
        if (keyItems == null) {
            vectors = new VecExpr[items.length];
            for (int i : computed) {
                vectors[i] = VecCompiler.compile(items[i]);
            }
            eventVector = eventTime == null ? null : VecCompiler.compile(eventTime);
            view = RecordBatch.view(pool.schema());
        } else {
            vectors = null;
            eventVector = null;
            view = null;
        }
    }

    @Override
    public void push(RecordBatch in) {
        if (keyItems != null) {
            pushChanges(in);
            return;
        }
        if (computed.length == 0 && eventVector == null) {
            view.showColumns(in, directColumn);
            next.push(view);
            return;
        }
        int n = in.liveCount();
        if (n == 0) {
            return;
        }
        final Failures f = failures;
        int cap = Math.max(in.capacity, in.size);
        f.reset(cap);
        if (live.length < cap) {
            live = new int[cap];
            eventTimes = eventVector != null ? new long[cap] : eventTimes;
        }
        RecordBatch out = view;
        Column[] outCols = out.columns;
        int[] sel = in.sel;
        int k = n;
        for (int c = 0; c < items.length; c++) {
            int d = directColumn[c];
            if (d >= 0) {
                outCols[c] = in.columns[d];
                continue;
            }
            int before = f.count();
            outCols[c] = vectors[c].eval(in, sel, k, f);
            if (f.count() != before) {
                k = f.compact(sel, k, live);
                sel = live;
            }
        }
        if (eventVector != null && k > 0) {
            k = eventTimes(in, sel, k);
            sel = live;
        }
        if (f.count() > 0) {
            reportFailures(in, n);
        }
        if (k == 0) {
            return;
        }
        out.showRows(in);
        out.deleted = null;
        out.group = null;
        if (f.count() > 0) {
            out.sel = live;
            out.selCount = k;
        }
        if (eventVector != null) {
            out.eventTime = eventTimes;
        }
        try {
            next.push(out);
        } finally {
            for (int c = 0; c < outCols.length; c++) {
                outCols[c] = null; // keep no input column alive between batches
            }
        }
    }

    /**
     * Evaluates the {@code _event_time} item for the rows still live (a NULL is the row's error) into
     * {@link #eventTimes} by input row; returns how many rows are left, in {@link #live}.
     */
    private int eventTimes(RecordBatch in, int[] sel, int k) {
        final Failures f = failures;
        Column t = eventVector.eval(in, sel, k, f);
        final long[] times = eventTimes;
        final long[] v = t.longs;
        final boolean[] nulls = t.nulls;
        final int[] out = live;
        int m = 0;
        for (int i = 0; i < k; i++) {
            int r = sel == null ? i : sel[i];
            if (f.failed(r)) {
                continue;
            }
            if (nulls[r]) {
                f.fail(r, new RecordError(RecordError.MALFORMED_INPUT, "_event_time is NULL"));
                continue;
            }
            times[r] = v[r];
            out[m++] = r;
        }
        return m;
    }

    /** Hands the failed rows to the failure strategy, in row order (as the row path meets them). */
    private void reportFailures(RecordBatch in, int n) {
        final Failures f = failures;
        final int[] sel = in.sel;
        for (int i = 0; i < n; i++) {
            int row = sel == null ? i : sel[i];
            if (f.failed(row)) {
                errors.fail(in, row, f.error(row));
            }
        }
    }

    /** A retracting changelog, row by row into a pooled batch. */
    private void pushChanges(RecordBatch in) {
        RecordBatch out = pool.acquire();
        try {
            int n = in.liveCount();
            int cap = out.capacity;
            if (survivors.length < cap) {
                survivors = new int[cap];
                eventTimes = eventTime != null ? new long[cap] : eventTimes;
                retracted = new boolean[cap];
            }
            out.ensureChangeColumns();
            for (int from = 0; from < n; from += cap) {
                int chunk = Math.min(cap, n - from);
                int kept = evaluateChanges(in, from, chunk, out);
                if (kept > 0) {
                    int[] rows = survivors;
                    Column[] outCols = out.columns;
                    for (int c = 0; c < items.length; c++) {
                        int d = directColumn[c];
                        if (d >= 0) {
                            outCols[c].gatherFrom(in.columns[d], rows, kept);
                        }
                    }
                    out.gatherSystemColumns(in, rows, kept);
                    if (eventTime != null) {
                        System.arraycopy(eventTimes, 0, out.eventTime, 0, kept);
                    }
                    markRetractions(in, out, kept);
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
