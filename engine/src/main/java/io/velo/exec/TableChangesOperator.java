package io.velo.exec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.join.TableState;
import io.velo.expr.eval.BatchPredicate;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.Schema;

/**
 * The front of an aggregation over a keyed table: the table's rows arrive as a changelog (a later
 * row replaces its key's earlier one, a tombstone deletes it), and what reaches the aggregation is
 * what each change does to the rows the query counts — the replaced row taken back (a row marked
 * {@link RecordBatch#deleted}), then the new row. The table's current rows are kept here, those that
 * pass the query's WHERE only, so a key whose new row fails WHERE has its old row taken back and
 * nothing added. Counting: a row added is counted by the aggregation, a row WHERE rejects as filtered,
 * a tombstone as aggregated here (it is applied), a row without its key or whose WHERE fails to
 * evaluate as failed; taking a row back counts nothing (it is no record of its own).
 */
public final class TableChangesOperator implements Operator, BatchPredicate.Errors {
    private final TableState current;
    private final int keyColumn;
    private final int deletedColumn;
    private final BatchPredicate where;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;
    private final Schema schema;
    private RecordBatch out;
    private int[] passed = new int[0];
    private boolean[] failed = new boolean[0];
    private boolean[] passes = new boolean[0];

    /**
     * @param deletedColumn a BOOLEAN column that marks tombstones in a file table ({@code _deleted}), or -1
     * @param where the query's WHERE, or null
     */
    public TableChangesOperator(Schema schema, int keyColumn, int deletedColumn, BatchPredicate where, Operator next, RowErrors errors,
                                JobMetrics metrics) {
        this.schema = schema;
        this.current = new TableState(schema, keyColumn);
        this.keyColumn = keyColumn;
        this.deletedColumn = deletedColumn;
        this.where = where;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    public void fail(RecordBatch b, int row, RuntimeException e) {
        failed[row] = true;
        errors.fail(b, row, e);
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        if (n == 0) {
            return;
        }
        int cap = b.capacity;
        if (passes.length < cap) {
            passed = new int[cap];
            failed = new boolean[cap];
            passes = new boolean[cap];
        }
        if (out == null || out.capacity < 2 * cap) {
            out = new RecordBatch(schema, 2 * cap, null);
            out.ensureChangeColumns();
        }
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            failed[row] = false;
            passes[row] = where == null;
        }
        if (where != null) {
            int k = where.select(b, b.sel, n, passed, this);
            for (int i = 0; i < k; i++) {
                passes[passed[i]] = true;
            }
        }
        Column key = b.columns[keyColumn];
        Column del = deletedColumn >= 0 ? b.columns[deletedColumn] : null;
        int o = 0;
        long applied = 0;
        long filtered = 0;
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            if (failed[row]) {
                continue; // its WHERE failed: reported, and the key keeps its row
            }
            if (key.isNull(row)) {
                errors.fail(b, row, new RecordError(RecordError.MALFORMED_INPUT, "a table row needs its key: '"
                        + schema.field(keyColumn).name() + "' (the PRIMARY KEY) is NULL"));
                continue;
            }
            boolean tombstone = b.isDeleted(row) || (del != null && !del.isNull(row) && del.longs[row] != 0);
            int old = current.find(key, row);
            if (old >= 0) {
                for (int c = 0; c < out.columns.length; c++) {
                    out.columns[c].copyFrom(current.column(c), old, o);
                }
                out.copySystemColumns(b, row, o);
                out.deleted[o] = true;
                o++;
            }
            if (tombstone) {
                current.delete(key, row);
                applied++;
            } else if (passes[row]) {
                current.upsert(b.columns, row);
                for (int c = 0; c < out.columns.length; c++) {
                    out.columns[c].copyFrom(b.columns[c], row, o);
                }
                out.copySystemColumns(b, row, o);
                out.deleted[o] = false;
                o++;
            } else {
                if (old >= 0) {
                    current.delete(key, row);
                }
                filtered++;
            }
        }
        metrics.addAggregated(applied);
        metrics.addFiltered(filtered);
        if (o > 0) {
            out.size = o;
            out.sel = null;
            out.sourceName = b.sourceName;
            out.partitioned = b.partitioned;
            try {
                next.push(out);
            } finally {
                out.reset();
                out.ensureChangeColumns();
            }
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
