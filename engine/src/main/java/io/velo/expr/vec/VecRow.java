package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;

/**
 * Any expression without a vector form (string and time functions, LIKE, subscripts …): its row
 * evaluator runs for each selected row and writes into the result vector, so every expression has a
 * vector form and the operators one code path.
 */
public final class VecRow extends VecExpr {
    VecRow(Eval source) {
        super(source.type, source);
    }

    @Override
    public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
        Column o = result(b);
        for (int i = 0; i < n; i++) {
            exact(b, sel == null ? i : sel[i], o, f);
        }
        return o;
    }
}
