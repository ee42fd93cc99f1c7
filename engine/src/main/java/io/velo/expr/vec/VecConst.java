package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ConstEval;

/**
 * A constant, bound once: its column holds the value at every row and is written only when it has to
 * grow, so a parent reads it like any operand. Parents that gain from it read {@link #value} instead.
 */
public final class VecConst extends VecExpr {
    /** The constant's registers (set at compile time). */
    final ConstEval value;
    private Column filled;

    VecConst(ConstEval source) {
        super(source.type, source);
        this.value = source;
    }

    @Override
    boolean canFail() {
        return false;
    }

    @Override
    public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
        int cap = capacity(b);
        Column c = filled;
        if (c == null || c.nulls.length < cap) {
            c = new Column(type, cap);
            for (int r = 0; r < cap; r++) {
                value.writeTo(c, r);
            }
            filled = c;
        }
        return c;
    }

    public boolean isNull() {
        return value.isNull;
    }
}
