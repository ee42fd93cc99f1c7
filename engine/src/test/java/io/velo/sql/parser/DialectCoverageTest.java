package io.velo.sql.parser;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every statement, clause, window form, join form, function and type of SPEC §3 parses. */
class DialectCoverageTest {
    @ParameterizedTest
    @ValueSource(strings = {
        // statements
        "CREATE STREAM s AS SELECT * FROM t EMIT CHANGES WITH ('s.type' = 'file_sink')",
        "CREATE STREAM s (a BIGINT, b STRING) AS SELECT x, y FROM t",
        "CREATE TABLE agg AS SELECT k, COUNT(*) FROM t GROUP BY k WITH ('agg.type' = 'kafka_sink')",
        "CREATE OR REPLACE STREAM IF NOT EXISTS s AS SELECT 1 FROM t",
        "CREATE STREAM trades (id BIGINT, price DECIMAL(18,4), ts TIMESTAMP) WITH ('trades.type' = 'kafka_source')",
        "CREATE TABLE ref (id BIGINT PRIMARY KEY, name VARCHAR) WITH ('ref.type' = 'file_source')",
        "INSERT INTO sink SELECT * FROM src WITH ('batch.size' = '100')",
        "SELECT a, b INTO sink FROM src WITH ('sink.type' = 'file_sink')",
        "SELECT a FROM src INTO sink",
        "SELECT * FROM t",
        "SHOW STREAMS", "SHOW TABLES", "SHOW JOBS", "SHOW FUNCTIONS", "SHOW TOPICS", "LIST STREAMS",
        "DESCRIBE trades", "EXPLAIN SELECT * FROM t", "EXPLAIN CREATE STREAM s AS SELECT * FROM t",
        "START JOB j1 AS SELECT * FROM t WITH ('t.type' = 'kafka_source')",
        "STOP JOB j1", "PAUSE JOB j1", "RESUME JOB j1",
        // select clauses
        "SELECT DISTINCT a FROM t WHERE b > 1 GROUP BY a HAVING COUNT(*) > 2 ORDER BY a DESC, b ASC NULLS LAST LIMIT 10 EMIT FINAL",
        "SELECT t.*, u.x AS ux FROM t AS tt",
        "SELECT price * qty AS notional PRIMARY KEY, id PRIMARY KEY FROM t",
        "SELECT a + b - c * d / e % f, -a, +b, a || 'x' FROM t",
        "SELECT a = 1, a <> 1, a != 1, a < 1, a <= 1, a > 1, a >= 1, a == 1 FROM t",
        "SELECT a AND b OR NOT c FROM t",
        "SELECT a BETWEEN 1 AND 2, a NOT BETWEEN 1 AND 2 FROM t",
        "SELECT a IN (1, 2), a NOT IN ('x') FROM t",
        "SELECT a LIKE 'x%', a NOT LIKE '_y' FROM t",
        "SELECT a IS NULL, a IS NOT NULL, a IS TRUE, a IS NOT FALSE, a IS DISTINCT FROM b FROM t",
        "SELECT CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END FROM t",
        "SELECT CASE a WHEN 1 THEN 'one' ELSE 'other' END FROM t",
        "SELECT CAST(a AS BIGINT), CAST(b AS DECIMAL(10,2)), CAST(c AS VARCHAR), a::DOUBLE FROM t",
        "SELECT (SELECT MAX(x) FROM u) FROM t",
        "SELECT * FROM t WHERE a IN (SELECT id FROM u) AND NOT EXISTS (SELECT 1 FROM v) AND EXISTS (SELECT 1 FROM w)",
        "SELECT * FROM t WHERE a NOT IN (SELECT id FROM u)",
        "SELECT _timestamp, _event_time, _key, _partition, _offset, _window_start, _window_end FROM t",
        "SELECT ts AS _event_time, x FROM t",
        // reserved-looking column names
        "SELECT timestamp, date, key, value, name, type, window_size, status FROM t",
        "SELECT \"select\", \"from\" FROM \"My Table\"",
        // windows and time
        "SELECT COUNT(*) FROM t WINDOW TUMBLING(5s)",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW TUMBLING(ts, INTERVAL '5' SECOND)",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW SLIDING(1m, 10s)",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW SLIDING(ts, INTERVAL '1' MINUTE, INTERVAL '10' SECONDS)",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW SESSION(30s)",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW SESSION(ts, INTERVAL '2' MINUTE)",
        "SELECT COUNT(*) FROM t WINDOW TUMBLING(500ms) GROUP BY k",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW TUMBLING(2h) EMIT CHANGES",
        "SELECT COUNT(*) FROM t GROUP BY k WINDOW TUMBLING(1d)",
        "SELECT INTERVAL '5' MILLISECOND, INTERVAL '1' DAY, INTERVAL '3' HOUR, INTERVAL '5 seconds' FROM t",
        "SELECT TUMBLE_START(ts, INTERVAL '5' SECOND), TUMBLE_END(ts, INTERVAL '5' SECOND) FROM t",
        // analytic
        "SELECT LAG(price) OVER (PARTITION BY sym ORDER BY ts) FROM t",
        "SELECT LEAD(price, 2, 0) OVER (PARTITION BY sym ORDER BY ts) FROM t",
        "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b), RANK() OVER (ORDER BY b), DENSE_RANK() OVER (ORDER BY b) FROM t",
        "SELECT FIRST_VALUE(x) OVER (PARTITION BY a ORDER BY b), LAST_VALUE(x) OVER (PARTITION BY a ORDER BY b) FROM t",
        "SELECT AVG(price) OVER (PARTITION BY sym ORDER BY ts ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM t",
        "SELECT SUM(q) OVER (PARTITION BY sym ORDER BY ts RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) FROM t",
        "SELECT SUM(q) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING) FROM t",
        "SELECT AVG(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY sym ORDER BY ts) FROM t",
        // joins
        "SELECT * FROM s JOIN t ON s.k = t.k",
        "SELECT * FROM s INNER JOIN t ON s.k = t.k LEFT JOIN u ON s.k = u.k",
        "SELECT * FROM s LEFT OUTER JOIN t ON s.k = t.k",
        "SELECT * FROM a JOIN b ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '10' SECOND AND a.ts + INTERVAL '10' SECOND",
        "SELECT * FROM a RIGHT JOIN b ON a.k = b.k WITHIN 10s",
        "SELECT * FROM a FULL OUTER JOIN b WITHIN 1m ON a.k = b.k",
        "SELECT * FROM (SELECT a FROM t) sub",
        // functions
        "SELECT COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM(x), AVG(x), MIN(x), MAX(x), FIRST_VALUE(x), LAST_VALUE(x) FROM t",
        "SELECT STDDEV(x), STDDEV_POP(x), VARIANCE(x), VAR_POP(x), MEDIAN(x), PERCENTILE_CONT(x, 0.9), PERCENTILE_DISC(x, 0.5) FROM t",
        "SELECT APPROX_COUNT_DISTINCT(x), STRING_AGG(s, ','), LISTAGG(s, ';') FROM t",
        "SELECT ABS(x), ROUND(x, 2), CEIL(x), FLOOR(x), SQRT(x), POWER(x, 2), MOD(x, 3), EXP(x), LN(x), LOG10(x), LEAST(a, b), GREATEST(a, b), SIGN(x) FROM t",
        "SELECT UPPER(s), LOWER(s), SUBSTRING(s, 1, 2), SUBSTRING(s FROM 2 FOR 3), TRIM(s), LTRIM(s), RTRIM(s), LENGTH(s), CONCAT(a, b), REPLACE(s, 'a', 'b') FROM t",
        "SELECT LEFT(s, 2), RIGHT(s, 2), POSITION('a' IN s), SPLIT_PART(s, ',', 1), LPAD(s, 5, '0'), RPAD(s, 5), REGEXP(s, 'a+'), REGEXP_REPLACE(s, 'a', 'b') FROM t",
        "SELECT TRIM(LEADING '0' FROM s), TRIM(TRAILING FROM s) FROM t",
        "SELECT NOW(), CURRENT_TIMESTAMP, EXTRACT(YEAR FROM ts), DATE_TRUNC('hour', ts), DATE_FORMAT(ts, 'yyyy'), DATEDIFF('day', a, b), FROM_UNIXTIME(x), UNIX_TIMESTAMP(ts), UNIX_TIMESTAMP() FROM t",
        "SELECT COALESCE(a, b, c), NULLIF(a, b), IF(a > 1, 'x', 'y'), JSON_VALUE(j, '$.a'), JSON_EXTRACT(j, '$.b[0]'), HEADER('trace') FROM t",
        // types and literals
        "CREATE STREAM s (a BIGINT, b INTEGER, c INT, d DOUBLE, e FLOAT, f REAL, g DECIMAL(10,2), h NUMERIC(5), i SCALED_INTEGER(4), j STRING, k VARCHAR(20), l TEXT, m BOOLEAN, n TIMESTAMP, o DATE, p ARRAY<STRING>, q MAP<STRING, DECIMAL(10,2)>) WITH ('s.type' = 'kafka_source')",
        "SELECT 1, 1.25, -0.5, 1e3, 'it''s', TRUE, FALSE, NULL, TIMESTAMP '2024-01-01 00:00:00', DATE '2024-01-01' FROM t",
        // comments and case
        "select /* block\n comment */ a -- line comment\n from t where A > 1",
    })
    void parses(String sql) {
        List<Statement> st = assertDoesNotThrow(() -> Parser.parseScript(sql + ";"), sql);
        assertEquals(1, st.size(), sql);
    }

