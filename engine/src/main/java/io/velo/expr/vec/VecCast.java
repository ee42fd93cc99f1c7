package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.CastEval;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;

/**
 * CAST between BIGINT, DOUBLE and DECIMAL. A DECIMAL reaches DOUBLE by one exact division
 * (correctly rounded, as BigDecimal's conversion) while its unscaled value is below 2^52 and its
 * scale at most 22; a DECIMAL(p, s) target rescales in unscaled longs with the query's rounding.
 * Values out of the target's range take the exact path, which raises the row path's error.
 */
final class VecCast extends VecUnary {
    private final Kind from;
    private final DecimalRounding rounding;
    private final Dec scratch = new Dec();

    VecCast(CastEval source, VecExpr operand) {
        super(source.type, source, operand);
        this.from = source.input().type.kind;
        this.rounding = source.rounding();
    }

    /** The numeric casts this node computes; others stay on the row path. */
    static boolean supports(DataType from, DataType to) {
        Kind f = from.kind;
        Kind t = to.kind;
        if (to.hasFixedScale() && to.scale > to.precision) {
            return false;
        }
        switch (t) {
            case DOUBLE: return f == Kind.BIGINT || f == Kind.DECIMAL;
            case BIGINT: return f == Kind.DOUBLE || f == Kind.DECIMAL;
            case DECIMAL: return f == Kind.BIGINT || f == Kind.DECIMAL;
            default: return false;
        }
    }

    @Override
    Column compute(RecordBatch b, Column a, int[] sel, int n, Failures f) {
        if (type.kind == Kind.DECIMAL && from == Kind.DECIMAL && !type.hasFixedScale()) {
            return a; // the value as it is
        }
        Column o = result(b);
        final boolean[] xn = a.nulls;
        final boolean[] on = o.nulls;
        final int[] bad = slow;
        int nb = 0;
        switch (type.kind) {
            case DOUBLE:
                if (from == Kind.BIGINT) {
                    final long[] x = a.longs;
                    final double[] ov = o.doubles;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        ov[r] = x[r];
                        on[r] = xn[r];
                    }
                } else {
                    final long[] x = a.longs;
                    final byte[] xs = a.scales;
                    final double[] ov = o.doubles;
                    final boolean big = a.anyBig;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        long p = x[r];
                        int sc = xs[r];
                        boolean reach = Math.abs(p) < (1L << 52) && sc < Vectors.POW10_DOUBLE.length;
                        ov[r] = sc == 0 ? (double) p : (double) p / Vectors.POW10_DOUBLE[reach ? sc : 0];
                        on[r] = xn[r];
                        bad[nb] = r;
                        nb += !xn[r] && (sc != 0 && !reach || big && a.bigs[r] != null) ? 1 : 0;
                    }
                }
                break;
            case BIGINT:
                if (from == Kind.DOUBLE) {
                    final double[] x = a.doubles;
                    final long[] ov = o.longs;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        double d = x[r];
                        ov[r] = (long) d;
                        on[r] = xn[r];
                        bad[nb] = r;
                        nb += !xn[r] && (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) ? 1 : 0;
                    }
                } else {
                    final long[] x = a.longs;
                    final byte[] xs = a.scales;
                    final long[] ov = o.longs;
                    final boolean big = a.anyBig;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        int sc = xs[r];
                        boolean reach = sc < Vectors.POW10.length;
                        ov[r] = x[r] / Vectors.POW10[reach ? sc : 0]; // toward zero, as RoundingMode.DOWN
                        on[r] = xn[r];
                        bad[nb] = r;
                        nb += !xn[r] && (!reach || big && a.bigs[r] != null) ? 1 : 0;
                    }
                }
                break;
            default:
                nb = toDecimal(b, a, o, sel, n);
                break;
        }
        exact(b, bad, nb, o, f);
        return o;
    }

    /** BIGINT or DECIMAL to DECIMAL: as is for DECIMAL, rescaled and checked against DECIMAL(p, s). */
    private int toDecimal(RecordBatch b, Column a, Column o, int[] sel, int n) {
        final boolean[] xn = a.nulls;
        final boolean[] on = o.nulls;
        final long[] x = a.longs;
        final byte[] xs = scalesOf(a, b);
        final long[] ov = o.longs;
        final byte[] os = o.scales;
        final int[] bad = slow;
        int nb = 0;
        if (!type.hasFixedScale()) { // BIGINT to DECIMAL
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                ov[r] = x[r];
                os[r] = 0;
                on[r] = xn[r];
            }
            return 0;
        }
        final int want = type.scale;
        final long limit = Vectors.precisionLimit(type.precision);
        final boolean big = a.anyBig;
        for (int i = 0; i < n; i++) {
            int r = sel == null ? i : sel[i];
            on[r] = xn[r];
            if (xn[r]) {
                continue;
            }
            long v = x[r];
            int sc = xs[r];
            boolean wrong = big && a.bigs[r] != null;
            if (sc != want && !wrong) {
                scratch.set(v, sc);
                DecimalMath.rescale(scratch, want, rounding);
                wrong = scratch.big != null;
                v = scratch.unscaled;
            }
            ov[r] = v;
            os[r] = (byte) want;
            bad[nb] = r;
            nb += wrong || Long.compareUnsigned(Math.abs(v), limit) >= 0 ? 1 : 0;
        }
        return nb;
    }
}
