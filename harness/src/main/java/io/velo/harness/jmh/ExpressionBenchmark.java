package io.velo.harness.jmh;

import io.velo.batch.Column;
import io.velo.expr.vec.Failures;
import io.velo.expr.vec.VecCompiler;
import io.velo.expr.vec.VecExpr;
import io.velo.batch.RecordBatch;
import io.velo.expr.ExprCompiler;
import io.velo.expr.PredicateCompiler;
import io.velo.expr.eval.BatchPredicate;
import io.velo.expr.eval.Eval;
import io.velo.harness.pipeline.TradeData;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's compiled expressions over one batch of 1,024 generated trades ({@link TradeData}:
 * price DECIMAL(18,4) 100–200, quantity 1–1000, side BUY/SELL), against a hand-written loop over the
 * same column arrays with the same exact semantics. Figures: ns per row.
 *
 * <ul>
 *   <li>{@code filter*}: {@value #FILTER} as the WHERE clause compiles it ({@link PredicateCompiler}:
 *       the product row by row, then the string equality as a primitive loop over the survivors), the
 *       same condition through the plain row evaluator ({@code filterRowEvaluator}), and the
 *       hand-written loop (an overflow-checked long product against the threshold at scale 4, then
 *       {@code "BUY".equals}). Each writes the selected row numbers and returns how many.</li>
 *   <li>{@code case*}: {@value #CASE} evaluated into an output column as the projection does (row
 *       evaluator, then {@code writeTo}), against a loop writing unscaled longs at scale 4.</li>
 * </ul>
 * The compilation itself runs once in {@link #setup}, as it does once per query.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExpressionBenchmark {
    static final int N = 1024;
    static final String FILTER = "price * quantity > 100000 AND side = 'BUY'";
    static final String CASE = "CASE WHEN quantity >= 500 THEN price * quantity WHEN side = 'BUY' THEN price ELSE 0 END";
    /** 100000 at the price's scale 4. */
    static final long THRESHOLD_UNSCALED = 100_000L * 10_000L;

    TradeData data;
    RecordBatch batch;
    BatchPredicate predicate;
    BatchPredicate rowPredicate;
    Eval caseEval;
    VecExpr caseKernel;
    final Failures failures = new Failures();
    Column caseOut;
    int[] selected;
    long[] handOut;
    final BatchPredicate.Errors errors = (b, row, e) -> {
        throw new IllegalStateException("row " + row + " failed: " + e.getMessage(), e);
    };

    @Setup
    public void setup() {
        data = new TradeData(N, 11);
        batch = new RecordBatch(TradeData.SCHEMA, N, null);
        data.fill(batch, 0, N);
        Scope scope = new Scope("trades", null, TradeData.SCHEMA);
        ExprCompiler compiler = new ExprCompiler(scope, DecimalRounding.HALF_UP);
        predicate = new PredicateCompiler(compiler).compile(Parser.parseExpression(FILTER), "WHERE");
        rowPredicate = new BatchPredicate.Rows(compiler.compileBoolean(Parser.parseExpression(FILTER), "WHERE"));
        caseEval = compiler.compile(Parser.parseExpression(CASE));
        caseKernel = VecCompiler.compile(caseEval);
        caseOut = new Column(caseEval.type, N);
        selected = new int[N];
        handOut = new long[N];
    }

    // ================================================================ WHERE

    @Benchmark
    @OperationsPerInvocation(N)
    public int filterEngine() {
        return predicate.select(batch, null, N, selected, errors);
    }

    /** The same condition without the batch predicate's decomposition: every row through the evaluator tree. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int filterRowEvaluator() {
        return rowPredicate.select(batch, null, N, selected, errors);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int filterHandWritten() {
        final long[] price = data.price;
        final long[] quantity = data.quantity;
        final String[] side = data.side;
        final int[] out = selected;
        int k = 0;
        for (int i = 0; i < N; i++) {
            long p = price[i];
            long q = quantity[i];
            long lo = p * q;
            long hi = Math.multiplyHigh(p, q);
            boolean above = (hi != 0 || lo < 0) && (hi != -1 || lo >= 0)
                    ? BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(q)).compareTo(BigDecimal.valueOf(THRESHOLD_UNSCALED)) > 0
                    : lo > THRESHOLD_UNSCALED;
            if (above && "BUY".equals(side[i])) {
                out[k++] = i;
            }
        }
        return k;
    }

    // ================================================================ CASE (projection)

    @Benchmark
    @OperationsPerInvocation(N)
    public Column caseEngine() {
        failures.reset(N);
        return caseKernel.eval(batch, null, N, failures);
    }

    /** The same CASE through its row evaluator, row by row (the path before vector expressions). */
    @Benchmark
    @OperationsPerInvocation(N)
    public Column caseRowEvaluator() {
        final Column o = caseOut;
        o.clear(N);
        final Eval e = caseEval;
        final RecordBatch b = batch;
        for (int i = 0; i < N; i++) {
            e.eval(b, i);
            e.writeTo(o, i);
        }
        return o;
    }

    /** Unscaled values at scale 4; the product is overflow-checked (the data never overflows, so no promotion path is written). */
    @Benchmark
    @OperationsPerInvocation(N)
    public long[] caseHandWritten() {
        final long[] price = data.price;
        final long[] quantity = data.quantity;
        final String[] side = data.side;
        final long[] out = handOut;
        for (int i = 0; i < N; i++) {
            long q = quantity[i];
            if (q >= 500) {
                out[i] = Math.multiplyExact(price[i], q);
            } else if ("BUY".equals(side[i])) {
                out[i] = price[i];
            } else {
                out[i] = 0;
            }
        }
        return out;
    }
}
