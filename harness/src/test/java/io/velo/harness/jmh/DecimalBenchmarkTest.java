package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.Column;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decimal benchmarks compute what they claim: for every input shape the exact decimal paths agree
 * value for value with BigDecimal, and the near-overflow shape does reach the promotion paths.
 */
class DecimalBenchmarkTest {
    private static DecimalBenchmark bench(String shape) {
        DecimalBenchmark b = new DecimalBenchmark();
        b.shape = shape;
        b.setup();
        return b;
    }

    private static BigDecimal value(Column c, int row) {
        Dec d = new Dec();
        c.getDecimal(row, d);
        return d.toBigDecimal();
    }

    private static void assertSameValue(BigDecimal expected, BigDecimal actual, String what) {
        assertEquals(0, expected.compareTo(actual), what + ": " + actual + " instead of " + expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"positive", "mixed_signs", "mixed_scales", "near_overflow"})
    void exactPathsAgreeWithBigDecimal(String shape) {
        DecimalBenchmark b = bench(shape);
        BigDecimal[] sums = b.addBigDecimalColumns().clone();
        Column c = b.addDecimalColumns();
        for (int i = 0; i < DecimalBenchmark.N; i++) {
            assertSameValue(sums[i], value(c, i), shape + " add row " + i);
        }
        BigDecimal[] products = b.multiplyBigDecimalColumns().clone();
        c = b.multiplyDecimalColumns();
        for (int i = 0; i < DecimalBenchmark.N; i++) {
            assertSameValue(products[i], value(c, i), shape + " multiply row " + i);
        }
        BigDecimal total = b.sumBigDecimal();
        assertSameValue(total, b.sumDecimal().toBigDecimal(), shape + " sumDecimal");
        assertSameValue(total, b.sumDecimalRegister().toBigDecimal(), shape + " sumDecimalRegister");
        assertSameValue(total, b.sumDecimalBatch().toBigDecimal(), shape + " sumDecimalBatch");

        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        b.addDecimal(bh);
        b.addDecimalRegister(bh);
        b.multiplyDecimal(bh);
        b.multiplyDecimalRegister(bh);
    }

    @Test
    void nearOverflowReachesThePromotionPathsAndTheOtherShapesDoNot() {
        DecimalBenchmark near = bench("near_overflow");
        assertTrue(near.addDecimalColumns().anyBig, "no add overflowed");
        assertTrue(near.multiplyDecimalColumns().anyBig, "no product overflowed");
        assertTrue(near.sumDecimal().isPromoted(), "the sum did not overflow");
        for (String shape : new String[] {"positive", "mixed_signs", "mixed_scales"}) {
            DecimalBenchmark b = bench(shape);
            assertTrue(!b.addDecimalColumns().anyBig && !b.multiplyDecimalColumns().anyBig && !b.sumDecimal().isPromoted(), shape);
        }
        assertTrue(bench("mixed_signs").sumDecimal().signum() != 0);
    }
}
