package io.velo.exec.agg;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/**
 * Looks one row's key up in a {@link BatchGroups}, for operators that work a row at a time (EMIT
 * CHANGES, sliding and session windows, analytic partitions): plain key columns are read where they
 * are, computed keys are evaluated into scratch columns at the row's index, and the row goes through
 * the same assignment as a batch, as a selection of one — so a row finds the group a batch would.
 */
public final class RowKeys {
    private final Eval[] keys;
    private final Column[] cols;
    private final Column[] scratch;
    private final int[] one = new int[1];
    private final int[] gid = new int[1];
    private boolean created;

    public RowKeys(Eval[] keys) {
        this.keys = keys;
        this.cols = new Column[keys.length];
        this.scratch = new Column[keys.length];
    }

    /** The key types, for {@link BatchGroups#create}. */
    public DataType[] types() {
        DataType[] t = new DataType[keys.length];
        for (int i = 0; i < keys.length; i++) {
            t[i] = keys[i].type;
        }
        return t;
    }

    /** A new table for these keys. */
    public BatchGroups newGroups() {
        return BatchGroups.create(types());
    }

    /**
     * The group of row {@code row} of {@code b} in {@code groups}, made when new ({@link #created}
     * tells). A key evaluator's record error propagates before anything is inserted.
     */
    public int findOrInsert(BatchGroups groups, RecordBatch b, int row) {
        for (int k = 0; k < keys.length; k++) {
            Eval e = keys[k];
            if (e instanceof ColumnEval ce) {
                cols[k] = b.columns[ce.index];
            } else {
                Column c = scratch[k];
                if (c == null || c.nulls.length < b.capacity) {
                    c = scratch[k] = new Column(e.type, Math.max(b.capacity, 16));
                }
                e.eval(b, row);
                e.writeTo(c, row);
                cols[k] = c;
            }
        }
        int before = groups.size();
        one[0] = row;
        groups.assign(cols, one, 1, gid);
        created = groups.size() > before;
        return gid[0];
    }

    /** Whether the last {@link #findOrInsert} made a new group. */
    public boolean created() {
        return created;
    }
}
