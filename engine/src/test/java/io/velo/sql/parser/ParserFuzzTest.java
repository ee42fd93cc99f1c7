package io.velo.sql.parser;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.velo.api.Engine;
import io.velo.sql.SqlException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds the parser, and the whole check path, random and mutated SQL: the only acceptable failure is
 * a {@link SqlException} with a position inside the text, and nothing may hang.
 */
class ParserFuzzTest {
    private static final String[] SEEDS = {
        "SELECT a, b * 2 AS c FROM t WHERE a > 1 AND b IN (1, 2) GROUP BY a HAVING COUNT(*) > 1 ORDER BY a LIMIT 5;",
        "CREATE STREAM s AS SELECT sym, SUM(price * qty) / SUM(qty) AS vwap FROM trades GROUP BY sym WINDOW TUMBLING(ts, INTERVAL '5' SECOND) EMIT FINAL WITH ('s.type' = 'file_sink', 's.path' = 'x');",
        "CREATE STREAM trades (id BIGINT, price DECIMAL(18,4), ts TIMESTAMP) WITH ('trades.type' = 'file_source', 'trades.path' = 'x.csv');",
        "SELECT CASE WHEN a IS NULL THEN 'x' ELSE CAST(a AS STRING) END, COALESCE(a, b), SUBSTRING(s FROM 1 FOR 2) FROM t;",
        "SELECT * FROM a LEFT JOIN b ON a.k = b.k WITHIN 10s WHERE NOT EXISTS (SELECT 1 FROM c);",
        "SELECT LAG(x, 1) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t; /* c */ -- d",
    };
    private static final String[] VOCABULARY = {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "WINDOW", "TUMBLING", "SLIDING", "SESSION",
        "EMIT", "CHANGES", "FINAL", "WITH", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "LIKE", "CASE", "WHEN",
        "THEN", "ELSE", "END", "CAST", "JOIN", "ON", "LEFT", "CREATE", "STREAM", "TABLE", "INSERT", "INTO", "INTERVAL",
        "OVER", "PARTITION", "(", ")", ",", ";", ".", "*", "+", "-", "/", "%", "||", "=", "<>", "<", ">=", "::",
        "'str'", "'", "\"q\"", "\"", "1", "1.5", "5s", "1e3", "a", "b", "t", "COUNT", "SUM", "DECIMAL(10,2)", "--", "/*", "*/", "\n",
    };

    @Test
    void randomTokenSoupOnlyRaisesSqlErrors() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(30);
            for (int k = 0; k < n; k++) {
                sb.append(VOCABULARY[r.nextInt(VOCABULARY.length)]).append(r.nextInt(4) == 0 ? "" : " ");
            }
            check(sb.toString());
        }
    }

    @Test
    void mutatedValidSqlOnlyRaisesSqlErrors() {
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 10_000; i++) {
            String s = SEEDS[r.nextInt(SEEDS.length)];
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits && !s.isEmpty(); e++) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(5)) {
                    case 0: s = s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(6))); break;
                    case 1: s = s.substring(0, at) + VOCABULARY[r.nextInt(VOCABULARY.length)] + s.substring(at); break;
                    case 2: s = s.substring(0, at); break;
                    case 3: s = s.substring(0, at) + (char) (32 + r.nextInt(95)) + s.substring(at); break;
                    default: {
                        int b = r.nextInt(s.length());
                        int lo = Math.min(at, b);
                        int hi = Math.max(at, b);
                        s = s.substring(0, lo) + s.substring(hi) + s.substring(lo, hi);
                    }
                }
            }
            check(s);
        }
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "SELECT " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " FROM t";
        assertThrowsSqlError(deep);
        assertThrowsSqlError("SELECT " + "- ".repeat(50_000) + "1 FROM t");
        assertThrowsSqlError("SELECT " + "NOT ".repeat(50_000) + "TRUE FROM t");
    }

    private static void assertThrowsSqlError(String sql) {
        try {
            Parser.parseScript(sql);
            fail("expected a SqlException");
        } catch (SqlException e) {
            assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
        }
    }

    private static final Engine ENGINE = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));

    private static void check(String sql) {
        List<Throwable> unexpected = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                Parser.parseScript(sql);
                ENGINE.check(sql, Path.of("target/fuzz-nonexistent"), List.of());
            } catch (SqlException e) {
                // a position in the text: 1-based line, offset inside it (never the 0:0 of "no position")
                if (e.pos().line() < 1 || e.pos().col() < 1 || e.pos().offset() < 0 || e.pos().offset() > sql.length()) {
                    unexpected.add(new AssertionError("position " + e.pos() + " outside the text"));
                }
            } catch (RuntimeException | StackOverflowError e) {
                unexpected.add(e);
            }
        }, () -> "hang on: " + sql);
        if (!unexpected.isEmpty()) {
            AssertionError err = new AssertionError("unexpected " + unexpected.get(0) + " on: " + sql);
            err.initCause(unexpected.get(0));
            throw err;
        }
    }
}
