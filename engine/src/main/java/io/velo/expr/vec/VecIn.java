package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.expr.eval.InSetEval;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;

/**
 * {@code value [NOT] IN (constants)}: one probe of the list's primitive hash set per row (longs for
 * BIGINT, BOOLEAN, TIMESTAMP and DATE, double bits, unscaled decimals at the list's scale, strings).
 * NULL as the row path: a NULL value, or no match in a list holding a NULL.
 */
final class VecIn extends VecUnary {
    private final InSetEval set;
    private final boolean negated;
    private final boolean listHasNull;
    private final Dec scratch = new Dec();

    VecIn(Eval source, VecExpr value, InSetEval set) {
        super(DataType.BOOLEAN, source, value);
        this.set = set;
        this.negated = set.negated();
        this.listHasNull = set.listHasNull();
    }

    @Override
    Column compute(RecordBatch b, Column a, int[] sel, int n, Failures f) {
        Column o = result(b);
        final boolean[] xn = a.nulls;
        final long[] ov = o.longs;
        final boolean[] on = o.nulls;
        final InSetEval s = set;
        final long neg = negated ? 1 : 0;
        final boolean nullList = listHasNull;
        DataType.Kind k = operand.type.kind;
        for (int i = 0; i < n; i++) {
            int r = sel == null ? i : sel[i];
            boolean isNull = xn[r];
            boolean hit;
            if (isNull) {
                hit = false;
            } else if (k == DataType.Kind.DOUBLE) {
                hit = s.containsDouble(a.doubles[r]);
            } else if (k == DataType.Kind.DECIMAL) {
                a.getDecimal(r, scratch);
                hit = s.containsDecimal(scratch);
            } else if (k == DataType.Kind.STRING) {
                hit = s.containsString((String) a.objects[r]);
            } else {
                hit = s.containsLong(a.longs[r]);
            }
            ov[r] = (hit ? 1 : 0) ^ neg;
            on[r] = isNull | !hit & nullList;
        }
        return o;
    }
}
