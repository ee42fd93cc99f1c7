package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/** A node over one operand: the operand is evaluated, the rows it failed are left out. */
abstract class VecUnary extends VecExpr {
    final VecExpr operand;
    int[] slow = new int[0];

    VecUnary(DataType type, Eval source, VecExpr operand) {
        super(type, source);
        this.operand = operand;
    }

    @Override
    public final Column eval(RecordBatch b, int[] sel, int n, Failures f) {
        int before = f.count();
        Column a = operand.eval(b, sel, n, f);
        if (f.count() != before) {
            int[] live = liveBuffer(b);
            n = f.compact(sel, n, live);
            sel = live;
        }
        if (slow.length < capacity(b)) {
            slow = new int[capacity(b)];
        }
        return compute(b, a, sel, n, f);
    }

    /** Computes rows {@code sel[0..n)} from the operand's values {@code a}. */
    abstract Column compute(RecordBatch b, Column a, int[] sel, int n, Failures f);
}
