package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/** A binary node: both operands evaluated for the selection, the second for the rows the first did not fail. */
abstract class VecBinary extends VecExpr {
    final int op;
    final VecExpr left;
    final VecExpr right;
    int[] slow = new int[0];
    /** The selection both operands hold values for (set by {@link #operands}). */
    int[] sel;
    int n;
    Column a;
    Column c;

    VecBinary(DataType type, Eval source, int op, VecExpr left, VecExpr right) {
        super(type, source);
        this.op = op;
        this.left = left;
        this.right = right;
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
        c = right.eval(b, s, m, f);
        if (f.count() != before) {
            int[] live = liveBuffer(b);
            m = f.compact(s, m, live);
            s = live;
        }
        sel = s;
        n = m;
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
