package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.Column;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The engine's compiled expressions and the hand-written loops compute the same answer, which BigDecimal confirms. */
class ExpressionBenchmarkTest {
    private static ExpressionBenchmark bench() {
        ExpressionBenchmark b = new ExpressionBenchmark();
        b.setup();
        return b;
    }

    @Test
    void theFilterSelectsTheSameRowsEveryWay() {
        ExpressionBenchmark b = bench();
        int expected = 0;
        int[] rows = new int[ExpressionBenchmark.N];
        for (int i = 0; i < ExpressionBenchmark.N; i++) {
            BigDecimal notional = BigDecimal.valueOf(b.data.price[i], 4).multiply(BigDecimal.valueOf(b.data.quantity[i]));
            if (notional.compareTo(BigDecimal.valueOf(100_000)) > 0 && b.data.side[i].equals("BUY")) {
                rows[expected++] = i;
            }
        }
        int[] want = Arrays.copyOf(rows, expected);
        assertTrue(expected > 50 && expected < ExpressionBenchmark.N / 2, "the filter should keep a real share of the rows: " + expected);

        int k = b.filterEngine();
        assertArrayEquals(want, Arrays.copyOf(b.selected, k), "engine batch predicate");
        Arrays.fill(b.selected, -1);
        k = b.filterRowEvaluator();
        assertArrayEquals(want, Arrays.copyOf(b.selected, k), "engine row evaluator");
        Arrays.fill(b.selected, -1);
        k = b.filterHandWritten();
        assertArrayEquals(want, Arrays.copyOf(b.selected, k), "hand-written");
        // a second call over the same batch gives the same answer (no state carried over)
        assertEquals(expected, b.filterEngine());
    }

    @Test
    void theCaseGivesTheSameValuesAsTheHandWrittenLoopAndBigDecimal() {
        ExpressionBenchmark b = bench();
        Column engine = b.caseEngine();
        long[] hand = b.caseHandWritten();
        Dec d = new Dec();
        int[] branches = new int[3];
        for (int i = 0; i < ExpressionBenchmark.N; i++) {
            BigDecimal price = BigDecimal.valueOf(b.data.price[i], 4);
            long q = b.data.quantity[i];
            BigDecimal want = q >= 500 ? price.multiply(BigDecimal.valueOf(q)) : b.data.side[i].equals("BUY") ? price : BigDecimal.ZERO;
            branches[q >= 500 ? 0 : b.data.side[i].equals("BUY") ? 1 : 2]++;
            assertTrue(!engine.isNull(i), "row " + i + " is NULL");
            engine.getDecimal(i, d);
            assertEquals(0, want.compareTo(d.toBigDecimal()), "engine row " + i + ": " + d.toBigDecimal() + " instead of " + want);
            assertEquals(0, want.compareTo(BigDecimal.valueOf(hand[i], 4)), "hand-written row " + i);
        }
        for (int n : branches) {
            assertTrue(n > 100, "every CASE branch is taken often: " + Arrays.toString(branches));
        }
    }
}
