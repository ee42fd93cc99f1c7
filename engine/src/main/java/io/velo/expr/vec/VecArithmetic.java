package io.velo.expr.vec;

import static io.velo.expr.eval.ArithmeticEval.ADD;
import static io.velo.expr.eval.ArithmeticEval.DIV;
import static io.velo.expr.eval.ArithmeticEval.MOD;
import static io.velo.expr.eval.ArithmeticEval.MUL;
import static io.velo.expr.eval.ArithmeticEval.SUB;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;

/**
 * {@code + - * / %} and unary minus on BIGINT, DOUBLE and DECIMAL vectors. The loops compute every
 * row without a branch and fold an overflow flag (BIGINT: the sign test of {@code +}/{@code -},
 * {@code multiplyHigh} for {@code *}; DOUBLE: a non-finite result; DECIMAL: a product past 64 bits or
 * scale 18, operands of two scales); only when the flag is up does a second pass hand the affected
 * rows to the exact path, which raises the row path's error (BIGINT, DOUBLE) or promotes exactly
 * (DECIMAL). Zero divisors are found the same way. Rows with a NULL operand are NULL.
 */
final class VecArithmetic {
    private VecArithmetic() {
    }

    /** BIGINT arithmetic; overflow and zero divisors are the row path's record errors. */
    static final class Longs extends VecBinary {
        Longs(Eval source, int op, VecExpr left, VecExpr right) {
            super(DataType.BIGINT, source, op, left, right, true);
        }

        @Override
        boolean canFail() {
            return true;
        }

