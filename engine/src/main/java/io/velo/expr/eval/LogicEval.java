package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;

/**
 * AND / OR over any number of operands with SQL three-valued logic: operands are evaluated in order
 * and the first deciding value (FALSE for AND, TRUE for OR) ends the evaluation, so later operands
 * neither run nor raise errors, exactly as in the nested binary form. A 3,000-term chain is one
 * evaluator and a loop, not 3,000 levels of recursion.
 */
public final class LogicEval extends Eval {
    private final boolean and;
    private final Eval[] operands;

    public LogicEval(boolean and, Eval... operands) {
        super(DataType.BOOLEAN);
        if (operands.length < 2) {
            throw new IllegalArgumentException("AND/OR needs two operands");
        }
        this.and = and;
        this.operands = operands;
    }

    public boolean isAnd() {
        return and;
    }

    /** The operands, in evaluation order (the array itself: do not modify). */
    public Eval[] operands() {
        return operands;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        // the deciding value: FALSE for AND, TRUE for OR
        final long decide = and ? 0 : 1;
        boolean sawNull = false;
        for (Eval e : operands) {
            e.eval(b, row);
            if (e.isNull) {
                sawNull = true;
            } else if (e.l == decide) {
                isNull = false;
                l = decide;
                return;
            }
        }
        isNull = sawNull;
        l = decide ^ 1;
    }
}
