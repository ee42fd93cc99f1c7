package io.velo.harness.scenario;

/**
 * Zipf-distributed ranks 1..n with exponent s by rejection-inversion (Hörmann and Derflinger, "Rejection-
 * inversion to generate variates from monotone discrete distributions", 1996): O(1) per sample and no
 * table, so a key space of millions costs nothing to set up. Rank k has probability ∝ k^−s.
 */
final class Zipf {
    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double squeeze;

    Zipf(long n, double s) {
        if (n < 1 || !(s > 0)) {
            throw new IllegalArgumentException("zipf needs n ≥ 1 and exponent > 0");
        }
        this.n = n;
        this.s = s;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2));
    }

    /** A rank in 1..n; {@code uniform} supplies doubles in [0, 1) (called once per attempt). */
    long sample(RecordGenerator.Uniform uniform) {
        while (true) {
            double u = hIntegralN + uniform.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    /** H(x) = ∫ h, with h(x) = x^−s: (x^(1−s) − 1)/(1−s), computed stably near s = 1. */
    private double hIntegral(double x) {
        double logX = Math.log(x);
        return expm1OverX((1.0 - s) * logX) * logX;
    }

    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    private double hIntegralInverse(double x) {
        double t = x * (1.0 - s);
        if (t < -1.0) {
            t = -1.0; // rounding near the lower end; keeps log1p defined
        }
        return Math.exp(log1pOverX(t) * x);
    }

    private static double log1pOverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
    }

    private static double expm1OverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x));
    }
}
