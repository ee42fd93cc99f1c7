package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Limits;

/**
 * {@code a || b || …}: NULL if any operand is NULL; non-strings are converted to their SQL text. A
 * chain is one evaluator filling one buffer, so its cost is linear in the result's length; a result
 * beyond {@link Limits#MAX_STRING_LENGTH} characters is a record error 54000.
 */
public final class ConcatEval extends Eval {
    private final Eval[] operands;
    private final StringBuilder sb = new StringBuilder();

    public ConcatEval(Eval... operands) {
        super(DataType.STRING);
        this.operands = operands;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        // every operand is evaluated (and may raise its error) before NULL is decided, as a || b always did
        boolean anyNull = false;
        for (Eval e : operands) {
            e.eval(b, row);
            anyNull |= e.isNull;
        }
        if (anyNull) {
            isNull = true;
            return;
        }
        isNull = false;
        sb.setLength(0);
        for (Eval e : operands) {
            String text = CastEval.text(e);
            if ((long) sb.length() + text.length() > Limits.MAX_STRING_LENGTH) {
                throw tooLong((long) sb.length() + text.length());
            }
            sb.append(text);
        }
        o = sb.toString();
    }

    private static RecordError tooLong(long length) {
        return new RecordError(RecordError.LIMIT_EXCEEDED, "|| result of " + length
                + " characters exceeds the limit of " + Limits.MAX_STRING_LENGTH + " for a STRING value");
    }
}
