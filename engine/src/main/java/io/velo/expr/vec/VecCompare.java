package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.CompareEval;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;

/**
 * {@code = <> < <= > >=} and IS [NOT] DISTINCT FROM over two vectors of one type (the compiler's
 * implicit casts put them there; a BIGINT compared with a DECIMAL is read at scale 0). Each row's
 * comparison is a three-way result turned into TRUE/FALSE by a bit mask of the operator, so one
 * branch-free loop serves every operator. NULL as the row path: NULL, except DISTINCT (never NULL).
 */
final class VecCompare extends VecBinary {
    private static final int LONGS = 0;
    private static final int DOUBLES = 1;
    private static final int DECIMALS = 2;
    private static final int STRINGS = 3;

    /** Bit (c + 1) is the answer for a three-way comparison c in {-1, 0, 1}. */
    private final int mask;
    private final boolean distinct;
    private final int storage;
    private final Dec dx = new Dec();
    private final Dec dy = new Dec();

    VecCompare(CompareEval source, VecExpr left, VecExpr right) {
        super(DataType.BOOLEAN, source, source.op(), left, right, false);
        this.distinct = op == CompareEval.DISTINCT;
        this.mask = mask(op);
        this.storage = storage(left.type);
    }

    /** The vector form applies to these operand types; others stay on the row path. */
    static boolean supports(DataType l, DataType r) {
        int a = storage(l);
        int b = storage(r);
        return a >= 0 && (a == b || a == DECIMALS && r.kind == DataType.Kind.BIGINT || b == DECIMALS && l.kind == DataType.Kind.BIGINT);
    }

    private static int storage(DataType t) {
        switch (t.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: return LONGS;
            case DOUBLE: return DOUBLES;
            case DECIMAL: return DECIMALS;
            case STRING: return STRINGS;
            default: return -1;
        }
    }

    private static int mask(int op) {
        switch (op) {
            case CompareEval.EQ: return 0b010;
            case CompareEval.LT: return 0b001;
            case CompareEval.LE: return 0b011;
            case CompareEval.GT: return 0b100;
            case CompareEval.GE: return 0b110;
            default: return 0b101; // NE, DISTINCT
        }
    }

    @Override
    public Column eval(RecordBatch b, int[] s, int m, Failures f) {
        operands(b, s, m, f);
        Column o = result(b);
        int st = storage;
        if (st == LONGS && (a.scales != null || c.scales != null)) {
            st = DECIMALS; // a BIGINT read against a DECIMAL
        }
        switch (st) {
            case LONGS: longs(o); break;
            case DOUBLES: doubles(o); break;
            case DECIMALS:
                if (a.anyBig || c.anyBig) {
                    promoted(b, o);
                } else {
                    decimals(b, o);
                }
                break;
            default: strings(o); break;
        }
        done();
        return o;
    }

    private void longs(Column o) {
        final long[] x = a.longs;
        final long[] y = c.longs;
        final boolean[] xn = a.nulls;
        final boolean[] yn = c.nulls;
        final long[] ov = o.longs;
        final boolean[] on = o.nulls;
        final int[] sl = sel;
        final int k = n;
        final int msk = mask;
        final boolean notDistinct = !distinct;
        for (int i = 0; i < k; i++) {
            int r = sl == null ? i : sl[i];
            boolean ln = xn[r];
            boolean rn = yn[r];
            boolean anyNull = ln | rn;
            long v = (msk >> (Long.compare(x[r], y[r]) + 1)) & 1;
            ov[r] = anyNull ? (ln ^ rn ? 1 : 0) : v;
            on[r] = anyNull & notDistinct;
        }
    }

    private void doubles(Column o) {
        final double[] x = a.doubles;
        final double[] y = c.doubles;
        final boolean[] xn = a.nulls;
        final boolean[] yn = c.nulls;
        final long[] ov = o.longs;
        final boolean[] on = o.nulls;
        final int[] sl = sel;
        final int k = n;
        final int msk = mask;
        final boolean notDistinct = !distinct;
        for (int i = 0; i < k; i++) {
            int r = sl == null ? i : sl[i];
            boolean ln = xn[r];
            boolean rn = yn[r];
            boolean anyNull = ln | rn;
            long v = (msk >> (Double.compare(x[r], y[r]) + 1)) & 1;
            ov[r] = anyNull ? (ln ^ rn ? 1 : 0) : v;
            on[r] = anyNull & notDistinct;
        }
    }

    /** Unscaled longs: one scale on both sides compares the longs; other scales align as the row path does. */
    private void decimals(RecordBatch b, Column o) {
        final long[] x = a.longs;
        final long[] y = c.longs;
        final byte[] xs = scalesOf(a, b);
        final byte[] ys = scalesOf(c, b);
        final boolean[] xn = a.nulls;
        final boolean[] yn = c.nulls;
        final long[] ov = o.longs;
        final boolean[] on = o.nulls;
        final int[] sl = sel;
        final int k = n;
        final int msk = mask;
        final boolean notDistinct = !distinct;
        for (int i = 0; i < k; i++) {
            int r = sl == null ? i : sl[i];
            boolean ln = xn[r];
            boolean rn = yn[r];
            boolean anyNull = ln | rn;
            int sa = xs[r];
            int sb = ys[r];
            int cmp = sa == sb ? Long.compare(x[r], y[r]) : Integer.signum(DecimalMath.compare(x[r], sa, y[r], sb));
            long v = (msk >> (cmp + 1)) & 1;
            ov[r] = anyNull ? (ln ^ rn ? 1 : 0) : v;
            on[r] = anyNull & notDistinct;
        }
    }

    /** Decimals with values promoted past 64 bits: registers and DecimalMath per row. */
    private void promoted(RecordBatch b, Column o) {
        for (int i = 0; i < n; i++) {
            int r = sel == null ? i : sel[i];
            boolean ln = a.nulls[r];
            boolean rn = c.nulls[r];
            if (ln | rn) {
                o.longs[r] = ln ^ rn ? 1 : 0;
                o.nulls[r] = !distinct;
                continue;
            }
            read(a, r, dx);
            read(c, r, dy);
            o.longs[r] = (mask >> (Integer.signum(DecimalMath.compare(dx, dy)) + 1)) & 1;
            o.nulls[r] = false;
        }
    }

    private void strings(Column o) {
        final Object[] x = a.objects;
        final Object[] y = c.objects;
        final boolean[] xn = a.nulls;
        final boolean[] yn = c.nulls;
        final long[] ov = o.longs;
        final boolean[] on = o.nulls;
        final int[] sl = sel;
        final int k = n;
        final boolean equality = (mask & 0b101) == 0 || (mask & 0b101) == 0b101; // =, <>, DISTINCT: equals() decides
        final long ifEqual = (mask >> 1) & 1;
        for (int i = 0; i < k; i++) {
            int r = sl == null ? i : sl[i];
            boolean ln = xn[r];
            boolean rn = yn[r];
            if (ln | rn) {
                ov[r] = ln ^ rn ? 1 : 0;
                on[r] = !distinct;
            } else if (equality) {
                ov[r] = x[r].equals(y[r]) ? ifEqual : ifEqual ^ 1;
                on[r] = false;
            } else {
                ov[r] = (mask >> (Integer.signum(((String) x[r]).compareTo((String) y[r])) + 1)) & 1;
                on[r] = false;
            }
        }
    }
}
