package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.decimal.DecimalMath;

/** Unary minus and NOT (three-valued). */
public abstract class UnaryEval extends Eval {
    protected final Eval operand;

    protected UnaryEval(Eval operand, io.velo.types.DataType type) {
        super(type);
        this.operand = operand;
    }

    public Eval operand() {
        return operand;
    }

    public static final class Negate extends UnaryEval {
        public Negate(Eval operand) {
            super(operand, operand.type);
        }

        @Override
        public void eval(RecordBatch b, int row) {
            operand.eval(b, row);
            isNull = operand.isNull;
            if (isNull) {
                return;
            }
            switch (type.kind) {
                case DOUBLE: d = -operand.d; break;
                case DECIMAL: DecimalMath.negate(operand.dec, dec); break;
                default:
                    if (operand.l == Long.MIN_VALUE) {
                        throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in negation");
                    }
                    l = -operand.l;
                    break;
            }
        }
    }

    public static final class Not extends UnaryEval {
        public Not(Eval operand) {
            super(operand, io.velo.types.DataType.BOOLEAN);
        }

        @Override
        public void eval(RecordBatch b, int row) {
            operand.eval(b, row);
            isNull = operand.isNull;
            l = operand.l ^ 1;
        }
    }
}
