package io.velo.expr.eval;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.util.Arrays;

/**
 * Column-at-a-time decimal arithmetic for the common projection shapes — {@code a ± b} on columns of
 * one fixed scale, {@code a * b}, and either with a constant — computed as branch-free loops over
 * the unscaled longs. Exactness is kept: {@code +}/{@code -} carry an OR-ed overflow flag and
 * {@code *} runs only when the operands' magnitudes prove the products fit; otherwise (or when a
 * column holds promoted values or mixed scales) the rows go through the exact register path, which
 * promotes to BigDecimal. Decimal + − × never raise a record error, so the kernel cannot drop rows.
 */
public final class DecimalColumnKernel {
    private final int op;
    private final int leftColumn;
    private final int rightColumn; // -1: constant
    private final long constant;
    private final int leftScale;
    private final int rightScale;
    private final boolean leftBigint;
    private final boolean rightBigint;
    private final int resultScale;
    private final DecimalRounding rounding;
    private long[] a = new long[0];
    private long[] b = new long[0];
    private boolean[] na = new boolean[0];
    private boolean[] nb = new boolean[0];
    private final Dec x = new Dec();
    private final Dec y = new Dec();
    private final Dec r = new Dec();

    private DecimalColumnKernel(int op, int leftColumn, int rightColumn, long constant, int leftScale, int rightScale,
                                int resultScale, DecimalRounding rounding, boolean leftBigint, boolean rightBigint) {
        this.op = op;
        this.leftBigint = leftBigint;
        this.rightBigint = rightBigint;
        this.leftColumn = leftColumn;
        this.rightColumn = rightColumn;
        this.constant = constant;
        this.leftScale = leftScale;
        this.rightScale = rightScale;
        this.resultScale = resultScale;
        this.rounding = rounding;
    }

    /** A kernel for {@code e}, or null when its shape is not one of the supported ones. */
    public static DecimalColumnKernel of(Eval e) {
        if (!(e instanceof ArithmeticEval.Decimals d)) {
            return null;
        }
        DecimalRounding rounding = d.rounding();
        int op = d.op();
        if (op != ArithmeticEval.ADD && op != ArithmeticEval.SUB && op != ArithmeticEval.MUL) {
            return null;
        }
        Eval l = d.left();
        Eval rr = d.right();
        if (op != ArithmeticEval.SUB && column(l) == null && column(rr) != null) {
            Eval t = l; // constant op column: swap for + and *
            l = rr;
            rr = t;
        }
        ColumnEval lc = column(l);
        if (lc == null) {
            return null;
        }
        int ls = scaleOf(lc);
        boolean lb = lc.type.kind == DataType.Kind.BIGINT;
        ColumnEval rc = column(rr);
        if (rc != null) {
            int rs = scaleOf(rc);
            boolean rb = rc.type.kind == DataType.Kind.BIGINT;
            if (op == ArithmeticEval.MUL) {
                return ls + rs <= DecimalMath.MAX_PRODUCT_SCALE
                        ? new DecimalColumnKernel(op, lc.index, rc.index, 0, ls, rs, ls + rs, rounding, lb, rb) : null;
            }
            return ls == rs ? new DecimalColumnKernel(op, lc.index, rc.index, 0, ls, rs, ls, rounding, lb, rb) : null;
        }
        if (rr instanceof ConstEval c && c.type.kind == DataType.Kind.DECIMAL && !c.isNull && c.dec.big == null) {
            Dec k = new Dec().set(c.dec);
            if (op == ArithmeticEval.MUL) {
                return ls + k.scale <= DecimalMath.MAX_PRODUCT_SCALE
                        ? new DecimalColumnKernel(op, lc.index, -1, k.unscaled, ls, k.scale, ls + k.scale, rounding, lb, false) : null;
            }
            if (k.scale > ls) {
                return null;
            }
            DecimalMath.rescale(k, ls, rounding); // exact: only adds zeros
            return k.big == null ? new DecimalColumnKernel(op, lc.index, -1, k.unscaled, ls, ls, ls, rounding, lb, false) : null;
        }
        return null;
    }

    /**
     * The column under an operand: a fixed-scale DECIMAL column, or a BIGINT column cast to DECIMAL
     * (an integer is a decimal of scale 0); null for anything else.
     */
    private static ColumnEval column(Eval e) {
        if (e instanceof ColumnEval c && c.type.hasFixedScale()) {
            return c;
        }
        if (e instanceof CastEval cast && cast.type.kind == DataType.Kind.DECIMAL && !cast.type.hasFixedScale()
                && cast.input() instanceof ColumnEval c && c.type.kind == DataType.Kind.BIGINT) {
            return c;
        }
        return null;
    }

    private static int scaleOf(ColumnEval c) {
        return c.type.kind == DataType.Kind.BIGINT ? 0 : c.type.scale;
    }