        @Override
        public Column eval(RecordBatch b, int[] s, int m, Failures f) {
            operands(b, s, m, f);
            Column o = result(b);
            final long[] x = a.longs;
            final long[] y = c.longs;
            final boolean[] xn = a.nulls;
            final boolean[] yn = c.nulls;
            final long[] ov = o.longs;
            final boolean[] on = o.nulls;
            final int[] sl = sel;
            final int k = n;
            switch (op) {
                case ADD: {
                    long flag = 0;
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        long p = x[r];
                        long q = y[r];
                        long v = p + q;
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= (p ^ v) & (q ^ v);
                    }
                    if (flag < 0) {
                        overflowed(b, o, f);
                    }
                    break;
                }
                case SUB: {
                    long flag = 0;
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        long p = x[r];
                        long q = y[r];
                        long v = p - q;
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= (p ^ q) & (p ^ v);
                    }
                    if (flag < 0) {
                        overflowed(b, o, f);
                    }
                    break;
                }
                case MUL: {
                    long flag = 0;
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        long p = x[r];
                        long q = y[r];
                        long v = p * q;
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= Math.multiplyHigh(p, q) ^ (v >> 63);
                    }
                    if (flag != 0) {
                        overflowed(b, o, f);
                    }
                    break;
                }
                default: {
                    // DIV, MOD: a zero divisor (and MIN / -1) goes to the exact path, which raises the error
                    final boolean div = op == DIV;
                    final int[] bad = slow;
                    int nb = 0;
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        long p = x[r];
                        long q = y[r];
                        boolean isNull = xn[r] | yn[r];
                        boolean wrong = q == 0 || (div && q == -1 && p == Long.MIN_VALUE);
                        long d = wrong ? 1 : q;
                        ov[r] = div ? p / d : (d == -1 ? 0 : p % d);
                        on[r] = isNull;
                        bad[nb] = r;
                        nb += wrong & !isNull ? 1 : 0;
                    }
                    exact(b, bad, nb, o, f);
                    break;
                }
            }
            done();
            return o;
        }

        /** The second pass after an overflow flag: each overflowing row raises the row path's error. */
        private void overflowed(RecordBatch b, Column o, Failures f) {
            final int[] sl = sel;
            for (int i = 0; i < n; i++) {
                int r = sl == null ? i : sl[i];
                if (o.nulls[r]) {
                    continue;
                }
                long p = a.longs[r];
                long q = c.longs[r];
                long v = o.longs[r];
                boolean over;
                switch (op) {
                    case ADD: over = ((p ^ v) & (q ^ v)) < 0; break;
                    case SUB: over = ((p ^ q) & (p ^ v)) < 0; break;
                    default: over = Math.multiplyHigh(p, q) != (v >> 63); break;
                }
                if (over) {
                    exact(b, r, o, f);
                }
            }
        }
    }

    /** Exponent bits of a double; all set for Infinity and NaN. */
    private static final long EXPONENT = 0x7FF0_0000_0000_0000L;
    /** Added to the exponent bits, sets the sign bit exactly when they are all set. */
    private static final long EXPONENT_CARRY = 0x0010_0000_0000_0000L;

    /** DOUBLE arithmetic; a non-finite result (overflow, a zero divisor) is the row path's record error. */
    static final class Doubles extends VecBinary {
        Doubles(Eval source, int op, VecExpr left, VecExpr right) {
            super(DataType.DOUBLE, source, op, left, right, true);
        }

        @Override
        boolean canFail() {
            return true;
        }

        @Override
        public Column eval(RecordBatch b, int[] s, int m, Failures f) {
            operands(b, s, m, f);
            Column o = result(b);
            final double[] x = a.doubles;
            final double[] y = c.doubles;
            final boolean[] xn = a.nulls;
            final boolean[] yn = c.nulls;
            final double[] ov = o.doubles;
            final boolean[] on = o.nulls;
            final int[] sl = sel;
            final int k = n;
            long flag = 0;
            switch (op) {
                case ADD:
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        double v = x[r] + y[r];
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= (Double.doubleToRawLongBits(v) & EXPONENT) + EXPONENT_CARRY;
                    }
                    break;
                case SUB:
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        double v = x[r] - y[r];
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= (Double.doubleToRawLongBits(v) & EXPONENT) + EXPONENT_CARRY;
                    }
                    break;
                case MUL:
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        double v = x[r] * y[r];
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= (Double.doubleToRawLongBits(v) & EXPONENT) + EXPONENT_CARRY;
                    }
                    break;
                case DIV:
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        double q = y[r];
                        double v = x[r] / q;
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        // x / 0 is never finite; x / -0.0 neither
                        flag |= (Double.doubleToRawLongBits(v) & EXPONENT) + EXPONENT_CARRY;
                    }
                    break;
                default:
                    for (int i = 0; i < k; i++) {
                        int r = sl == null ? i : sl[i];
                        double v = x[r] % y[r];
                        ov[r] = v;
                        on[r] = xn[r] | yn[r];
                        flag |= (Double.doubleToRawLongBits(v) & EXPONENT) + EXPONENT_CARRY;
                    }
                    break;
            }
            if (flag < 0) {
                for (int i = 0; i < k; i++) {
                    int r = sl == null ? i : sl[i];
                    if (!on[r] && !Double.isFinite(ov[r])) {
                        exact(b, r, o, f);
                    }
                }
            }
            done();
            return o;
        }
    }

    /**
     * Exact DECIMAL arithmetic with the SPEC §4 scale rules. {@code +}/{@code -} of operands at one
     * scale and {@code *} whose product fits 64 bits at scale ≤ 18 run as flat loops; otherwise (and
     * for rows holding promoted values) the whole selection goes through {@link DecimalMath} per row,
     * which aligns scales and promotes to BigDecimal exactly as the row path does. A BIGINT operand is
     * read as scale 0 (the compiler's cast is not materialised).
     */
    static final class Decimals extends VecBinary {
        private final DecimalRounding rounding;
        private final Dec dx = new Dec();
        private final Dec dy = new Dec();
        private final Dec dz = new Dec();

        /** The operands' fixed scales (a BIGINT's is 0), or -1 when the scale varies per value. */
        private final int leftScale;
        private final int rightScale;

        Decimals(Eval source, int op, VecExpr left, VecExpr right, DecimalRounding rounding) {
            super(DataType.DECIMAL, source, op, left, right, true);
            this.rounding = rounding;
            this.leftScale = fixedScale(left.type);
            this.rightScale = fixedScale(right.type);
        }

        @Override
        boolean canFail() {
            return op == DIV || op == MOD || super.canFail();
        }

        private static int fixedScale(DataType t) {
            return t.kind == DataType.Kind.BIGINT ? 0 : t.hasFixedScale() ? t.scale : -1;
        }

        @Override
        public Column eval(RecordBatch b, int[] s, int m, Failures f) {
            operands(b, s, m, f);
            Column o = result(b);
            boolean fast = !a.anyBig && !c.anyBig
                    && (op == ADD ? add(b, o, false) : op == SUB ? add(b, o, true) : op == MUL && multiply(b, o));
            if (!fast) {
                exactAll(b, o, f);
            }
            done();
            return o;
        }

        /**
         * {@code +}/{@code -}: false when a row overflowed or has operands of other scales than the
         * loop assumed. Operands of two known fixed scales are aligned by constant factors (the row
         * path's rule: both to the larger scale); otherwise the loop expects one scale on both sides.
         */
        private boolean add(RecordBatch b, Column o, boolean subtract) {
            final long[] x = a.longs;
            final long[] y = c.longs;
            final byte[] xs = scalesOf(a, b);
            final byte[] ys = scalesOf(c, b);
            final boolean[] xn = a.nulls;
            final boolean[] yn = c.nulls;
            final long[] ov = o.longs;
            final byte[] os = o.scales;
            final boolean[] on = o.nulls;
            final int[] sl = sel;
            final int k = n;
            long ovf = 0;
            int mism = 0;
            if (leftScale >= 0 && rightScale >= 0 && leftScale != rightScale) {
                final int ls = leftScale;
                final int rs = rightScale;
                final int s = Math.max(ls, rs);
                if (s - Math.min(ls, rs) >= Vectors.POW10.length) {
                    return false;
                }
                final long pa = Vectors.POW10[s - ls];
                final long pb = Vectors.POW10[s - rs];
                final byte sc = (byte) s;
                for (int i = 0; i < k; i++) {
                    int r = sl == null ? i : sl[i];
                    long p0 = x[r];
                    long q0 = y[r];
                    long p = p0 * pa;
                    long q = q0 * pb;
                    long v = subtract ? p - q : p + q;
                    boolean isNull = xn[r] | yn[r];
                    long live = isNull ? 0 : -1L;
                    ov[r] = v;
                    os[r] = sc;
                    on[r] = isNull;
                    long over = subtract ? (p ^ q) & (p ^ v) : (p ^ v) & (q ^ v);
                    ovf |= ((Math.multiplyHigh(p0, pa) ^ (p >> 63)) | (Math.multiplyHigh(q0, pb) ^ (q >> 63)) | (over >> 63)) & live;
                    mism |= ((xs[r] ^ ls) | (ys[r] ^ rs)) & (int) live;
                }
                return ovf == 0 && mism == 0;
            }
            if (subtract) {
                for (int i = 0; i < k; i++) {
                    int r = sl == null ? i : sl[i];
                    long p = x[r];
                    long q = y[r];
                    long v = p - q;
                    boolean isNull = xn[r] | yn[r];
                    long live = isNull ? 0 : -1L;
                    ov[r] = v;
                    os[r] = xs[r];
                    on[r] = isNull;
                    ovf |= (p ^ q) & (p ^ v) & live;
                    mism |= (xs[r] ^ ys[r]) & (int) live;
                }
            } else {
                for (int i = 0; i < k; i++) {
                    int r = sl == null ? i : sl[i];
                    long p = x[r];
                    long q = y[r];
                    long v = p + q;
                    boolean isNull = xn[r] | yn[r];
                    long live = isNull ? 0 : -1L;
                    ov[r] = v;
                    os[r] = xs[r];
                    on[r] = isNull;
                    ovf |= (p ^ v) & (q ^ v) & live;
                    mism |= (xs[r] ^ ys[r]) & (int) live;
                }
            }
            return ovf >= 0 && mism == 0;
        }

        /**
         * The product loop when both operands have one known scale on every live row (the common case:
         * fixed-scale columns and BIGINTs) and the rows are 0..n-1: no per-row scale reads, the result
         * scale written once.
         */
        private boolean multiplyDense(Column o, int scale) {
            final long[] x = a.longs;
            final long[] y = c.longs;
            final boolean[] xn = a.nulls;
            final boolean[] yn = c.nulls;
            final long[] ov = o.longs;
            final boolean[] on = o.nulls;
            final int k = n;
            for (int i = 0; i < k; i++) {
                on[i] = xn[i] | yn[i];
            }
            java.util.Arrays.fill(o.scales, 0, k, (byte) scale);
            // the products and both operands' magnitudes in one pass; when the magnitudes prove every
            // product fits (the common case) that is all, else the products are checked one by one
            long mx = 0;
            long my = 0;
            for (int i = 0; i < k; i++) {
                long p = x[i];
                long q = y[i];
                ov[i] = p * q;
                mx |= p ^ (p >> 63);
                my |= q ^ (q >> 63);
            }
            int bits = (64 - Long.numberOfLeadingZeros(mx)) + (64 - Long.numberOfLeadingZeros(my));
            if (bits <= 62) {
                return true;
            }
            long flag = 0;
            for (int i = 0; i < k; i++) {
                long p = x[i];
                long q = y[i];
                long v = p * q;
                ov[i] = v;
                flag |= (Math.multiplyHigh(p, q) ^ (v >> 63)) & (on[i] ? 0 : -1L);
            }
            return flag == 0;
        }

        /** A product that fits 64 bits at scale ≤ 18 on every row; false otherwise. */
        private boolean multiply(RecordBatch b, Column o) {
            if (sel == null && leftScale >= 0 && rightScale >= 0 && leftScale + rightScale <= DecimalMath.MAX_PRODUCT_SCALE
                    && a.allAtScale(null, n, leftScale) && c.allAtScale(null, n, rightScale)) {
                return multiplyDense(o, leftScale + rightScale);
            }
            final long[] x = a.longs;
            final long[] y = c.longs;
            final byte[] xs = scalesOf(a, b);
            final byte[] ys = scalesOf(c, b);
            final boolean[] xn = a.nulls;
            final boolean[] yn = c.nulls;
            final long[] ov = o.longs;
            final byte[] os = o.scales;
            final boolean[] on = o.nulls;
            final int[] sl = sel;
            final int k = n;
            long flag = 0;
            for (int i = 0; i < k; i++) {
                int r = sl == null ? i : sl[i];
                long p = x[r];
                long q = y[r];
                long v = p * q;
                int sc = xs[r] + ys[r];
                boolean isNull = xn[r] | yn[r];
                long live = isNull ? 0 : -1L;
                ov[r] = v;
                os[r] = (byte) sc;
                on[r] = isNull;
                flag |= ((Math.multiplyHigh(p, q) ^ (v >> 63)) | ((DecimalMath.MAX_PRODUCT_SCALE - sc) >> 31)) & live;
            }
            return flag == 0;
        }

        /** Every row through DecimalMath on registers: aligned scales, promotion, zero divisors to the row path. */
        private void exactAll(RecordBatch b, Column o, Failures f) {
            final int[] sl = sel;
            final boolean[] xn = a.nulls;
            final boolean[] yn = c.nulls;
            for (int i = 0; i < n; i++) {
                int r = sl == null ? i : sl[i];
                if (xn[r] | yn[r]) {
                    o.setNull(r);
                    continue;
                }
                read(a, r, dx);
                read(c, r, dy);
                switch (op) {
                    case ADD: DecimalMath.add(dx, dy, dz); break;
                    case SUB: DecimalMath.subtract(dx, dy, dz); break;
                    case MUL: DecimalMath.multiply(dx, dy, rounding, dz); break;
                    case DIV:
                        if (dy.signum() == 0) {
                            exact(b, r, o, f);
                            continue;
                        }
                        DecimalMath.divide(dx, dy, rounding, dz);
                        break;
                    default:
                        if (dy.signum() == 0) {
                            exact(b, r, o, f);
                            continue;
                        }
                        DecimalMath.remainder(dx, dy, dz);
                        break;
                }
                o.setDecimal(r, dz);
            }
        }
    }

    /** Unary minus: BIGINT MIN_VALUE is the row path's error, a DECIMAL MIN_VALUE promotes. */
    static final class Negate extends VecExpr {
        private final VecExpr operand;
        private final Dec dx = new Dec();
        private final Dec dz = new Dec();

        Negate(Eval source, VecExpr operand) {
            super(source.type, source);
            this.operand = operand;
        }

        @Override
        public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
            int before = f.count();
            Column a = operand.eval(b, sel, n, f);
            if (f.count() != before) {
                int[] live = liveBuffer(b);
                n = f.compact(sel, n, live);
                sel = live;
            }
            Column o = result(b);
            final boolean[] xn = a.nulls;
            final boolean[] on = o.nulls;
            if (type.kind == DataType.Kind.DOUBLE) {
                final double[] x = a.doubles;
                final double[] ov = o.doubles;
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    ov[r] = -x[r];
                    on[r] = xn[r];
                }
                return o;
            }
            final long[] x = a.longs;
            final long[] ov = o.longs;
            if (type.kind == DataType.Kind.DECIMAL && a.anyBig) {
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    if (xn[r]) {
                        o.setNull(r);
                    } else {
                        read(a, r, dx);
                        DecimalMath.negate(dx, dz);
                        o.setDecimal(r, dz);
                    }
                }
                return o;
            }
            boolean decimal = type.kind == DataType.Kind.DECIMAL;
            final byte[] xs = decimal ? scalesOf(a, b) : null;
            final byte[] os = o.scales;
            int flag = 0;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                long p = x[r];
                ov[r] = -p;
                on[r] = xn[r];
                flag |= p == Long.MIN_VALUE & !xn[r] ? 1 : 0;
            }
            if (decimal) {
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    os[r] = xs[r];
                }
            }
            if (flag != 0) {
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    if (!xn[r] && x[r] == Long.MIN_VALUE) {
                        exact(b, r, o, f);
                    }
                }
            }
            return o;
        }
    }
}
