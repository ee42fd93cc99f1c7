package io.velo.types.decimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link DecimalMath} against {@link BigDecimal} over a million random operations drawn to
 * hit the interesting places: mixed scales, values between -1 and 0, the 64-bit boundaries and
 * division remainders at exactly one half.
 */
class DecimalMathPropertyTest {
    private static final int OPERATIONS = 1_000_000;

    private final SplittableRandom random = new SplittableRandom(0x5EED_2026L);

    private long randomUnscaled() {
        switch (random.nextInt(8)) {
            case 0: return random.nextLong();                                   // anywhere, overflow-prone
            case 1: return Long.MAX_VALUE - random.nextInt(1000);               // upper boundary
            case 2: return Long.MIN_VALUE + random.nextInt(1000);               // lower boundary
            case 3: return random.nextLong(-999, 1000);                         // tiny, incl. -1 < v < 0
            case 4: return random.nextLong(-1_000_000_000L, 1_000_000_000L);
            case 5: return random.nextBoolean() ? 5 : -5;                       // half-way remainders
            case 6: return (random.nextBoolean() ? 1 : -1) * DecimalMath.pow10(random.nextInt(19)) / 2;
            default: return random.nextLong(-100_000_000_000_000L, 100_000_000_000_000L);
        }
    }

    private int randomScale() {
        return random.nextInt(10) < 8 ? random.nextInt(7) : random.nextInt(19);
    }

    @Test
    void millionRandomOperationsAgreeWithBigDecimal() {
        Dec a = new Dec();
        Dec b = new Dec();
        Dec out = new Dec();
        int promoted = 0;
        for (int i = 0; i < OPERATIONS; i++) {
            a.set(randomUnscaled(), randomScale());
            b.set(randomUnscaled(), randomScale());
            DecimalRounding rounding = random.nextBoolean() ? DecimalRounding.HALF_UP : DecimalRounding.HALF_EVEN;
            BigDecimal x = a.toBigDecimal();
            BigDecimal y = b.toBigDecimal();
            BigDecimal expected;
            int op = random.nextInt(6);
            switch (op) {
                case 0:
                    DecimalMath.add(a, b, out);
                    expected = x.add(y).setScale(Math.max(a.scale, b.scale));
                    break;
                case 1:
                    DecimalMath.subtract(a, b, out);
                    expected = x.subtract(y).setScale(Math.max(a.scale, b.scale));
                    break;
                case 2:
                    DecimalMath.multiply(a, b, rounding, out);
                    expected = x.multiply(y).setScale(DecimalMath.productScale(a.scale, b.scale), rounding.mode);
                    break;
                case 3:
                    if (y.signum() == 0) {
                        continue;
                    }
                    DecimalMath.divide(a, b, rounding, out);
                    expected = x.divide(y, Math.max(6, Math.max(a.scale, b.scale)), rounding.mode);
                    break;
                case 4:
                    assertEquals(x.compareTo(y), DecimalMath.compare(a, b), () -> "compare " + x + " " + y);
                    continue;
                default:
                    int target = randomScale();
                    out.set(a);
                    DecimalMath.rescale(out, target, rounding);
                    expected = x.setScale(target, rounding.mode);
                    break;
            }
            if (out.isPromoted()) {
                promoted++;
            }
            final BigDecimal exp = expected;
            final int opFinal = op;
            assertEquals(exp, out.toBigDecimal(), () -> "op " + opFinal + " on " + x + ", " + y);
            assertEquals(exp.toPlainString(), out.toString(), () -> "text of op " + opFinal + " on " + x + ", " + y);
        }
        assertTrue(promoted > 10_000, "the generator must exercise the overflow promotion path, saw " + promoted);
    }

