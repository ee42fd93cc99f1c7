package io.velo.harness.jmh;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.Eval;
import io.velo.expr.vec.Failures;
import io.velo.expr.vec.VecCompiler;
import io.velo.expr.vec.VecExpr;
import io.velo.harness.pipeline.TradeData;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.decimal.DecimalRounding;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The vector expressions ({@link VecExpr}) against the row evaluators they are built from, over one
 * batch of 1,024 generated trades ({@link TradeData}: price DECIMAL(18,4) 100–200, quantity 1–1000,
 * side BUY/SELL). Figures: ns per row.
 *
 * <ul>
 *   <li>{@code vector}: the expression a column at a time into its result vector, as the projection
 *       evaluates a computed item;</li>
 *   <li>{@code row}: the same expression's row evaluator per row, written into a column as the
 *       projection did before ({@code eval} then {@code writeTo});</li>
 * </ul>
 * {@code expr} picks the expression: decimal × BIGINT, a CASE, ROUND on decimals, COALESCE with
 * arithmetic, LEAST/GREATEST, comparisons combined with AND. WHERE conditions: {@link VectorFilterBenchmark}.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VectorExpressionBenchmark {
    static final int N = 1024;

    @Param({"price * quantity",
            "CASE WHEN quantity >= 500 THEN price * quantity WHEN side = 'BUY' THEN price ELSE 0 END",
            "ROUND(price * 1.07, 2)",
            "COALESCE(price, 0) + quantity * 2",
            "GREATEST(price, 150) - LEAST(price, 120.5)",
            "price > 150 AND quantity < 500"})
    public String expr;

    RecordBatch batch;
    Eval rowEval;
    VecExpr vector;
    Column rowOut;
    Failures failures;

    @Setup
    public void setup() {
        TradeData data = new TradeData(N, 11);
        batch = new RecordBatch(TradeData.SCHEMA, N, null);
        data.fill(batch, 0, N);
        Scope scope = new Scope("trades", null, TradeData.SCHEMA);
        ExprCompiler compiler = new ExprCompiler(scope, DecimalRounding.HALF_UP);
        rowEval = compiler.compile(Parser.parseExpression(expr));
        vector = VecCompiler.compile(compiler.compile(Parser.parseExpression(expr)));
        rowOut = new Column(rowEval.type, N);
        failures = new Failures();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Column vector() {
        failures.reset(N);
        return vector.eval(batch, null, N, failures);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Column row() {
        final Eval e = rowEval;
        final RecordBatch b = batch;
        final Column o = rowOut;
        for (int i = 0; i < N; i++) {
            e.eval(b, i);
            e.writeTo(o, i);
        }
        return o;
    }
}
