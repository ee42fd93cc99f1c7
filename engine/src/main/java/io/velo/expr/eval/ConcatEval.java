package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;

/** {@code a || b}: NULL if either side is NULL; non-strings are converted to their SQL text. */
public final class ConcatEval extends Eval {
    private final Eval left;
    private final Eval right;
    private final StringBuilder sb = new StringBuilder();

    public ConcatEval(Eval left, Eval right) {
        super(DataType.STRING);
        this.left = left;
        this.right = right;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        left.eval(b, row);
        right.eval(b, row);
        if (left.isNull || right.isNull) {
            isNull = true;
            return;
        }
        isNull = false;
        sb.setLength(0);
        sb.append(CastEval.text(left)).append(CastEval.text(right));
        o = sb.toString();
    }
}
