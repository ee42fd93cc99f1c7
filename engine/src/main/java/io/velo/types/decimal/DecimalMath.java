package io.velo.types.decimal;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact decimal arithmetic on (unscaled long, scale) pairs with promotion to {@link BigDecimal} on
 * 64-bit overflow. Results are written into a caller-owned {@link Dec} register.
 *
 * <p>Scale rules (SPEC §4): {@code + -} align to the larger scale; {@code *} uses s1+s2, capped at
 * {@link #MAX_PRODUCT_SCALE} (or at the larger input scale when an input is already finer) and
 * rounded beyond; {@code /} uses max(6, s1, s2), rounded. Every rounding uses the caller's mode.
 * The fast path for each operation is a few long operations; the overflow path sits in its own
 * method so the JIT keeps the fast path small.
 */
public final class DecimalMath {
    public static final int MAX_PRODUCT_SCALE = 18;
    public static final int MIN_DIVISION_SCALE = 6;
    /** Maximum scale any decimal may carry; keeps BigDecimal fallbacks bounded. */
    public static final int MAX_SCALE = 38;

    static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private DecimalMath() {
    }

    public static long pow10(int n) {
        return POW10[n];
    }

    // ---------------------------------------------------------------- add / subtract

    /**
     * True when {@code a + b} overflowed into {@code sum}: the inline check of the same-scale fast
     * path (SUM accumulators, column + column), so callers add two longs and only take the slow path
     * ({@link #add(long, int, long, int, Dec)}) in the rare overflow case.
     */
    public static boolean addOverflows(long a, long b, long sum) {
        return ((a ^ sum) & (b ^ sum)) < 0;
    }

    /**
     * Exact sum of unscaled values {@code v[from, to)} that share {@code scale}, into {@code out}.
     * When the values are small enough that {@code to - from} of them cannot overflow a long (one
     * bounds pass), the sum is a plain loop the JIT can vectorise; otherwise each step is checked and
     * the sum promoted to BigDecimal on overflow.
     */
    public static void sum(long[] v, int from, int to, int scale, Dec out) {
        // one pass, two reductions: the plain sum, and the OR of one's-complement magnitudes, which is
        // below 2^k exactly when every |x| (or |x|-1) is; n values under the bound cannot overflow
        long s = 0;
        long magnitude = 0;
        for (int i = from; i < to; i++) {
            long x = v[i];
            s += x;
            magnitude |= x ^ (x >> 63);
        }
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, to - from));
        long bound = Long.MAX_VALUE >> bits; // 2^(63-bits) - 1
        if (magnitude <= bound) {
            out.set(s, scale);
            return;
        }
        sumChecked(v, from, to, scale, out);
    }

    /**
     * Element-wise {@code out[i] = a[i] + b[i]} for {@code n} same-scale unscaled values, as one
     * branch-free loop the JIT can vectorise. Returns false when any element overflowed; the caller
     * then redoes the affected rows with {@link #add(long, int, long, int, Dec)}.
     */
    public static boolean addColumns(long[] a, long[] b, long[] out, int n) {
        long overflow = 0;
        for (int i = 0; i < n; i++) {
            long x = a[i];
            long y = b[i];
            long r = x + y;
            out[i] = r;
            overflow |= (x ^ r) & (y ^ r);
        }
        return overflow >= 0;
    }

    private static void sumChecked(long[] v, int from, int to, int scale, Dec out) {
        out.set(0, scale);
        for (int i = from; i < to; i++) {
            add(out.unscaled, out.scale, v[i], scale, out);
            if (out.big != null) {
                BigDecimal acc = out.big;
                for (int j = i + 1; j < to; j++) {
                    acc = acc.add(BigDecimal.valueOf(v[j], scale));
                }
                out.set(acc);
                alignScale(out, scale);
                return;
            }
        }
    }

    public static void add(Dec a, Dec b, Dec out) {
        if (a.big == null && b.big == null) {
            add(a.unscaled, a.scale, b.unscaled, b.scale, out);
        } else {
            out.set(a.toBigDecimal().add(b.toBigDecimal()));
            alignScale(out, Math.max(a.scale, b.scale));
        }
    }

    public static void add(long a, int sa, long b, int sb, Dec out) {
        if (sa == sb) {
            long r = a + b;
            if (((a ^ r) & (b ^ r)) < 0) {
                addSlow(a, sa, b, sb, false, out);
                return;
            }
            out.set(r, sa);
            return;
        }
        addAligned(a, sa, b, sb, false, out);
    }

    public static void subtract(Dec a, Dec b, Dec out) {
        if (a.big == null && b.big == null) {
            subtract(a.unscaled, a.scale, b.unscaled, b.scale, out);
        } else {
            out.set(a.toBigDecimal().subtract(b.toBigDecimal()));
            alignScale(out, Math.max(a.scale, b.scale));
        }
    }

    public static void subtract(long a, int sa, long b, int sb, Dec out) {
        if (sa == sb) {
            long r = a - b;
            if (((a ^ b) & (a ^ r)) < 0) {
                addSlow(a, sa, b, sb, true, out);
                return;
            }
            out.set(r, sa);
            return;
        }
        addAligned(a, sa, b, sb, true, out);
    }

    private static void addAligned(long a, int sa, long b, int sb, boolean negate, Dec out) {
        int s = Math.max(sa, sb);
        int da = s - sa;
        int db = s - sb;
        if (da < POW10.length && db < POW10.length) {
            long x = a * POW10[da];
            long y = b * POW10[db];
            if ((da == 0 || Math.multiplyHigh(a, POW10[da]) == (x >> 63))
                    && (db == 0 || Math.multiplyHigh(b, POW10[db]) == (y >> 63))) {
                long r = negate ? x - y : x + y;
                boolean overflow = negate ? ((x ^ y) & (x ^ r)) < 0 : ((x ^ r) & (y ^ r)) < 0;
                if (!overflow) {
                    out.set(r, s);
                    return;
                }
            }
        }
        addSlow(a, sa, b, sb, negate, out);
    }

    private static void addSlow(long a, int sa, long b, int sb, boolean negate, Dec out) {
        BigDecimal x = BigDecimal.valueOf(a, sa);
        BigDecimal y = BigDecimal.valueOf(b, sb);
        out.set(negate ? x.subtract(y) : x.add(y));
        alignScale(out, Math.max(sa, sb));
    }

    // ---------------------------------------------------------------- multiply

    /** True when {@code a * b} does not fit the long {@code product} (inline check of the fast path). */
    public static boolean multiplyOverflows(long a, long b, long product) {
        return Math.multiplyHigh(a, b) != (product >> 63);
    }

    public static int productScale(int sa, int sb) {
        return Math.min(sa + sb, Math.max(MAX_PRODUCT_SCALE, Math.max(sa, sb)));
    }

    public static void multiply(Dec a, Dec b, DecimalRounding rounding, Dec out) {
        if (a.big == null && b.big == null) {
            multiply(a.unscaled, a.scale, b.unscaled, b.scale, rounding, out);
        } else {
            multiplySlow(a.toBigDecimal(), b.toBigDecimal(), rounding, out);
        }
    }

    public static void multiply(long a, int sa, long b, int sb, DecimalRounding rounding, Dec out) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        int s = sa + sb;
        if (hi == (lo >> 63) && s <= MAX_PRODUCT_SCALE) {
            out.set(lo, s);
            return;
        }
        multiplySlow(BigDecimal.valueOf(a, sa), BigDecimal.valueOf(b, sb), rounding, out);
    }

    private static void multiplySlow(BigDecimal x, BigDecimal y, DecimalRounding rounding, Dec out) {
        int target = productScale(x.scale(), y.scale());
        out.set(x.multiply(y).setScale(target, rounding.mode));
        alignScale(out, target);
    }

    // ---------------------------------------------------------------- divide

    public static int quotientScale(int sa, int sb) {
        return Math.max(MIN_DIVISION_SCALE, Math.max(sa, sb));
    }

    /** Divides; the caller must have checked that the divisor is not zero. */
    public static void divide(Dec a, Dec b, DecimalRounding rounding, Dec out) {
        if (a.big == null && b.big == null) {
            divide(a.unscaled, a.scale, b.unscaled, b.scale, rounding, out);
        } else {
            divideSlow(a.toBigDecimal(), b.toBigDecimal(), rounding, out);
        }
    }

    public static void divide(long a, int sa, long b, int sb, DecimalRounding rounding, Dec out) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        int rs = quotientScale(sa, sb);
        int e = rs - sa + sb; // numerator exponent, always >= 0
        if (e < POW10.length && b != Long.MIN_VALUE && a != Long.MIN_VALUE) {
            long p = POW10[e];
            long n = a * p;
            if (Math.multiplyHigh(a, p) == (n >> 63)) {
                long q = n / b;
                long r = n - q * b;
                if (r != 0) {
                    long absR = Math.abs(r);
                    long absB = Math.abs(b);
                    long rest = absB - absR; // compare 2|r| with |b| without overflow
                    boolean up;
                    if (absR > rest) {
                        up = true;
                    } else if (absR == rest) {
                        up = rounding == DecimalRounding.HALF_UP || (q & 1) != 0;
                    } else {
                        up = false;
                    }
                    if (up) {
                        q += ((n ^ b) < 0) ? -1 : 1;
                    }
                }
                out.set(q, rs);
                return;
            }
        }
        divideSlow(BigDecimal.valueOf(a, sa), BigDecimal.valueOf(b, sb), rounding, out);
    }

    private static void divideSlow(BigDecimal x, BigDecimal y, DecimalRounding rounding, Dec out) {
        int rs = quotientScale(x.scale(), y.scale());
        out.set(x.divide(y, rs, rounding.mode));
        alignScale(out, rs);
    }

    // ---------------------------------------------------------------- remainder, negate, compare

    /** SQL {@code %}: sign follows the dividend, scale is the larger input scale; exact. */
    public static void remainder(Dec a, Dec b, Dec out) {
        if (a.big == null && b.big == null && a.scale == b.scale) {
            if (b.unscaled == 0) {
                throw new ArithmeticException("division by zero");
            }
            if (!(a.unscaled == Long.MIN_VALUE && b.unscaled == -1)) {
                out.set(a.unscaled % b.unscaled, a.scale);
                return;
            }
        }
        BigDecimal y = b.toBigDecimal();
        if (y.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        out.set(a.toBigDecimal().remainder(y));
        alignScale(out, Math.max(a.scale, b.scale));
    }

    public static void negate(Dec a, Dec out) {
        if (a.big == null && a.unscaled != Long.MIN_VALUE) {
            out.set(-a.unscaled, a.scale);
        } else {
            out.set(a.toBigDecimal().negate());
            alignScale(out, a.scale);
        }
    }

    public static int compare(Dec a, Dec b) {
        if (a.big == null && b.big == null) {
            return compare(a.unscaled, a.scale, b.unscaled, b.scale);
        }
        return a.toBigDecimal().compareTo(b.toBigDecimal());
    }

    public static int compare(long a, int sa, long b, int sb) {
        if (sa == sb) {
            return Long.compare(a, b);
        }
        int s = Math.max(sa, sb);
        int da = s - sa;
        int db = s - sb;
        if (da < POW10.length && db < POW10.length) {
            long x = a * POW10[da];
            long y = b * POW10[db];
            if (Math.multiplyHigh(a, POW10[da]) == (x >> 63) && Math.multiplyHigh(b, POW10[db]) == (y >> 63)) {
                return Long.compare(x, y);
            }
        }
        return BigDecimal.valueOf(a, sa).compareTo(BigDecimal.valueOf(b, sb));
    }

    // ---------------------------------------------------------------- rescale

    /**
     * Rescales {@code v} in place to {@code newScale}, rounding when the scale shrinks.
     */
    public static void rescale(Dec v, int newScale, DecimalRounding rounding) {
        if (v.scale == newScale) {
            return;
        }
        if (v.big == null) {
            if (newScale > v.scale) {
                int d = newScale - v.scale;
                if (d < POW10.length) {
                    long r = v.unscaled * POW10[d];
                    if (Math.multiplyHigh(v.unscaled, POW10[d]) == (r >> 63)) {
                        v.set(r, newScale);
                        return;
                    }
                }
            } else {
                int d = v.scale - newScale;
                if (d < POW10.length) {
                    long p = POW10[d];
                    long q = v.unscaled / p;
                    long r = v.unscaled - q * p;
                    if (r != 0) {
                        long absR = Math.abs(r);
                        long rest = p - absR;
                        boolean up = absR > rest
                                || (absR == rest && (rounding == DecimalRounding.HALF_UP || (q & 1) != 0));
                        if (up) {
                            q += v.unscaled < 0 ? -1 : 1;
                        }
                    }
                    v.set(q, newScale);
                    return;
                }
            }
        }
        v.set(v.toBigDecimal().setScale(newScale, rounding.mode));
        alignScale(v, newScale);
    }

    /** Number of significant integer+fraction digits (the SQL precision of this value). */
    public static int precision(Dec v) {
        if (v.big != null) {
            return v.big.precision();
        }
        long u = Math.abs(v.unscaled);
        if (u < 0) {
            return 19;
        }
        return Math.max(digitCount(u), v.scale);
    }

    /** Decimal digits in a non-negative long (1 for zero). */
    public static int digitCount(long u) {
        int digits = 1;
        while (digits < POW10.length && u >= POW10[digits]) {
            digits++;
        }
        return digits;
    }

    /** After a BigDecimal result whose trailing zeros may have been dropped, restore the rule's scale. */
    private static void alignScale(Dec out, int scale) {
        if (out.scale != scale) {
            out.set(out.toBigDecimal().setScale(scale, java.math.RoundingMode.UNNECESSARY));
        }
    }

    // ---------------------------------------------------------------- square root (for STDDEV)

    public static void sqrt(Dec v, int scale, DecimalRounding rounding, Dec out) {
        BigDecimal x = v.toBigDecimal();
        BigDecimal r = x.sqrt(new MathContext(x.precision() + scale + 2)).setScale(scale, rounding.mode);
        out.set(r);
        alignScale(out, scale);
    }

    // ---------------------------------------------------------------- text

    /**
     * Parses a plain or exponent-notation decimal from {@code text[start, end)} exactly, without going
     * through a double. Returns false when the text is not a number.
     */
    public static boolean parse(CharSequence text, int start, int end, Dec out) {
        int i = start;
        if (i >= end) {
            return false;
        }
        boolean negative = false;
        char c = text.charAt(i);
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long u = 0;
        int digits = 0;
        int scale = 0;
        boolean dot = false;
        boolean any = false;
        for (; i < end; i++) {
            c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                any = true;
                if (u != 0 || c != '0') {
                    digits++;
                }
                if (digits > 18) {
                    return parseSlow(text, start, end, out);
                }
                u = u * 10 + (c - '0');
                if (dot) {
                    scale++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (c == 'e' || c == 'E') {
                return any && parseSlow(text, start, end, out);
            } else {
                return false;
            }
        }
        if (!any || scale > MAX_SCALE) {
            return false;
        }
        out.set(negative ? -u : u, scale);
        return true;
    }

    public static boolean parse(CharSequence text, Dec out) {
        return parse(text, 0, text.length(), out);
    }

    private static boolean parseSlow(CharSequence text, int start, int end, Dec out) {
        try {
            BigDecimal b = new BigDecimal(text.subSequence(start, end).toString());
            // an exponent like 1e999999999 would make Dec.set build a billion-digit integer: a value
            // with more integer digits than any DECIMAL holds is no decimal input (plain digits keep their
            // 22003 "does not fit": their length is bounded by the input's)
            if (b.scale() > MAX_SCALE || b.scale() < 0 && b.precision() - (long) b.scale() > io.velo.types.DataType.MAX_PRECISION) {
                return false;
            }
            out.set(b);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Appends the plain text form, keeping the scale ({@code -0.50}, {@code 150.2500}). */
    public static void appendTo(StringBuilder sb, Dec v) {
        if (v.big != null) {
            sb.append(v.big.toPlainString());
        } else {
            appendTo(sb, v.unscaled, v.scale);
        }
    }

    public static void appendTo(StringBuilder sb, long unscaled, int scale) {
        if (scale == 0) {
            sb.append(unscaled);
            return;
        }
        if (unscaled == Long.MIN_VALUE) {
            sb.append(BigDecimal.valueOf(unscaled, scale).toPlainString());
            return;
        }
        long abs = Math.abs(unscaled);
        if (unscaled < 0) {
            sb.append('-');
        }
        if (scale < POW10.length) {
            long p = POW10[scale];
            sb.append(abs / p).append('.');
            long frac = abs % p;
            int len = digitCount(frac);
            for (int k = len; k < scale; k++) {
                sb.append('0');
            }
            sb.append(frac);
        } else {
            sb.append(BigDecimal.valueOf(abs, scale).toPlainString());
        }
    }

    public static String toString(long unscaled, int scale) {
        StringBuilder sb = new StringBuilder(24);
        appendTo(sb, unscaled, scale);
        return sb.toString();
    }
}
