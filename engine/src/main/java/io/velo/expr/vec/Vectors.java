package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.types.DataType;

/** Loops shared by the vector nodes. */
final class Vectors {
    private Vectors() {
    }

    /** Read-only zeros: the scales of a BIGINT operand read as a decimal. Replaced (never written) when too short. */
    private static volatile byte[] zeroScales = new byte[1024];

    static byte[] zeroScales(int capacity) {
        byte[] z = zeroScales;
        if (z.length < capacity) {
            zeroScales = z = new byte[Math.max(capacity, z.length * 2)];
        }
        return z;
    }

    /** 10^n as a double, exact for n ≤ 22. */
    static final double[] POW10_DOUBLE = new double[23];
    /** 10^n as a long, for n ≤ 18. */
    static final long[] POW10 = new long[19];

    static {
        double d = 1;
        for (int i = 0; i < POW10_DOUBLE.length; i++) {
            POW10_DOUBLE[i] = d;
            d *= 10;
        }
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /**
     * The bound below which an unscaled long's magnitude has at most {@code precision} digits, as an
     * unsigned limit: |v| (with |Long.MIN_VALUE| read unsigned as 2^63) passes when below it.
     */
    static long precisionLimit(int precision) {
        return precision >= 19 ? -1L : POW10[precision];
    }

    /** Copies rows {@code sel[0..n)} (or 0..n-1) of {@code src} into the same rows of {@code dst} (same storage). */
    static void copy(Column src, Column dst, int[] sel, int n) {
        final boolean[] sn = src.nulls;
        final boolean[] dn = dst.nulls;
        DataType.Kind k = dst.type.kind;
        if (dst.longs != null) {
            final long[] s = src.longs;
            final long[] d = dst.longs;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                d[r] = s[r];
                dn[r] = sn[r];
            }
            if (k == DataType.Kind.DECIMAL) {
                final byte[] ss = src.scales;
                final byte[] ds = dst.scales;
                for (int i = 0; i < n; i++) {
                    int r = sel == null ? i : sel[i];
                    ds[r] = ss[r];
                }
                if (src.anyBig) {
                    copyBigs(src, dst, sel, n);
                }
            }
        } else if (dst.doubles != null) {
            final double[] s = src.doubles;
            final double[] d = dst.doubles;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                d[r] = s[r];
                dn[r] = sn[r];
            }
        } else {
            final Object[] s = src.objects;
            final Object[] d = dst.objects;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                d[r] = s[r];
                dn[r] = sn[r];
            }
        }
    }

    /** Copies one row (any storage); promoted decimals included. */
    static void copyRow(Column src, Column dst, int r) {
        dst.copyFrom(src, r, r);
    }

    private static void copyBigs(Column src, Column dst, int[] sel, int n) {
        for (int i = 0; i < n; i++) {
            int r = sel == null ? i : sel[i];
            if (src.bigs[r] != null && !src.nulls[r]) {
                dst.copyFrom(src, r, r);
            }
        }
    }
}