    @Test
    void scriptsHoldSeveralStatements() {
        List<Statement> st = Parser.parseScript("SELECT 1 FROM a; ; SELECT 2 FROM b;\nSHOW STREAMS");
        assertEquals(3, st.size());
    }

    @Test
    void windowClauseRecordsKindAndDurations() {
        Statement.Select s = (Statement.Select) Parser.parseScript("SELECT COUNT(*) FROM t GROUP BY k WINDOW SLIDING(ts, 1m, 10s)").get(0);
        Query.WindowSpec w = s.query().window();
        assertEquals(Query.WindowKind.SLIDING, w.kind());
        assertEquals(60_000, w.size());
        assertEquals(10_000, w.advance());
        assertInstanceOf(Expr.ColumnRef.class, w.timeColumn());
    }

    @Test
    void intervalJoinKeepsItsWithin() {
        Statement.Select s = (Statement.Select) Parser.parseScript("SELECT * FROM a LEFT JOIN b ON a.k = b.k WITHIN 10s").get(0);
        assertEquals(Query.JoinType.LEFT, s.query().joins().get(0).type());
        assertEquals(10_000L, s.query().joins().get(0).withinMillis());
    }

    @Test
    void operatorPrecedenceFollowsSql() {
        Expr e = Parser.parseExpression("a OR b AND NOT c = 1 + 2 * 3");
        assertEquals("(a OR (b AND (NOT (c = (1 + (2 * 3))))))", io.velo.sql.ast.SqlPrinter.print(e));
        assertEquals("((a || b) = c)", io.velo.sql.ast.SqlPrinter.print(Parser.parseExpression("a || b = c")));
        assertEquals("(-5 - 3)", io.velo.sql.ast.SqlPrinter.print(Parser.parseExpression("-5 - 3")));
    }
}