    /**
     * Computes rows {@code rows[0..n)} (or 0..n-1) of {@code in} into rows 0..n-1 of {@code out}.
     */
    public void compute(RecordBatch in, int[] rows, int n, Column out) {
        Column lc = in.columns[leftColumn];
        Column rc = rightColumn >= 0 ? in.columns[rightColumn] : null;
        if (lc.anyBig || (rc != null && rc.anyBig) || !gather(lc, rows, n, leftBigint ? -1 : leftScale, true)
                || (rc != null && !gather(rc, rows, n, rightBigint ? -1 : rightScale, false))) {
            exact(in, rows, n, out);
            return;
        }
        long[] res = out.longs;
        boolean[] nulls = out.nulls;
        final long[] av = a;
        boolean ok;
        if (rc == null) {
            final long k = constant;
            System.arraycopy(na, 0, nulls, 0, n);
            ok = op == ArithmeticEval.MUL ? multiplyConstant(av, k, res, n) : addConstant(av, op == ArithmeticEval.SUB ? -k : k, res, n);
            if (op == ArithmeticEval.SUB && k == Long.MIN_VALUE) {
                ok = false;
            }
        } else {
            final boolean[] an = na;
            final boolean[] bn = nb;
            for (int i = 0; i < n; i++) {
                nulls[i] = an[i] | bn[i];
            }
            ok = op == ArithmeticEval.MUL ? multiplyColumns(av, b, res, n)
                    : op == ArithmeticEval.ADD ? DecimalMath.addColumns(av, b, res, n) : subtractColumns(av, b, res, n);
        }
        if (!ok) {
            exact(in, rows, n, out);
            return;
        }
        Arrays.fill(out.scales, 0, n, (byte) resultScale);
    }

    /** Gathers a column's unscaled values and null flags; false when a row has another scale (-1: BIGINT, no scales). */
    private boolean gather(Column c, int[] rows, int n, int scale, boolean left) {
        if (a.length < n) {
            a = new long[Math.max(n, 1024)];
            b = new long[a.length];
            na = new boolean[a.length];
            nb = new boolean[a.length];
        }
        long[] v = left ? a : b;
        boolean[] nv = left ? na : nb;
        final long[] src = c.longs;
        final boolean[] sn = c.nulls;
        if (scale < 0) {
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                v[i] = src[row];
                nv[i] = sn[row];
            }
            return true;
        }
        final byte[] ss = c.scales;
        final byte want = (byte) scale;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int row = rows == null ? i : rows[i];
            v[i] = src[row];
            boolean isNull = sn[row];
            nv[i] = isNull;
            bad |= (ss[row] != want && !isNull) ? 1 : 0;
        }
        return bad == 0;
    }

    private static boolean addConstant(long[] v, long k, long[] out, int n) {
        long overflow = 0;
        for (int i = 0; i < n; i++) {
            long x = v[i];
            long r = x + k;
            out[i] = r;
            overflow |= (x ^ r) & (k ^ r);
        }
        return overflow >= 0;
    }

    private static boolean subtractColumns(long[] p, long[] q, long[] out, int n) {
        long overflow = 0;
        for (int i = 0; i < n; i++) {
            long x = p[i];
            long y = q[i];
            long r = x - y;
            out[i] = r;
            overflow |= (x ^ y) & (x ^ r);
        }
        return overflow >= 0;
    }

    /** Bits needed for the largest magnitude among v[0..n). */
    private static int magnitudeBits(long[] v, int n) {
        long m = 0;
        for (int i = 0; i < n; i++) {
            long x = v[i];
            m |= x ^ (x >> 63);
        }
        return 64 - Long.numberOfLeadingZeros(m);
    }

    private static boolean multiplyColumns(long[] p, long[] q, long[] out, int n) {
        if (magnitudeBits(p, n) + magnitudeBits(q, n) > 62) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            out[i] = p[i] * q[i];
        }
        return true;
    }

    private static boolean multiplyConstant(long[] p, long k, long[] out, int n) {
        int kb = 64 - Long.numberOfLeadingZeros(k ^ (k >> 63));
        if (magnitudeBits(p, n) + kb > 62) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            out[i] = p[i] * k;
        }
        return true;
    }

    private static void read(Column c, boolean bigint, int row, Dec into) {
        if (bigint) {
            into.set(c.longs[row], 0);
        } else {
            c.getDecimal(row, into);
        }
    }

    /** The exact register path, row by row (promotes to BigDecimal on overflow). */
    private void exact(RecordBatch in, int[] rows, int n, Column out) {
        Column lc = in.columns[leftColumn];
        Column rc = rightColumn >= 0 ? in.columns[rightColumn] : null;
        for (int i = 0; i < n; i++) {
            int row = rows == null ? i : rows[i];
            if (lc.isNull(row) || (rc != null && rc.isNull(row))) {
                out.setNull(i);
                continue;
            }
            read(lc, leftBigint, row, x);
            if (rc != null) {
                read(rc, rightBigint, row, y);
            } else {
                y.set(constant, rightScale);
            }
            switch (op) {
                case ArithmeticEval.ADD: DecimalMath.add(x, y, r); break;
                case ArithmeticEval.SUB: DecimalMath.subtract(x, y, r); break;
                default: DecimalMath.multiply(x, y, rounding, r); break;
            }
            out.setDecimal(i, r);
        }
    }
}
