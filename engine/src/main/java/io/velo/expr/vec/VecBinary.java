package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/**
 * A binary node: the first operand evaluated for the selection, the second for the rows the first did
 * not fail — and, for arithmetic, only for the rows where the first is not NULL, as the row path
 * evaluates it (a NULL left operand makes the result NULL before the right one runs, so the right one
 * cannot fail there). The narrowing pass is skipped when the right operand cannot fail.
 */
abstract class VecBinary extends VecExpr {
    final int op;
    final VecExpr left;
    final VecExpr right;
    /** True when a NULL left operand ends the row's evaluation (arithmetic). */
    private final boolean nullEndsRow;
    int[] slow = new int[0];
    private int[] nonNull = new int[0];
    /** The selection both operands hold values for (set by {@link #operands}). */
    int[] sel;
    int n;
    Column a;
    Column c;

    VecBinary(DataType type, Eval source, int op, VecExpr left, VecExpr right, boolean nullEndsRow) {
        super(type, source);
        this.op = op;
        this.left = left;
        this.right = right;
        this.nullEndsRow = nullEndsRow && right.canFail();
    }

    @Override
    boolean canFail() {
        return left.canFail() || right.canFail();
    }

    /** Evaluates both operands; leaves the surviving selection in {@link #sel}/{@link #n}. */
    final void operands(RecordBatch b, int[] s, int m, Failures f) {
        int before = f.count();
        a = left.eval(b, s, m, f);
        if (f.count() != before) {
            int[] live = liveBuffer(b);
            m = f.compact(s, m, live);
            s = live;
            before = f.count();
        }
        if (nullEndsRow) {
            // the right operand only for rows whose left one is not NULL; the others are NULL anyway
            if (nonNull.length < capacity(b)) {
                nonNull = new int[capacity(b)];
            }
            final int[] nn = nonNull;
            final boolean[] an = a.nulls;
            int k = 0;
            for (int i = 0; i < m; i++) {
                int r = s == null ? i : s[i];
                nn[k] = r;
                k += an[r] ? 0 : 1;
            }
            if (k < m) {
                c = right.eval(b, nn, k, f);
                if (f.count() != before) {
                    int[] live = liveBuffer(b);
                    m = f.compact(s, m, live);
                    s = live;
                }
                sel = s;
                n = m;
                ensureSlow(b);
                return;
            }
        }
        c = right.eval(b, s, m, f);
        if (f.count() != before) {
            int[] live = liveBuffer(b);
            m = f.compact(s, m, live);
            s = live;
        }
        sel = s;
        n = m;
        ensureSlow(b);
    }

    private void ensureSlow(RecordBatch b) {
        if (slow.length < capacity(b)) {
            slow = new int[capacity(b)];
        }
    }

    /** Releases the operand references (so a node does not keep a batch's columns alive). */
    final void done() {
        a = null;
        c = null;
        sel = null;
    }
}
