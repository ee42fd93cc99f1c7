package io.velo.harness.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatisticsTest {
    private static final double EPS = 1e-12;

    @Test
    void medians() {
        assertEquals(2.0, Statistics.median(new double[] {3, 1, 2}), EPS);
        assertEquals(2.5, Statistics.median(new double[] {4, 1, 3, 2}), EPS);
        assertEquals(7.0, Statistics.median(new double[] {7}), EPS);
        assertThrows(IllegalArgumentException.class, () -> Statistics.median(new double[0]));
    }

    @Test
    void completeSeparationGivesOneOverTheNumberOfArrangements() {
        // 3 vs 3 fully separated: only 1 of C(6,3) = 20 rank arrangements is as extreme
        assertEquals(1.0 / 20, Statistics.pGreater(new double[] {1, 2, 3}, new double[] {4, 5, 6}), EPS);
        assertEquals(1.0, Statistics.pLess(new double[] {1, 2, 3}, new double[] {4, 5, 6}), EPS);
        assertEquals(1.0 / 20, Statistics.pLess(new double[] {4, 5, 6}, new double[] {1, 2, 3}), EPS);
        assertEquals(1.0 / 6, Statistics.pGreater(new double[] {1, 2}, new double[] {3, 4}), EPS);
        assertEquals(1.0 / 252, Statistics.pGreater(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}), EPS);
    }

    @Test
    void interleavedSamplesByHand() {
        // x = 1,3,5; y = 2,4,6: U_y = 1 + 2 + 3 = 6. The null frequencies of U for 3 vs 3 are
        // 1,1,2,3,3,3,3,2,1,1 (U = 0..9), so P(U >= 6) = (3+2+1+1)/20.
        double[] x = {1, 3, 5};
        double[] y = {2, 4, 6};
        assertEquals(6.0, Statistics.uStatistic(x, y), EPS);
        assertEquals(7.0 / 20, Statistics.pGreater(x, y), EPS);
        // P(U <= 6) = 1 - P(U >= 7) = 1 - 4/20
        assertEquals(16.0 / 20, Statistics.pLess(x, y), EPS);
    }

    @Test
    void tiesUseMidranksAndTheExactPermutationDistribution() {
        // pooled 1 | 2 2 2 | 3 3 -> midranks 1, 3,3,3, 5.5,5.5; y = {2,3,3} has rank sum 14.
        // Of the 20 three-subsets of {1,3,3,3,5.5,5.5} only {5.5,5.5,3} x3 reach 14: p = 3/20.
        double[] x = {1, 2, 2};
        double[] y = {2, 3, 3};
        assertArrayEquals(new long[] {2, 6, 6, 6, 11, 11}, Statistics.twiceMidranks(new double[] {1, 2, 2, 2, 3, 3}));
        assertEquals(3.0 / 20, Statistics.pGreater(x, y), EPS);
        assertEquals(8.0, Statistics.uStatistic(x, y), EPS); // 14 - 3*4/2
        // identical samples: no evidence either way
        assertEquals(1.0, Statistics.pGreater(new double[] {5, 5, 5}, new double[] {5, 5, 5}), EPS);
    }

    @Test
    void normalApproximationAgreesWithTheExactDistributionNearItsLimit() {
        Random r = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            double[] x = new double[40];
            double[] y = new double[40];
            for (int i = 0; i < 40; i++) {
                x[i] = Math.round(r.nextGaussian() * 10) / 10.0; // rounding makes ties
                y[i] = Math.round((r.nextGaussian() + 0.3) * 10) / 10.0;
            }
            double exact = Statistics.pGreater(x, y, true);
            double normal = Statistics.pGreater(x, y, false);
            assertEquals(exact, normal, 0.01, "exact " + exact + " vs normal " + normal);
        }
    }

    @Test
    void standardNormalTail() {
        assertEquals(0.025, Statistics.upperNormalTail(1.959964), 1e-6);
        assertEquals(0.5, Statistics.upperNormalTail(0), 1e-7);
        assertEquals(0.8413447, Statistics.upperNormalTail(-1), 1e-6);
    }

    @Test
    void minimumPValues() {
        assertEquals(1.0 / 6, Statistics.minimumPValue(2, 2), EPS);
        assertEquals(1.0 / 20, Statistics.minimumPValue(3, 3), EPS);
        assertEquals(1.0 / 35, Statistics.minimumPValue(3, 4), EPS);
        assertEquals(1.0 / 252, Statistics.minimumPValue(5, 5), EPS);
        assertEquals(0.5, Statistics.minimumPValue(1, 1), EPS);
    }

    @Test
    void hodgesLehmannIsTheMedianOfPairwiseDifferences() {
        // differences y - x: 1,3,5, 0,2,4, -1,1,3 -> sorted -1,0,1,1,2,3,3,4,5 -> 2
        assertEquals(2.0, Statistics.hodgesLehmann(new double[] {1, 2, 3}, new double[] {2, 4, 6}), EPS);
        assertEquals(-10.0, Statistics.hodgesLehmann(new double[] {20, 21, 22}, new double[] {10, 11, 12}), EPS);
    }

    @Test
    void rejectsEmptyAndNonFiniteSamples() {
        assertThrows(IllegalArgumentException.class, () -> Statistics.pGreater(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Statistics.pGreater(new double[] {Double.NaN}, new double[] {1}));
    }

    @Test
    void pValueOfASmallShiftIsNotSignificantButALargeOneIs() {
        assertTrue(Statistics.pGreater(new double[] {10, 11, 12, 13, 14}, new double[] {10.5, 11.5, 12.5, 13.5, 14.5}) > 0.2);
        assertTrue(Statistics.pGreater(new double[] {10, 11, 12, 13, 14}, new double[] {14.5, 15, 16, 17, 18}) < 0.01);
    }
}
