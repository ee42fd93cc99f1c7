package io.velo.exec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.join.TableFeed;
import io.velo.exec.join.TableState;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.Schema;

/**
 * A stream–table join ({@code FROM s [LEFT] JOIN t ON s.expr = t.key}): side {@link #LEFT} is the
 * stream, side {@link #RIGHT} the table's changelog, kept as its current row per key in a
 * {@link TableState}. A stream row looks its key up (a hash probe, no scan) in the table as it is when
 * the row is processed and goes on with the table row's columns after its own; without a table row an
 * INNER join drops it (counted as without a table match) and a LEFT join gives NULL table columns.
 *
 * <p>Timing: the table's current contents are loaded ({@link TableFeed#bootstrap}) before the first
 * stream row is processed — the job's source does so as it opens — and a table that keeps changing
 * (a Kafka topic) is refreshed between stream batches, at most {@link #REFRESH_NANOS} apart. A table
 * row with {@link RecordBatch#deleted} set, or whose {@code _deleted} column is true, is a tombstone:
 * its key leaves the table. A table row without a key is a record error of the table.
 *
 * <p>The output shows the stream batch's own columns (not copied) followed by the table's, gathered
 * at the same row indices, with the matched rows selected. Its watermark is the stream's: table
 * changes produce no output rows by themselves, so nothing can be late because of them.
 */
public final class StreamTableJoinOperator implements TwoInputOperator, io.velo.exec.join.TableInput {
    /** The longest a stream batch waits behind a table refresh. */
    static final long REFRESH_NANOS = 10_000_000L;

    private final Eval streamKey;
    private final int streamKeyColumn;
    private final TableState table;
    private final int tableDeletedColumn;
    /** The table columns the output shows (all but {@code _deleted}), in order. */
    private final int[] tableColumns;
    private final boolean left;
    private final int streamWidth;
    private final Operator next;
    private final RowErrors errors;
    private final RowErrors tableErrors;
    private final JobMetrics metrics;
    private final TableFeed feed;
    private final RecordBatch out;
    private Column[] tableCols = new Column[0];
    private Column keyScratch;
    private int[] sel = new int[0];
    private boolean bootstrapped;
    private boolean closed;
    private long lastRefresh;

    /**
     * @param streamKey          the stream side of the ON equality, over the stream's columns
     * @param table              the table's state, its rows laid out as they arrive
     * @param tableDeletedColumn the {@code _deleted} column of the table's rows, or -1
     * @param tableColumns       the table columns the output shows after the stream's
     * @param left               LEFT join: unmatched stream rows go on with NULL table columns
     * @param outSchema          the stream's columns, then the table's
     * @param errors             stream rows whose key fails to evaluate
     * @param tableErrors        table rows without a key
     * @param feed               the table's changes, or null when the caller pushes them to {@link #RIGHT}
     */
    public StreamTableJoinOperator(Eval streamKey, TableState table, int tableDeletedColumn, int[] tableColumns, boolean left, Schema outSchema,
                                   Operator next, RowErrors errors, RowErrors tableErrors, JobMetrics metrics, TableFeed feed) {
        this.streamKey = streamKey;
        this.streamKeyColumn = streamKey instanceof ColumnEval c ? c.index : -1;
        this.table = table;
        this.tableDeletedColumn = tableDeletedColumn;
        this.tableColumns = tableColumns.clone();
        this.left = left;
        this.streamWidth = outSchema.size() - tableColumns.length;
        this.next = next;
        this.errors = errors;
        this.tableErrors = tableErrors;
        this.metrics = metrics;
        this.feed = feed;
        this.out = RecordBatch.view(outSchema);
    }

    /** Which of {@code tableColumns} the rest of the query may read; the others are not gathered and stay NULL. */
    private boolean[] keep;

    /** Gathers only the table columns with {@code keep[c]} (of {@code tableColumns}; null or a mismatch keeps all). */
    public void keepColumns(boolean[] keep) {
        this.keep = keep != null && keep.length == tableColumns.length ? keep.clone() : null;
    }

    /** Loads the table's current contents, once: before the first stream row (the job's source calls it as it opens). */
    @Override
    public void bootstrap() {
        if (!bootstrapped) {
            bootstrapped = true;
            if (feed != null) {
                feed.bootstrap(this);
                lastRefresh = System.nanoTime();
            }
        }
    }

    /** Closes the table's feed (its consumer or file), once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (feed != null) {
                feed.close();
            }
        }
    }

    public TableState table() {
        return table;
    }

    @Override
    public void push(int side, RecordBatch batch) {
        if (side == RIGHT) {
            apply(batch);
            return;
        }
        bootstrap();
        if (feed != null) {
            long now = System.nanoTime();
            if (now - lastRefresh >= REFRESH_NANOS) {
                feed.refresh(this);
                lastRefresh = System.nanoTime();
            }
        }
        join(batch);
    }

    /** Applies a batch of table changes: upserts and tombstones, in row order. */
    private void apply(RecordBatch b) {
        table.apply(b, tableDeletedColumn, tableErrors);
    }

