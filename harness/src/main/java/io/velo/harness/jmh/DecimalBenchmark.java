package io.velo.harness.jmh;

import io.velo.batch.Column;
import io.velo.expr.vec.Failures;
import io.velo.expr.vec.VecCompiler;
import io.velo.expr.vec.VecExpr;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ArithmeticEval;
import io.velo.expr.eval.ColumnEval;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Exact decimal arithmetic (unscaled long + per-value scale, {@link DecimalMath}) against
 * {@link BigDecimal}, {@code double} and raw {@code long}, on 1,024 operand pairs. Figures: ns per
 * element ({@code @OperationsPerInvocation}).
 *
 * <p>Like is compared with like, in three families:
 * <ul>
 *   <li>per element ({@code add*}, {@code multiply*} without a suffix, {@code *Register}): one
 *       operation per element, each result sunk into the Blackhole;</li>
 *   <li>columns ({@code *Columns}): a whole column into an output column — the engine's projection
 *       path (its vector expression, {@link VecExpr}, which hands a row to the exact row path on
 *       overflow or an unexpected scale, as the engine does) against a {@code BigDecimal[]} loop, a {@code long[]} loop
 *       (unchecked: the floor) and a {@code double[]} loop;</li>
 *   <li>sums ({@code sum*}): a running sum is one loop however it is written; the result is returned.</li>
 * </ul>
 *
 * <p>{@link #shape} picks the inputs: {@code positive} (prices 100–200 and quantities at scale 4, the
 * common case), {@code mixed_signs}, {@code mixed_scales} (scales 0–6 per value: most rows take the exact path,
 * alignment on every add) and {@code near_overflow} (operands close enough to the 64-bit bound that a
 * share of the adds and products, and the running sum halfway through, overflow and are promoted to
 * BigDecimal). Inputs are non-final state so nothing is constant-folded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecimalBenchmark {
    static final int N = 1024;

    @Param({"positive", "mixed_signs", "mixed_scales", "near_overflow"})
    String shape;

    // operands of + and of ×, and the summands: unscaled values with a scale each, as engine columns hold them
    long[] addA;
    long[] addB;
    byte[] addAScale;
    byte[] addBScale;
    long[] mulA;
    long[] mulB;
    byte[] mulAScale;
    byte[] mulBScale;
    long[] sumV;
    byte[] sumScale;

    BigDecimal[] addABig;
    BigDecimal[] addBBig;
    BigDecimal[] mulABig;
    BigDecimal[] mulBBig;
    BigDecimal[] sumBig;
    BigDecimal[] bigOut;
    double[] addADouble;
    double[] addBDouble;
    double[] mulADouble;
    double[] mulBDouble;
    double[] sumDouble;
    double[] doubleOut;
    long[] longOut;

    /** Engine columns: a batch holding the operands, the vector expression and its row evaluator. */
    RecordBatch addBatch;
    RecordBatch mulBatch;
    VecExpr addKernel;
    VecExpr mulKernel;
    final Failures failures = new Failures();
    ArithmeticEval.Decimals addRow;
    ArithmeticEval.Decimals mulRow;
    Column columnOut;

    Dec out;
    Dec tmp;
    DecimalRounding rounding = DecimalRounding.HALF_UP;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        addA = new long[N];
        addB = new long[N];
        addAScale = new byte[N];
        addBScale = new byte[N];
        for (int i = 0; i < N; i++) {
            switch (shape) {
                case "positive":
                    set(addA, addAScale, i, 1_000_000L + r.nextInt(1_000_000), 4);
                    set(addB, addBScale, i, (1 + r.nextInt(1000)) * 10_000L, 4);
                    break;
                case "mixed_signs":
                    set(addA, addAScale, i, sign(r) * (1_000_000L + r.nextInt(1_000_000)), 4);
                    set(addB, addBScale, i, sign(r) * (1 + r.nextInt(1000)) * 10_000L, 4);
                    break;
                case "mixed_scales": {
                    int sa = r.nextInt(7);
                    int sb = r.nextInt(7);
                    set(addA, addAScale, i, (100 + r.nextInt(100)) * DecimalMath.pow10(sa) + r.nextLong(DecimalMath.pow10(sa)), sa);
                    set(addB, addBScale, i, (1 + r.nextInt(1000)) * DecimalMath.pow10(sb) + r.nextLong(DecimalMath.pow10(sb)), sb);
                    break;
                }
                case "near_overflow":
                    // magnitudes in [2^61, 2^63): about a quarter of the sums overflow
                    set(addA, addAScale, i, sign(r) * r.nextLong(1L << 61, Long.MAX_VALUE), 4);
                    set(addB, addBScale, i, sign(r) * r.nextLong(1L << 61, Long.MAX_VALUE), 4);
                    break;
                default:
                    throw new IllegalArgumentException("unknown shape " + shape);
            }
        }
        if (shape.equals("near_overflow")) {
            // factors in [2^30, 2^32): a share of the products pass 2^63; positive summands whose running
            // sum passes 2^63 about two thirds of the way through
            mulA = new long[N];
            mulB = new long[N];
            mulAScale = new byte[N];
            mulBScale = new byte[N];
            sumV = new long[N];
            sumScale = new byte[N];
            for (int i = 0; i < N; i++) {
                set(mulA, mulAScale, i, sign(r) * r.nextLong(1L << 30, 1L << 32), 4);
                set(mulB, mulBScale, i, sign(r) * r.nextLong(1L << 30, 1L << 32), 4);
                set(sumV, sumScale, i, r.nextLong(1L << 53, 1L << 54), 4);
            }
        } else {
            mulA = addA;
            mulB = addB;
            mulAScale = addAScale;
            mulBScale = addBScale;
            sumV = addA;
            sumScale = addAScale;
        }
        addABig = bigs(addA, addAScale);
        addBBig = bigs(addB, addBScale);
        mulABig = bigs(mulA, mulAScale);
        mulBBig = bigs(mulB, mulBScale);
        sumBig = bigs(sumV, sumScale);
        addADouble = doubles(addA, addAScale);
        addBDouble = doubles(addB, addBScale);
        mulADouble = doubles(mulA, mulAScale);
        mulBDouble = doubles(mulB, mulBScale);
        sumDouble = doubles(sumV, sumScale);
        bigOut = new BigDecimal[N];
        doubleOut = new double[N];
        longOut = new long[N];

        // a column of one declared scale takes the dense loop; a column of mixed scales is DECIMAL, row by row
        DataType type = shape.equals("mixed_scales") ? DataType.DECIMAL : DataType.decimal(38, 4);
        Schema schema = new Schema(List.of(new Field("a", type), new Field("b", type)));
        addBatch = batch(schema, addA, addAScale, addB, addBScale);
        mulBatch = batch(schema, mulA, mulAScale, mulB, mulBScale);
        addRow = new ArithmeticEval.Decimals(ArithmeticEval.ADD, new ColumnEval(0, "a", type), new ColumnEval(1, "b", type), rounding);
        mulRow = new ArithmeticEval.Decimals(ArithmeticEval.MUL, new ColumnEval(0, "a", type), new ColumnEval(1, "b", type), rounding);
        addKernel = VecCompiler.compile(addRow);
        mulKernel = VecCompiler.compile(mulRow);
        columnOut = new Column(DataType.DECIMAL, N);
        out = new Dec();
        tmp = new Dec();
    }

    private static long sign(SplittableRandom r) {
        return r.nextBoolean() ? 1 : -1;
    }

    private static void set(long[] v, byte[] scales, int i, long unscaled, int scale) {
        v[i] = unscaled;
        scales[i] = (byte) scale;
    }

    private static BigDecimal[] bigs(long[] v, byte[] s) {
        BigDecimal[] b = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = BigDecimal.valueOf(v[i], s[i]);
        }
        return b;
    }

    private static double[] doubles(long[] v, byte[] s) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i] / (double) DecimalMath.pow10(s[i]);
        }
        return d;
    }

    private static RecordBatch batch(Schema schema, long[] a, byte[] as, long[] b, byte[] bs) {
        RecordBatch batch = new RecordBatch(schema, N, null);
        System.arraycopy(a, 0, batch.columns[0].longs, 0, N);
        System.arraycopy(as, 0, batch.columns[0].scales, 0, N);
        System.arraycopy(b, 0, batch.columns[1].longs, 0, N);
        System.arraycopy(bs, 0, batch.columns[1].scales, 0, N);
        batch.size = N;
        return batch;
    }

    /** Sinks a register's value: the long, and the promoted value when there is one. */
    private static void consume(Blackhole bh, Dec d) {
        bh.consume(d.unscaled);
        if (d.big != null) {
            bh.consume(d.big);
        }
    }

    // ================================================================ add, per element

    /** The engine's inline form: same scales add two longs with the overflow check, anything else takes the register path. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void addDecimal(Blackhole bh) {
        final long[] p = addA;
        final long[] q = addB;
        final byte[] ps = addAScale;
        final byte[] qs = addBScale;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            long x = p[i];
            long y = q[i];
            long r = x + y;
            if (ps[i] == qs[i] && !DecimalMath.addOverflows(x, y, r)) {
                bh.consume(r);
            } else {
                DecimalMath.add(x, ps[i], y, qs[i], o);
                consume(bh, o);
            }
        }
    }

    /** The general register API (any scales, promotion handled inside): what row-at-a-time evaluators call. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void addDecimalRegister(Blackhole bh) {
        final long[] p = addA;
        final long[] q = addB;
        final byte[] ps = addAScale;
        final byte[] qs = addBScale;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            DecimalMath.add(p[i], ps[i], q[i], qs[i], o);
            consume(bh, o);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void addBigDecimal(Blackhole bh) {
        final BigDecimal[] p = addABig;
        final BigDecimal[] q = addBBig;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i].add(q[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void addDouble(Blackhole bh) {
        final double[] p = addADouble;
        final double[] q = addBDouble;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i] + q[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void addLong(Blackhole bh) {
        final long[] p = addA;
        final long[] q = addB;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i] + q[i]);
        }
    }

    // ================================================================ add, columns

    /** The engine's projection path for {@code a + b}: its vector expression (the exact row path for the rows it hands back). */
    @Benchmark
    @OperationsPerInvocation(N)
    public Column addDecimalColumns() {
        return compute(addKernel, addRow, addBatch);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public BigDecimal[] addBigDecimalColumns() {
        final BigDecimal[] p = addABig;
        final BigDecimal[] q = addBBig;
        final BigDecimal[] o = bigOut;
        for (int i = 0; i < N; i++) {
            o[i] = p[i].add(q[i]);
        }
        return o;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] addDoubleColumns() {
        final double[] p = addADouble;
        final double[] q = addBDouble;
        final double[] o = doubleOut;
        for (int i = 0; i < N; i++) {
            o[i] = p[i] + q[i];
        }
        return o;
    }

    /** Raw longs, unchecked and scale-blind: the floor, not an exact result. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long[] addLongColumns() {
        final long[] p = addA;
        final long[] q = addB;
        final long[] o = longOut;
        for (int i = 0; i < N; i++) {
            o[i] = p[i] + q[i];
        }
        return o;
    }

    private Column compute(VecExpr kernel, ArithmeticEval.Decimals row, RecordBatch in) {
        failures.reset(N);
        return kernel.eval(in, null, N, failures);
    }

    // ================================================================ multiply, per element

    /** The engine's inline form: one long multiply with the overflow check while the product scale fits. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyDecimal(Blackhole bh) {
        final long[] p = mulA;
        final long[] q = mulB;
        final byte[] ps = mulAScale;
        final byte[] qs = mulBScale;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            long x = p[i];
            long y = q[i];
            long r = x * y;
            if (!DecimalMath.multiplyOverflows(x, y, r) && ps[i] + qs[i] <= DecimalMath.MAX_PRODUCT_SCALE) {
                bh.consume(r);
            } else {
                DecimalMath.multiply(x, ps[i], y, qs[i], rounding, o);
                consume(bh, o);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyDecimalRegister(Blackhole bh) {
        final long[] p = mulA;
        final long[] q = mulB;
        final byte[] ps = mulAScale;
        final byte[] qs = mulBScale;
        final Dec o = out;
        for (int i = 0; i < N; i++) {
            DecimalMath.multiply(p[i], ps[i], q[i], qs[i], rounding, o);
            consume(bh, o);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyBigDecimal(Blackhole bh) {
        final BigDecimal[] p = mulABig;
        final BigDecimal[] q = mulBBig;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i].multiply(q[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyDouble(Blackhole bh) {
        final double[] p = mulADouble;
        final double[] q = mulBDouble;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i] * q[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void multiplyLong(Blackhole bh) {
        final long[] p = mulA;
        final long[] q = mulB;
        for (int i = 0; i < N; i++) {
            bh.consume(p[i] * q[i]);
        }
    }

    // ================================================================ multiply, columns

    @Benchmark
    @OperationsPerInvocation(N)
    public Column multiplyDecimalColumns() {
        return compute(mulKernel, mulRow, mulBatch);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public BigDecimal[] multiplyBigDecimalColumns() {
        final BigDecimal[] p = mulABig;
        final BigDecimal[] q = mulBBig;
        final BigDecimal[] o = bigOut;
        for (int i = 0; i < N; i++) {
            o[i] = p[i].multiply(q[i]);
        }
        return o;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] multiplyDoubleColumns() {
        final double[] p = mulADouble;
        final double[] q = mulBDouble;
        final double[] o = doubleOut;
        for (int i = 0; i < N; i++) {
            o[i] = p[i] * q[i];
        }
        return o;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] multiplyLongColumns() {
        final long[] p = mulA;
        final long[] q = mulB;
        final long[] o = longOut;
        for (int i = 0; i < N; i++) {
            o[i] = p[i] * q[i];
        }
        return o;
    }

    // ================================================================ running sum (SUM aggregate)

    /**
     * The SUM aggregate's inline fast path: a long accumulator with the overflow check while the scale
     * stays the same; the first overflow or scale change hands over to the register path. The result
     * is written into the reused {@link #out} register (no boxing) and returned.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public Dec sumDecimal() {
        final long[] v = sumV;
        final byte[] vs = sumScale;
        final int s = vs[0];
        long acc = 0;
        for (int i = 0; i < N; i++) {
            long x = v[i];
            long r = acc + x;
            if (vs[i] != s || DecimalMath.addOverflows(acc, x, r)) {
                return sumFrom(out.set(acc, s), i);
            }
            acc = r;
        }
        return out.set(acc, s);
    }

    /** Adds elements {@code from..N} to {@code acc} through the register API, which keeps a promoted sum promoted. */
    private Dec sumFrom(Dec acc, int from) {
        final long[] v = sumV;
        final byte[] vs = sumScale;
        for (int i = from; i < N; i++) {
            if (acc.big == null) {
                DecimalMath.add(acc.unscaled, acc.scale, v[i], vs[i], acc);
            } else {
                DecimalMath.add(acc, tmp.set(v[i], vs[i]), acc);
            }
        }
        return acc;
    }

    /** Every element through the register API. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Dec sumDecimalRegister() {
        return sumFrom(out.set(0, sumScale[0]), 0);
    }

    /**
     * The batch kernel: when the column holds one scale, one bounds pass proves no overflow is possible
     * and the sum is a plain (vectorisable) loop ({@link DecimalMath#sum}); otherwise the register path.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public Dec sumDecimalBatch() {
        final byte[] vs = sumScale;
        final byte s = vs[0];
        int mixed = 0;
        for (int i = 0; i < N; i++) {
            mixed |= vs[i] ^ s;
        }
        if (mixed != 0) {
            return sumFrom(out.set(0, s), 0);
        }
        DecimalMath.sum(sumV, 0, N, s, out);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public BigDecimal sumBigDecimal() {
        final BigDecimal[] v = sumBig;
        BigDecimal acc = BigDecimal.ZERO;
        for (int i = 0; i < N; i++) {
            acc = acc.add(v[i]);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double sumDouble() {
        final double[] v = sumDouble;
        double acc = 0;
        for (int i = 0; i < N; i++) {
            acc += v[i];
        }
        return acc;
    }

    /** Raw longs, unchecked: the floor (wraps silently near the bound). */
    @Benchmark
    @OperationsPerInvocation(N)
    public long sumLong() {
        final long[] v = sumV;
        long acc = 0;
        for (int i = 0; i < N; i++) {
            acc += v[i];
        }
        return acc;
    }
}
