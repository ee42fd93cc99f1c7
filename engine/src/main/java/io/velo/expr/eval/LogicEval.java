package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;

/** AND / OR with SQL three-valued logic and short-circuiting. */
public final class LogicEval extends Eval {
    private final boolean and;
    private final Eval left;
    private final Eval right;

    public LogicEval(boolean and, Eval left, Eval right) {
        super(DataType.BOOLEAN);
        this.and = and;
        this.left = left;
        this.right = right;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        left.eval(b, row);
        // the deciding value: FALSE for AND, TRUE for OR
        long decide = and ? 0 : 1;
        if (!left.isNull && left.l == decide) {
            isNull = false;
            l = decide;
            return;
        }
        right.eval(b, row);
        if (!right.isNull && right.l == decide) {
            isNull = false;
            l = decide;
            return;
        }
        if (left.isNull || right.isNull) {
            isNull = true;
            return;
        }
        isNull = false;
        l = decide ^ 1;
    }
}
