package io.velo.harness.gate;

import java.util.Arrays;

/**
 * The gate's statistics: the one-sided Mann–Whitney U (Wilcoxon rank-sum) test, the Hodges–Lehmann
 * shift estimate, medians.
 *
 * <p>Why a rank test: benchmark repetitions on a shared machine are not normal — they have long upper
 * tails (a GC or a neighbour's build) — and a rank test is not dragged by one wild repetition the way a
 * t-test is. The exact null distribution is computed for small samples (the usual 3–10 repetitions,
 * where normal approximations are poor) by counting, with dynamic programming, the subsets of the
 * pooled (mid)ranks by their sum; this is the exact permutation distribution even with ties. Large
 * samples (JMH iterations) use the normal approximation with tie correction and continuity correction.
 */
public final class Statistics {
    /** Up to this many pooled observations the p-value is exact. */
    public static final int EXACT_MAX_TOTAL = 80;

    private Statistics() {
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** U of {@code y}: the pairs with {@code y_j > x_i}, ties counting one half. */
    public static double uStatistic(double[] x, double[] y) {
        double u = 0;
        for (double xi : x) {
            for (double yj : y) {
                if (yj > xi) {
                    u += 1;
                } else if (yj == xi) {
                    u += 0.5;
                }
            }
        }
        return u;
    }

    /**
     * One-sided p-value for the alternative "{@code y} tends to be larger than {@code x}":
     * P(U ≥ U observed) under the null hypothesis that both samples come from one distribution.
     */
    public static double pGreater(double[] x, double[] y) {
        return pGreater(x, y, x.length + y.length <= EXACT_MAX_TOTAL);
    }

    /** As {@link #pGreater(double[], double[])}, choosing the exact distribution or the normal approximation. */
    static double pGreater(double[] x, double[] y, boolean exact) {
        check(x, y);
        int n = x.length + y.length;
        double[] pooled = new double[n];
        System.arraycopy(x, 0, pooled, 0, x.length);
        System.arraycopy(y, 0, pooled, x.length, y.length);
        long[] twiceRanks = twiceMidranks(pooled);
        long observed = 0; // twice the rank sum of y
        for (int i = x.length; i < n; i++) {
            observed += twiceRanks[i];
        }
        if (exact) {
            return exactUpperTail(twiceRanks, y.length, observed);
        }
        return normalUpperTail(twiceRanks, x.length, y.length, observed);
    }

    /** One-sided p-value for the alternative "{@code y} tends to be smaller than {@code x}". */
    public static double pLess(double[] x, double[] y) {
        return pGreater(negate(x), negate(y));
    }

    /** The smallest one-sided p-value samples of these sizes can reach (no ties): 1 / C(n1+n2, n1). */
    public static double minimumPValue(int n1, int n2) {
        if (n1 == 0 || n2 == 0) {
            return 1.0;
        }
        double c = 1;
        int k = Math.min(n1, n2);
        int n = n1 + n2;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return 1.0 / c;
    }

    /** The Hodges–Lehmann estimate of the shift {@code y − x}: the median of all pairwise differences. */
    public static double hodgesLehmann(double[] x, double[] y) {
        check(x, y);
        double[] d = new double[x.length * y.length];
        int k = 0;
        for (double xi : x) {
            for (double yj : y) {
                d[k++] = yj - xi;
            }
        }
        return median(d);
    }

    private static void check(double[] x, double[] y) {
        if (x.length == 0 || y.length == 0) {
            throw new IllegalArgumentException("both samples need at least one value (got " + x.length + " and " + y.length + ")");
        }
        for (double v : x) {
            checkFinite(v);
        }
        for (double v : y) {
            checkFinite(v);
        }
    }

    private static void checkFinite(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
    }

    private static double[] negate(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = -a[i];
        }
        return r;
    }

    /** Twice the midrank of each value (midranks are multiples of 1/2, so these are integers). */
    static long[] twiceMidranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        long[] r = new long[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            long twice = (i + 1) + (j + 1); // ranks i+1..j+1 share their mean
            for (int k = i; k <= j; k++) {
                r[order[k]] = twice;
            }
            i = j + 1;
        }
        return r;
    }

    /**
     * P(sum of m ranks drawn without replacement ≥ observed) by counting subsets: ways[j][s] is the
     * number of j-subsets of the ranks seen so far whose (doubled) ranks add up to s. Counts are
     * doubles: C(80, 40) ≈ 1e23 is beyond a long, and only their ratio matters.
     */
    private static double exactUpperTail(long[] twiceRanks, int m, long observed) {
        int maxSum = 0;
        for (long r : twiceRanks) {
            maxSum += (int) r;
        }
        double[][] ways = new double[m + 1][maxSum + 1];
        ways[0][0] = 1;
        int seen = 0;
        for (long r : twiceRanks) {
            int ri = (int) r;
            seen += ri;
            for (int j = m; j >= 1; j--) {
                double[] to = ways[j];
                double[] from = ways[j - 1];
                for (int s = seen; s >= ri; s--) {
                    to[s] += from[s - ri];
                }
            }
        }
        double total = 0;
        double tail = 0;
        for (int s = 0; s <= maxSum; s++) {
            total += ways[m][s];
            if (s >= observed) {
                tail += ways[m][s];
            }
        }
        return Math.min(1.0, tail / total);
    }

    /** Normal approximation of the same tail, with the tie-corrected variance and a continuity correction. */
    private static double normalUpperTail(long[] twiceRanks, int n1, int n2, long observedTwice) {
        int n = n1 + n2;
        double rankSum = observedTwice / 2.0;
        double mean = n2 * (n + 1) / 2.0;
        // tie correction: sum over tie groups of (t^3 - t)
        long[] sorted = twiceRanks.clone();
        Arrays.sort(sorted);
        double ties = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1;
            ties += t * t * t - t;
            i = j + 1;
        }
        double variance = n1 * (double) n2 / 12.0 * ((n + 1) - ties / ((double) n * (n - 1)));
        if (variance <= 0) {
            return rankSum >= mean ? 1.0 : 0.0; // every value equal: no evidence either way
        }
        double z = (rankSum - mean - 0.5) / Math.sqrt(variance);
        return upperNormalTail(z);
    }

    /** P(Z ≥ z) for a standard normal Z. */
    static double upperNormalTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