    @Test
    void batchSumIsExactWithAndWithoutOverflow() {
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + random.nextInt(300);
            long[] v = new long[n];
            BigDecimal expected = BigDecimal.ZERO.setScale(3);
            boolean large = round % 3 == 0;
            for (int i = 0; i < n; i++) {
                v[i] = large ? random.nextLong() : random.nextLong(-1_000_000_000L, 1_000_000_000L);
                expected = expected.add(BigDecimal.valueOf(v[i], 3));
            }
            Dec out = new Dec();
            DecimalMath.sum(v, 0, n, 3, out);
            assertEquals(expected, out.toBigDecimal());
        }
    }

    @Test
    void formatsValuesBetweenMinusOneAndZeroWithTheirSign() {
        assertEquals("-0.50", new Dec().set(-50, 2).toString());
        assertEquals("-0.0001", new Dec().set(-1, 4).toString());
        assertEquals("150.2500", new Dec().set(1502500, 4).toString());
        assertEquals("-92233720368547758.08", new Dec().set(Long.MIN_VALUE, 2).toString());
    }

    @Test
    void divisionIsNotOffByAPowerOfTen() {
        Dec out = new Dec();
        DecimalMath.divide(1000, 2, 400, 2, DecimalRounding.HALF_UP, out); // 10.00 / 4.00
        assertEquals(new BigDecimal("2.500000"), out.toBigDecimal());
        DecimalMath.divide(1, 0, 3, 0, DecimalRounding.HALF_UP, out);
        assertEquals(new BigDecimal("0.333333"), out.toBigDecimal());
        DecimalMath.divide(-1, 0, 8, 0, DecimalRounding.HALF_UP, out);     // -0.125 exactly at scale 6
        assertEquals(new BigDecimal("-0.125000"), out.toBigDecimal());
        DecimalMath.divide(1, 0, 2_000_000, 0, DecimalRounding.HALF_EVEN, out); // 0.0000005 -> 0.000000 (even)
        assertEquals(new BigDecimal("0.000000"), out.toBigDecimal());
        DecimalMath.divide(1, 0, 2_000_000, 0, DecimalRounding.HALF_UP, out);
        assertEquals(new BigDecimal("0.000001"), out.toBigDecimal());
        assertThrows(ArithmeticException.class, () -> DecimalMath.divide(1, 0, 0, 0, DecimalRounding.HALF_UP, new Dec()));
    }

    @Test
    void multiplicationPromotesInsteadOfWrapping() {
        Dec out = new Dec();
        DecimalMath.multiply(Long.MAX_VALUE, 0, 10, 0, DecimalRounding.HALF_UP, out);
        assertTrue(out.isPromoted());
        assertEquals(BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.TEN), out.toBigDecimal());
        DecimalMath.subtract(out, new Dec().set(Long.MAX_VALUE, 0), out);
        assertEquals(BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.valueOf(9)), out.toBigDecimal());
    }

    @Test
    void parsesExactlyFromText() {
        Dec d = new Dec();
        assertTrue(DecimalMath.parse("0.1", d));
        assertEquals(new BigDecimal("0.1"), d.toBigDecimal());
        assertTrue(DecimalMath.parse("-123456789012345678901234.5678", d));
        assertTrue(d.isPromoted());
        assertEquals(new BigDecimal("-123456789012345678901234.5678"), d.toBigDecimal());
        assertTrue(DecimalMath.parse("1.5e3", d));
        assertEquals(0, new BigDecimal("1500").compareTo(d.toBigDecimal()));
        assertTrue(!DecimalMath.parse("12a", d));
        assertTrue(!DecimalMath.parse("", d));
        assertTrue(!DecimalMath.parse("-", d));
        assertTrue(DecimalMath.parse("2.50", d));
        assertEquals("2.50", d.toString(), "the scale written is kept");
        DecimalMath.rescale(d, 1, DecimalRounding.HALF_UP);
        assertEquals("2.5", d.toString());
        assertTrue(DecimalMath.parse("-2.25", d));
        DecimalMath.rescale(d, 1, DecimalRounding.HALF_UP);
        assertEquals("-2.3", d.toString(), "half up rounds away from zero");
        assertTrue(DecimalMath.parse("-2.25", d));
        DecimalMath.rescale(d, 1, DecimalRounding.HALF_EVEN);
        assertEquals("-2.2", d.toString());
    }
}
