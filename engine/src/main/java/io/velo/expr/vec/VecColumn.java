package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;

/** A column reference: the input column itself, nothing copied. */
public final class VecColumn extends VecExpr {
    public final int index;

    VecColumn(ColumnEval source) {
        super(source.type, source);
        this.index = source.index;
    }

    @Override
    boolean canFail() {
        return false;
    }

    @Override
    public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
        return b.columns[index];
    }
}
