package io.velo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.api.Engine;
import io.velo.connector.CollectingSink;
import io.velo.sql.SqlException;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan text (EXPLAIN, {@code velo check}) of a corpus of queries — every kind of step, parallel
 * and serial plans, state notes, Kafka delivery, dead letters — and the error each bad one reports,
 * against {@code plan-text-corpus.txt}, recorded from the planner before it built a logical plan.
 * Run with {@code -Dvelo.planCorpus.write=FILE} to record the file again.
 */
class PlanTextCorpusTest {
    private static final String SOURCES = String.join("\n",
            "CREATE STREAM t (id BIGINT, price DECIMAL(10,2), sym STRING, qty BIGINT, ts TIMESTAMP, d DATE)",
            "  WITH ('t.type' = 'file_source', 't.path' = 'missing.csv', 't.format' = 'csv', 'event.time.field' = 'ts');",
            "CREATE STREAM k (id BIGINT, sym STRING, qty BIGINT, ts TIMESTAMP)",
            "  WITH ('k.type' = 'kafka_source', 'k.topic' = 'in', 'k.bootstrap.servers' = 'localhost:1');",
            "CREATE STREAM o2 (a BIGINT, b STRING) WITH ('o2.type' = 'file_sink', 'o2.path' = 'out/o2.json');",
            "");

    /** Statements planned after {@link #SOURCES}, one script each. */
    static final List<String> SCRIPTS = List.of(
            "EXPLAIN SELECT * FROM t",
            "EXPLAIN SELECT t.* FROM t WHERE qty > 1",
            "EXPLAIN SELECT id, price * qty AS notional, UPPER(sym), 1 + 2, ts AS _event_time FROM t WHERE sym <> 'x' LIMIT 3",
            "EXPLAIN SELECT sym, COUNT(*) AS n FROM t GROUP BY sym",
            "EXPLAIN SELECT sym, COUNT(*) AS n, SUM(qty) FROM t GROUP BY sym HAVING COUNT(*) > 1",
            "EXPLAIN SELECT sym, COUNT(*) + 1 AS n FROM t GROUP BY sym EMIT CHANGES",
            "EXPLAIN SELECT sym, COUNT(*) AS n FROM t GROUP BY sym EMIT FINAL",
            "EXPLAIN SELECT COUNT(*), AVG(price), MAX(ts) FROM t",
            "EXPLAIN SELECT COUNT(*) FROM t WHERE qty > 0 HAVING COUNT(*) > 0",
            "EXPLAIN SELECT sym, COUNT(*), TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws FROM t WHERE qty > 0 GROUP BY sym WINDOW TUMBLING(1m)",
            "EXPLAIN SELECT sym, COUNT(*) FROM t GROUP BY 1 WINDOW TUMBLING(ts, INTERVAL '10' SECOND) EMIT CHANGES",
            "EXPLAIN SELECT sym, COUNT(*) FROM t GROUP BY sym, id WINDOW TUMBLING(d, INTERVAL '5' SECOND) HAVING COUNT(*) > 2",
            "EXPLAIN SELECT DISTINCT sym FROM t ORDER BY sym DESC LIMIT 10",
            "EXPLAIN SELECT DISTINCT sym, COUNT(*) AS n FROM t GROUP BY sym ORDER BY 2 DESC, sym",
            "EXPLAIN SELECT sym, id FROM t ORDER BY id, sym DESC",
            "CREATE TABLE agg AS SELECT sym PRIMARY KEY, COUNT(*) AS n FROM t GROUP BY sym WITH ('agg.type' = 'file_sink', 'agg.path' = 'out/agg.json')",
            "CREATE STREAM c (x BIGINT, y STRING) AS SELECT id, sym FROM t WITH ('c.type' = 'file_sink', 'c.path' = 'out/c.csv', 'c.format' = 'csv')",
            "INSERT INTO o2 SELECT id, sym FROM t WHERE id > 0",
            "SELECT id FROM t INTO o3 WITH ('o3.type' = 'file_sink', 'o3.path' = 'out/o3.json')",
            "EXPLAIN SELECT id FROM t WITH ('parallelism' = '4')",
            "EXPLAIN SELECT id FROM t WITH ('parallelism' = '1')",
            "EXPLAIN SELECT sym, COUNT(*) FROM t WHERE qty > 0 GROUP BY sym WITH ('parallelism' = '4')",
            "EXPLAIN SELECT sym, COUNT(*) FROM t WHERE qty > 0 GROUP BY sym WINDOW TUMBLING(1m) HAVING COUNT(*) > 1 LIMIT 5 WITH ('parallelism' = '3')",
            "EXPLAIN SELECT COUNT(*) FROM t WITH ('parallelism' = '4')",
            "EXPLAIN SELECT sym, COUNT(*) FROM t GROUP BY sym HAVING COUNT(*) > 1 WITH ('parallelism' = '4')",
            "EXPLAIN SELECT DISTINCT sym FROM t ORDER BY sym WITH ('parallelism' = '2')",
            "EXPLAIN SELECT sym, COUNT(*) FROM k GROUP BY sym",
            "EXPLAIN SELECT sym, COUNT(*) FROM k GROUP BY sym WINDOW TUMBLING(1m) WITH ('parallelism' = '4')",
            "EXPLAIN SELECT id FROM k WHERE qty > 1",
            "INSERT INTO kout SELECT sym, COUNT(*) AS n FROM k GROUP BY sym WITH ('kout.type' = 'kafka_sink', 'kout.topic' = 'out', 'kout.bootstrap.servers' = 'localhost:1')",
            "INSERT INTO kout SELECT sym, COUNT(*) AS n FROM k GROUP BY sym WITH ('kout.type' = 'kafka_sink', 'kout.topic' = 'out', 'kout.bootstrap.servers' = 'localhost:1', 'parallelism' = '4')",
            "INSERT INTO kout SELECT sym, COUNT(*) AS n FROM k GROUP BY sym WITH ('kout.type' = 'kafka_sink', 'kout.topic' = 'out', 'kout.bootstrap.servers' = 'localhost:1', 'mode' = 'transactional', 'changelog.topic' = 'cl')",
            "INSERT INTO kout SELECT id, sym FROM k WITH ('kout.type' = 'kafka_sink', 'kout.topic' = 'out', 'kout.bootstrap.servers' = 'localhost:1', 'mode' = 'transactional', 'failure_strategy' = 'SendToDLQ')",
            "INSERT INTO kout SELECT id, sym FROM k WITH ('kout.type' = 'kafka_sink', 'kout.topic' = 'out', 'kout.bootstrap.servers' = 'localhost:1', 'dlq.topic' = 'bad', 'failure_strategy' = 'SendToDLQ')",
            "EXPLAIN SELECT id FROM t WITH ('failure_strategy' = 'SendToDLQ', 'dlq.path' = 'out/dlq.jsonl', 'batch.strategy' = 'low_latency')",
            // errors: the first one found, with its position
            "EXPLAIN SELECT * FROM t JOIN u ON t.id = u.id",
            "EXPLAIN SELECT * FROM t LEFT JOIN u ON t.id = u.id WHERE nope > 1",
            "EXPLAIN SELECT * FROM nowhere JOIN u ON a = b",
            "EXPLAIN SELECT * FROM t JOIN u ON t.id = u.id WITH ('nope' = '1')",
            "EXPLAIN SELECT nope FROM t HAVING id > 1",
            "EXPLAIN SELECT DISTINCT COUNT(*) AS n FROM t WHERE nope GROUP BY sym EMIT CHANGES",
            "EXPLAIN SELECT sym FROM t ORDER BY nope",
            "EXPLAIN SELECT sym FROM t ORDER BY 3",
            "EXPLAIN SELECT sym, COUNT(*) FROM t GROUP BY sym ORDER BY nope WITH ('t.watch' = 'true')",
            "EXPLAIN SELECT DISTINCT id FROM k WITH ('mode' = 'transactional')",
            "EXPLAIN SELECT id FROM t WHERE id > 'x' GROUP BY nope");