    private void join(RecordBatch in) {
        int n = in.liveCount();
        if (n == 0) {
            return;
        }
        prepare(in);
        Column key = streamKeyColumn >= 0 ? in.columns[streamKeyColumn] : evalKeys(in, n);
        int[] found = slotOf;
        table.findAll(key, in.sel, n, found);
        int k = 0;
        int failed = 0;
        int width = tableCols.length;
        boolean computed = key == keyScratch;
        for (int i = 0; i < n; i++) {
            int row = in.liveRow(i);
            if (computed && keyFailed[row]) {
                failed++;
                continue;
            }
            int slot = found[i];
            if (slot >= 0 || left) {
                selSlot[k] = slot;
                sel[k++] = row;
            }
        }
        for (int c = 0; c < width; c++) {
            if (keep == null || keep[c]) {
                gather(table.column(tableColumns[c]), tableCols[c], k);
            }
        }
        int unmatched = n - k - failed;
        if (unmatched > 0) {
            metrics.addUnmatched(unmatched);
        }
        if (k == 0) {
            return;
        }
        out.showRows(in);
        for (int c = 0; c < streamWidth; c++) {
            out.columns[c] = in.columns[c];
        }
        for (int c = 0; c < width; c++) {
            out.columns[streamWidth + c] = tableCols[c];
        }
        out.sel = sel;
        out.selCount = k;
        next.push(out);
    }

    private boolean[] keyFailed = new boolean[0];
    /** The table slot of each live row of the batch, and of each selected row (-1: none). */
    private int[] slotOf = new int[0];
    private int[] selSlot = new int[0];

    /** Table column {@code src} at the selected rows' slots into {@code dst} at the rows themselves (NULL without a slot). */
    private void gather(Column src, Column dst, int k) {
        final int[] rows = sel;
        final int[] slots = selSlot;
        switch (src.type.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: {
                final long[] sv = src.longs;
                final boolean[] sn = src.nulls;
                final long[] dv = dst.longs;
                final boolean[] dn = dst.nulls;
                for (int j = 0; j < k; j++) {
                    int s = slots[j];
                    int r = rows[j];
                    if (s >= 0) {
                        dv[r] = sv[s];
                        dn[r] = sn[s];
                    } else {
                        dn[r] = true;
                    }
                }
                return;
            }
            case DOUBLE: {
                final double[] sv = src.doubles;
                final boolean[] sn = src.nulls;
                final double[] dv = dst.doubles;
                final boolean[] dn = dst.nulls;
                for (int j = 0; j < k; j++) {
                    int s = slots[j];
                    int r = rows[j];
                    if (s >= 0) {
                        dv[r] = sv[s];
                        dn[r] = sn[s];
                    } else {
                        dn[r] = true;
                    }
                }
                return;
            }
            default:
                for (int j = 0; j < k; j++) {
                    int s = slots[j];
                    if (s >= 0) {
                        dst.copyFrom(src, s, rows[j]);
                    } else {
                        dst.setNull(rows[j]);
                    }
                }
        }
    }

    /** Evaluates a computed stream key for the live rows into a scratch column; a row that fails goes to the failure strategy. */
    private Column evalKeys(RecordBatch in, int n) {
        for (int i = 0; i < n; i++) {
            int row = in.liveRow(i);
            try {
                streamKey.eval(in, row);
                streamKey.writeTo(keyScratch, row);
                keyFailed[row] = false;
            } catch (RecordError | ArithmeticException e) {
                keyFailed[row] = true;
                errors.fail(in, row, e);
            }
        }
        return keyScratch;
    }

    /** Sizes the table columns, the selection and the key scratch for a batch of {@code in}'s capacity. */
    private void prepare(RecordBatch in) {
        int cap = in.capacity;
        if (sel.length < cap) {
            sel = new int[cap];
            slotOf = new int[cap];
            selSlot = new int[cap];
            Schema ts = table.schema();
            tableCols = new Column[tableColumns.length];
            for (int c = 0; c < tableCols.length; c++) {
                tableCols[c] = new Column(ts.field(tableColumns[c]).type(), cap);
                if (keep != null && !keep[c]) {
                    java.util.Arrays.fill(tableCols[c].nulls, true); // never gathered: NULL throughout
                }
            }
            if (streamKeyColumn < 0) {
                keyScratch = new Column(streamKey.type, cap);
                keyFailed = new boolean[cap];
            }
        }
    }

    @Override
    public void finish(int side) {
        if (side == LEFT) {
            bootstrap(); // an empty stream still reads its table (its bad rows are reported either way)
            next.finish();
        }
    }

    @Override
    public void watermark(int side, long wm) {
        if (side == LEFT) {
            next.watermark(wm);
        }
    }

    @Override
    public boolean done() {
        return next.done();
    }
}
