package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/**
 * ABS, CEIL, FLOOR and ROUND (with constant digits) as typed loops. DECIMAL values stay unscaled
 * longs: rounding is a division by a power of ten and a carry, no BigDecimal; a row whose value is
 * promoted, whose scale is out of the loop's reach or whose result does not fit the function's
 * DECIMAL(p, s) goes through the exact path, which answers (or fails) as the row path does.
 */
final class VecMath {
    private VecMath() {
    }

    /** The result of {@link #round} / {@link #integral} when the row needs the exact path. */
    private static final long SLOW = Long.MIN_VALUE;

    /**
     * The unscaled value of {@code x × 10^-scale} rounded half up to {@code digits} after the point,
     * at scale {@code max(digits, 0)}; {@link #SLOW} when it is not within reach of a long.
     */
    static long round(long x, int scale, int digits) {
        if (digits >= scale) {
            int e = digits - scale;
            if (e >= Vectors.POW10.length) {
                return SLOW;
            }
            long p = Vectors.POW10[e];
            long v = x * p;
            return Math.multiplyHigh(x, p) == (v >> 63) ? v : SLOW;
        }
        int e = scale - digits;
        if (e >= Vectors.POW10.length) {
            return SLOW;
        }
        long p = Vectors.POW10[e];
        long q = x / p;
        long rem = Math.abs(x - q * p);
        q += rem >= p - rem ? Long.signum(x) : 0;
        if (digits >= 0) {
            return q;
        }
        long back = Vectors.POW10.length > -digits ? Vectors.POW10[-digits] : 0;
        if (back == 0) {
            return q == 0 ? 0 : SLOW;
        }
        long v = q * back;
        return Math.multiplyHigh(q, back) == (v >> 63) ? v : SLOW;
    }

    /** The unscaled integer CEIL (or FLOOR) of {@code x × 10^-scale}, at scale 0; {@link #SLOW} out of reach. */
    static long integral(long x, int scale, boolean ceil) {
        if (scale >= Vectors.POW10.length) {
            return SLOW;
        }
        long p = Vectors.POW10[scale];
        long q = x / p;
        long rem = x - q * p;
        return ceil ? q + (rem > 0 ? 1 : 0) : q - (rem < 0 ? 1 : 0);
    }

    /** ABS: BIGINT MIN_VALUE fails as in the row path. */
    static final class Abs extends VecUnary {
        Abs(Eval source, VecExpr operand) {
            super(source.type, source, operand);
        }

        @Override
        Column compute(RecordBatch b, Column a, int[] sel, int n, Failures f) {
            Column o = result(b);
            final boolean[] xn = a.nulls;
            final boolean[] on = o.nulls;
            final int[] bad = slow;
            int nb = 0;
            if (type.kind == DataType.Kind.DOUBLE) {
                final double[] x = a.doubles;
                final double[] ov = o.doubles;
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    double v = Math.abs(x[r]);
                    ov[r] = v;
                    on[r] = xn[r];
                    bad[nb] = r;
                    nb += !xn[r] && !Double.isFinite(v) ? 1 : 0;
                }
            } else if (type.kind == DataType.Kind.DECIMAL) {
                if (a.anyBig) {
                    return exactAll(b, sel, n, o, f);
                }
                final long[] x = a.longs;
                final byte[] xs = a.scales;
                final long[] ov = o.longs;
                final byte[] os = o.scales;
                final boolean fixed = type.hasFixedScale();
                final int want = type.scale;
                final long limit = fixed ? Vectors.precisionLimit(type.precision) : -1L;
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    long p = x[r];
                    long v = Math.abs(p);
                    int sc = xs[r];
                    ov[r] = v;
                    os[r] = (byte) sc;
                    on[r] = xn[r];
                    boolean wrong = p == Long.MIN_VALUE || fixed && (sc != want || Long.compareUnsigned(v, limit) >= 0);
                    bad[nb] = r;
                    nb += !xn[r] && wrong ? 1 : 0;
                }
            } else {
                final long[] x = a.longs;
                final long[] ov = o.longs;
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    long p = x[r];
                    ov[r] = Math.abs(p);
                    on[r] = xn[r];
                    bad[nb] = r;
                    nb += !xn[r] & p == Long.MIN_VALUE ? 1 : 0;
                }
            }
            exact(b, bad, nb, o, f);
            return o;
        }

        private Column exactAll(RecordBatch b, int[] sel, int n, Column o, Failures f) {
            for (int i = 0; i < n; i++) {
                exact(b, sel == null ? i : sel[i], o, f);
            }
            return o;
        }
    }

    /**
     * ROUND(x) and ROUND(x, constant digits) on BIGINT and DECIMAL (HALF_UP, as the row path); CEIL
     * and FLOOR on BIGINT, DOUBLE and DECIMAL.
     */
    static final class Rounding extends VecUnary {
        static final int ROUND = 0;
        static final int CEIL = 1;
        static final int FLOOR = 2;
        private final int fn;
        private final int digits;

        Rounding(Eval source, VecExpr operand, int fn, int digits) {
            super(source.type, source, operand);
            this.fn = fn;
            this.digits = digits;
        }

        @Override
        Column compute(RecordBatch b, Column a, int[] sel, int n, Failures f) {
            Column o = result(b);
            final boolean[] xn = a.nulls;
            final boolean[] on = o.nulls;
            final int[] bad = slow;
            int nb = 0;
            switch (a.type.kind) {
                case DOUBLE: {
                    final double[] x = a.doubles;
                    final double[] ov = o.doubles;
                    final boolean ceil = fn == CEIL;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        double v = ceil ? Math.ceil(x[r]) : Math.floor(x[r]);
                        ov[r] = v;
                        on[r] = xn[r];
                        bad[nb] = r;
                        nb += !xn[r] && !Double.isFinite(v) ? 1 : 0;
                    }
                    break;
                }
                case DECIMAL: {
                    if (a.anyBig) {
                        for (int i = 0; i < n; i++) {
                            exact(b, sel == null ? i : sel[i], o, f);
                        }
                        return o;
                    }
                    final long[] x = a.longs;
                    final byte[] xs = a.scales;
                    final long[] ov = o.longs;
                    final byte[] os = o.scales;
                    final byte outScale = (byte) type.scale;
                    final long limit = Vectors.precisionLimit(type.precision);
                    final int d = digits;
                    final int f0 = fn;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        long v = f0 == ROUND ? round(x[r], xs[r], d) : integral(x[r], xs[r], f0 == CEIL);
                        ov[r] = v;
                        os[r] = outScale;
                        on[r] = xn[r];
                        bad[nb] = r;
                        nb += !xn[r] && (v == SLOW || Long.compareUnsigned(Math.abs(v), limit) >= 0) ? 1 : 0;
                    }
                    break;
                }
                default: {
                    final long[] x = a.longs;
                    final long[] ov = o.longs;
                    final int d = fn == ROUND ? digits : 0;
                    for (int i = 0; i < n; i++) {
                        int r = sel == null ? i : sel[i];
                        long v = d >= 0 ? x[r] : round(x[r], 0, d);
                        ov[r] = v;
                        on[r] = xn[r];
                        bad[nb] = r;
                        nb += !xn[r] && v == SLOW && d < 0 ? 1 : 0;
                    }
                    break;
                }
            }
            exact(b, bad, nb, o, f);
            return o;
        }
    }
}
