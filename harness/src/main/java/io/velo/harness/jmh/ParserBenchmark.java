package io.velo.harness.jmh;

import io.velo.api.Engine;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SQL front end on a realistic four-statement script ({@link #SCRIPT}: a declared file source,
 * a filtering projection with exact decimal arithmetic, a windowed aggregation with HAVING, and an
 * INSERT with CASE, string functions and IN): {@code parse} is lexing and parsing into statements
 * ({@link Parser#parseScript}); {@code parseAndPlan} is what {@code velo check} and {@code velo run}
 * do before anything runs ({@link Engine#planScript}: parsing, name resolution, type checking,
 * expression compilation, properties and operator pipelines). Figures: µs per script. No comparison:
 * this is the fixed cost of deploying a job, tracked for regressions. Planning opens no file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBenchmark {
    static final String SCRIPT = """
            -- trades from a JSON file, a filtered projection, a 5-second VWAP per symbol, and a tagged copy
            CREATE STREAM trades (
                trade_id   BIGINT,
                symbol     STRING,
                price      DECIMAL(18,4),
                quantity   BIGINT,
                side       STRING,
                event_time TIMESTAMP
            ) WITH (
                'trades.type' = 'file_source',
                'trades.path' = 'data/trades.json',
                'trades.format' = 'json',
                'event.time.field' = 'event_time'
            );

            CREATE STREAM big_trades AS
            SELECT trade_id, symbol, price, quantity, price * quantity AS notional
            FROM trades
            WHERE quantity >= 50 AND price BETWEEN 10.00 AND 1000.00 AND side = 'BUY'
            WITH (
                'big_trades.type' = 'file_sink',
                'big_trades.path' = 'out/big_trades.json',
                'big_trades.format' = 'json'
            );

            CREATE TABLE vwap_5s AS
            SELECT symbol,
                   COUNT(*) AS trades,
                   SUM(quantity) AS volume,
                   SUM(price * quantity) / SUM(quantity) AS vwap,
                   MAX(price) - MIN(price) AS spread,
                   _window_start AS window_start
            FROM trades
            GROUP BY symbol
            WINDOW TUMBLING(event_time, INTERVAL '5' SECOND)
            HAVING SUM(quantity) > 0
            EMIT FINAL
            WITH (
                'vwap_5s.type' = 'file_sink',
                'vwap_5s.path' = 'out/vwap_5s.csv',
                'vwap_5s.format' = 'csv',
                'watermark.max_out_of_orderness' = '2s'
            );

            CREATE STREAM tagged AS
            SELECT trade_id,
                   UPPER(symbol) || '-' || side AS tag,
                   CASE WHEN quantity >= 500 THEN 'large' WHEN quantity >= 100 THEN 'medium' ELSE 'small' END AS size_class,
                   ROUND(price * 1.0825, 2) AS price_with_tax
            FROM trades
            WHERE symbol IN ('AAPL', 'MSFT', 'GOOG') OR quantity > 900
            WITH (
                'tagged.type' = 'file_sink',
                'tagged.path' = 'out/tagged.json',
                'tagged.format' = 'json'
            );
            """;

    final Path baseDir = Path.of(System.getProperty("java.io.tmpdir"), "velo-parser-benchmark");
    PrintStream quiet;
    String script;

    @Setup
    public void setup() {
        quiet = new PrintStream(OutputStream.nullOutputStream());
        script = SCRIPT;
    }

    @Benchmark
    public List<Statement> parse() {
        return Parser.parseScript(script);
    }

    @Benchmark
    public List<Object> parseAndPlan() {
        return new Engine(quiet, quiet).planScript(script, baseDir, List.of());
    }
}