    /** Queries over an in-memory relation (the test driver's and the benchmarks' planning), with a forced thread count. */
    static final List<String> IN_MEMORY = List.of(
            "SELECT n, s FROM m WHERE n > 0",
            "SELECT s, COUNT(*), SUM(n) FROM m GROUP BY s",
            "SELECT s, COUNT(*) FROM m WHERE n > 0 GROUP BY s WINDOW TUMBLING(t, INTERVAL '1' SECOND) HAVING COUNT(*) > 1");

    static final Schema MEMORY = new Schema(List.of(new Field("n", DataType.BIGINT), new Field("s", DataType.STRING),
            new Field("t", DataType.TIMESTAMP)));

    static String corpus(Path base) {
        StringBuilder sb = new StringBuilder();
        for (String s : SCRIPTS) {
            sb.append("=== ").append(s).append('\n');
            Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
            try {
                List<Object> steps = engine.planScript(SOURCES + s + ";", base, List.of());
                Object last = steps.get(steps.size() - 1);
                sb.append(last instanceof JobPlan jp ? jp.planText() : last.toString());
            } catch (SqlException e) {
                sb.append("ERROR ").append(e.pos()).append(' ').append(e.getMessage()).append('\n');
            }
        }
        for (String q : IN_MEMORY) {
            for (int threads : new int[] {1, 3}) {
                sb.append("=== in memory, ").append(threads).append(" threads: ").append(q).append('\n');
                Planner p = new Planner(new Catalog(), base, new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(new ByteArrayOutputStream()));
                JobPlan jp = p.planInMemory(q, "m", MEMORY, new CollectingSink(), threads);
                sb.append(jp.planText());
                if (jp.pipeline() instanceof io.velo.exec.ParallelOperator po) {
                    po.close();
                }
            }
        }
        return sb.toString();
    }

    @Test
    void planTextIsUnchanged(@TempDir Path base) throws IOException {
        String now = corpus(base);
        String write = System.getProperty("velo.planCorpus.write");
        if (write != null) {
            Files.writeString(Path.of(write), now);
        }
        String expected;
        try (InputStream in = PlanTextCorpusTest.class.getResourceAsStream("/plan-text-corpus.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, now);
    }
}
