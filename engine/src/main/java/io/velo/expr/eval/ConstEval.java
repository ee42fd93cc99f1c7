package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;

/** A constant: its registers are set once at compile time. */
public final class ConstEval extends Eval {
    public ConstEval(DataType type, Object value) {
        super(type);
        setObject(value);
    }

    @Override
    public void eval(RecordBatch batch, int row) {
        // registers already hold the value
    }

    @Override
    public boolean isConstant() {
        return true;
    }
}
