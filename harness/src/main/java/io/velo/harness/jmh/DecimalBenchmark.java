package io.velo.harness.jmh;

import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Exact decimal arithmetic (unscaled long + scale, {@link DecimalMath}) against {@link BigDecimal},
 * {@code double} and raw {@code long}, on the same 1,024 prices (scale 4) and quantities. Each
 * benchmark is one operation per element ({@code @OperationsPerInvocation}), results go to a
 * Blackhole, inputs are non-final state so nothing is constant-folded. Figures: ns per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecimalBenchmark {
    static final int N = 1024;

    long[] priceUnscaled;
    long[] qtyUnscaled;
    int scale = 4;
    BigDecimal[] priceBig;
    BigDecimal[] qtyBig;
    double[] priceDouble;
    double[] qtyDouble;
    long[] sums;
    Dec a;
    Dec b;
    Dec out;
    DecimalRounding rounding = DecimalRounding.HALF_UP;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        priceUnscaled = new long[N];
        qtyUnscaled = new long[N];
        priceBig = new BigDecimal[N];
        qtyBig = new BigDecimal[N];
        priceDouble = new double[N];
        qtyDouble = new double[N];
        for (int i = 0; i < N; i++) {
            priceUnscaled[i] = 1_000_000L + r.nextInt(1_000_000);
            qtyUnscaled[i] = (1 + r.nextInt(1000)) * 10_000L;
            priceBig[i] = BigDecimal.valueOf(priceUnscaled[i], 4);
            qtyBig[i] = BigDecimal.valueOf(qtyUnscaled[i], 4);
            priceDouble[i] = priceUnscaled[i] / 10_000.0;
            qtyDouble[i] = qtyUnscaled[i] / 10_000.0;
        }
        sums = new long[N];
        a = new Dec();
        b = new Dec();
        out = new Dec();
    }

    // ---------------------------------------------------------------- add

    /** Same-scale add as the engine's hot paths do it: two longs plus the inline overflow check. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void addDecimal(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        final int s = scale;
        for (int i = 0; i < N; i++) {
            long x = p[i];
            long y = q[i];
            long r = x + y;
            if (DecimalMath.addOverflows(x, y, r)) {
                DecimalMath.add(x, s, y, s, out);
                bh.consume(out);
            } else {
                bh.consume(r);
            }
        }
    }

    /** The general register API (any scales, promotion handled inside): what expression evaluators call. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void addDecimalRegister(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        final int s = scale;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            DecimalMath.add(p[i], s, q[i], s, o);
            bh.consume(o.unscaled);
        }
    }

    /** Column add kernel: a branch-free loop with an OR-ed overflow flag (the batch form of add). */
    @Benchmark
    @OperationsPerInvocation(N)
    public long[] addDecimalColumns() {
        if (!DecimalMath.addColumns(priceUnscaled, qtyUnscaled, sums, N)) {
            throw new IllegalStateException("unexpected overflow");
        }
        return sums;
    }

    /** The same element-wise add on raw longs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long[] addLongColumns() {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        final long[] o = sums;
        for (int i = 0; i < N; i++) {
            o[i] = p[i] + q[i];
        }
        return o;
    }

    /** Mixed scales (4 + 2): one operand is aligned by a power of ten first. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void addDecimalMixedScale(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            DecimalMath.add(p[i], 4, q[i], 2, o);
            bh.consume(o.unscaled);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void addBigDecimal(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(priceBig[i].add(qtyBig[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void addDouble(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(priceDouble[i] + qtyDouble[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void addLong(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i] + q[i]);
        }
    }

    // ---------------------------------------------------------------- multiply (price × quantity)

    /** Price × quantity on the fast path: scales add (4 + 4 ≤ 18), one long multiply plus the overflow check. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyDecimal(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        final int s = scale;
        for (int i = 0; i < N; i++) {
            long x = p[i];
            long y = q[i];
            long r = x * y;
            if (DecimalMath.multiplyOverflows(x, y, r) || s + s > DecimalMath.MAX_PRODUCT_SCALE) {
                DecimalMath.multiply(x, s, y, s, rounding, out);
                bh.consume(out);
            } else {
                bh.consume(r);
            }
        }
    }

    /** The register API for multiplication (what expression evaluators call). */
    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyDecimalRegister(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        final int s = scale;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            DecimalMath.multiply(p[i], s, q[i], s, rounding, o);
            bh.consume(o.unscaled);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyBigDecimal(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(priceBig[i].multiply(qtyBig[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyDouble(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(priceDouble[i] * qtyDouble[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyLong(Blackhole bh) {
        final long[] p = priceUnscaled;
        final long[] q = qtyUnscaled;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i] * q[i]);
        }
    }

    // ---------------------------------------------------------------- running sum (SUM aggregate)

    /** The SUM aggregate's fast path: a long accumulator at the column's scale with the overflow check. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object sumDecimal() {
        final long[] p = priceUnscaled;
        final int s = scale;
        long acc = 0;
        for (int i = 0; i < N; i++) {
            long x = p[i];
            long r = acc + x;
            if (DecimalMath.addOverflows(acc, x, r)) {
                return sumSlow(acc, i);
            }
            acc = r;
        }
        return acc;
    }

    private Object sumSlow(long acc, int from) {
        Dec a = new Dec().set(acc, scale);
        for (int i = from; i < N; i++) {
            DecimalMath.add(a.unscaled, a.scale, priceUnscaled[i], scale, a);
        }
        return a.toBigDecimal();
    }

    /** Batch kernel: a bounds pass proves no overflow is possible, then a plain (vectorisable) sum. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long sumDecimalBatch() {
        DecimalMath.sum(priceUnscaled, 0, N, scale, out);
        return out.unscaled;
    }

    /** Running sum through the register API. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long sumDecimalRegister() {
        final long[] p = priceUnscaled;
        final int s = scale;
        final Dec acc = out;
        acc.set(0, s);
        for (int i = 0; i < N; i++) {
            DecimalMath.add(acc.unscaled, acc.scale, p[i], s, acc);
        }
        return acc.unscaled;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public BigDecimal sumBigDecimal() {
        BigDecimal acc = BigDecimal.ZERO;
        for (int i = 0; i < N; i++) {
            acc = acc.add(priceBig[i]);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double sumDouble() {
        double acc = 0;
        for (int i = 0; i < N; i++) {
            acc += priceDouble[i];
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long sumLong() {
        final long[] p = priceUnscaled;
        long acc = 0;
        for (int i = 0; i < N; i++) {
            acc += p[i];
        }
        return acc;
    }
}
