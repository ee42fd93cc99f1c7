package io.velo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.sql.SqlException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad statement fails at check time, before anything runs, with the position of the culprit and
 * a message naming it — including features whose execution belongs to later work.
 */
class ValidationErrorTest {
    private static final String SOURCE = "CREATE STREAM t (id BIGINT, price DECIMAL(10,2), sym STRING, ts TIMESTAMP) "
            + "WITH ('t.type' = 'file_source', 't.path' = 'missing.csv', 't.format' = 'csv');\n";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // name resolution and types
        "CREATE STREAM o AS SELECT idd FROM t|2|27|unknown column 'idd' (available: id, price, sym, ts)",
        "CREATE STREAM o AS SELECT x.id FROM t|2|27|unknown source or alias 'x'",
        "CREATE STREAM o AS SELECT FOO(id) FROM t|2|27|unknown function FOO",
        "CREATE STREAM o AS SELECT ROUND(id, 1, 2) FROM t|2|27|ROUND takes 1 to 2 arguments, got 3",
        "CREATE STREAM o AS SELECT sym + 1 FROM t|2|27|operator + expects numbers, got STRING + BIGINT (use || to concatenate text)",
        "CREATE STREAM o AS SELECT id FROM t WHERE sym|2|43|WHERE must be a BOOLEAN condition, got STRING",
        "CREATE STREAM o AS SELECT UPPER(id) FROM t|2|33|argument 1 of UPPER(s STRING) must be STRING, got BIGINT",
        "CREATE STREAM o AS SELECT CASE WHEN id > 1 THEN 'a' ELSE 2 END FROM t|2|58|CASE results mixes incompatible types STRING and BIGINT",
        "CREATE STREAM o AS SELECT SUM(sym) FROM t|2|27|SUM expects a number, got STRING",
        "CREATE STREAM o AS SELECT id, COUNT(*) FROM t GROUP BY sym|2|27|column 'id' must appear in GROUP BY or inside an aggregate function",
        "CREATE STREAM o AS SELECT id FROM t WHERE COUNT(*) > 1|2|43|aggregate function COUNT is not allowed here",
        "CREATE STREAM o AS SELECT SUM(COUNT(*)) FROM t|2|31|aggregate functions cannot be nested",
        "CREATE STREAM o AS SELECT id FROM t HAVING id > 1|2|47|HAVING needs GROUP BY or an aggregate",
        "CREATE STREAM o AS SELECT PERCENTILE_CONT(price, 2) FROM t|2|50|fraction must be between 0 and 1",
        // constant time units, parts, patterns and sizes are checked at check time, on the argument
        "CREATE STREAM o AS SELECT DATE_TRUNC('fortnight', ts) FROM t|2|38|unknown DATE_TRUNC unit 'fortnight' (expected millisecond, second",
        "CREATE STREAM o AS SELECT EXTRACT(CENTURY FROM ts) FROM t|2|35|unknown EXTRACT part 'CENTURY' (expected YEAR",
        "CREATE STREAM o AS SELECT DATEDIFF('fortnight', ts, ts) FROM t|2|36|unknown DATEDIFF unit 'fortnight'",
        "CREATE STREAM o AS SELECT DATE_FORMAT(ts, 'yyyy-MM-dd bb') FROM t|2|43|bad DATE_FORMAT pattern 'yyyy-MM-dd bb': Unknown pattern letter: b",
        "CREATE STREAM o AS SELECT DATE_FORMAT(DATE '2024-01-01', 'yyyy-MM-dd {') FROM t|2|58|bad DATE_FORMAT pattern 'yyyy-MM-dd {'",
        "CREATE STREAM o AS SELECT TUMBLE_START(ts, 0) FROM t|2|44|TUMBLE_START window size must be positive, got 0",
        "CREATE STREAM o AS SELECT TUMBLE_END(ts, 'x') FROM t|2|27|TUMBLE_END expects a window size such as INTERVAL '5' MINUTE",
        "CREATE STREAM o AS SELECT DATE_TRUNC('day', price) FROM t|2|27|DATE_TRUNC expects a DATE or TIMESTAMP, got DECIMAL(10,2)",
        "CREATE STREAM o AS SELECT DATE_TRUNC(id, ts) FROM t|2|27|DATE_TRUNC unit expects a STRING, got BIGINT",
        "CREATE STREAM o AS SELECT DATE '2024-01-01' + ts FROM t|2|27|operator + expects numbers, got DATE + TIMESTAMP",
        "CREATE STREAM u (d DATE) WITH ('u.type' = 'file_source', 'u.path' = 'x.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT d FROM u WHERE d > 19000|2|142|comparison > mixes incompatible types DATE and BIGINT",
        // ORDER BY and DISTINCT compare whole rows: not the change rows of EMIT CHANGES
        "CREATE STREAM o AS SELECT sym, COUNT(*) AS n FROM t GROUP BY sym ORDER BY n DESC EMIT CHANGES|2|75|ORDER BY cannot apply to the change rows of EMIT CHANGES",
        "CREATE STREAM o AS SELECT EXTRACT(YEAR FROM 'garbage') AS y FROM t|2|45|'garbage' is not a timestamp",
        "CREATE STREAM o AS SELECT DATE '2024-02-30' AS x FROM t|2|32|'2024-02-30' is not a valid DATE literal (expected YYYY-MM-DD)",
        "CREATE STREAM o AS SELECT TIMESTAMP '2024-99-01 25:00' AS y FROM t|2|37|'2024-99-01 25:00' is not a valid TIMESTAMP literal",
        "CREATE STREAM o AS SELECT sym, COUNT(*) > 1 AS _deleted FROM t GROUP BY sym HAVING COUNT(*) > 0|2|41|'_deleted' names the retraction marker of this changelog",
        "CREATE STREAM o AS SELECT sym, COUNT(*) AS n FROM t GROUP BY sym WINDOW TUMBLING(5s) ORDER BY sym EMIT CHANGES|2|95|ORDER BY cannot apply to the change rows of EMIT CHANGES",
        "CREATE STREAM o AS SELECT DISTINCT COUNT(*) AS n FROM t GROUP BY sym EMIT CHANGES|2|20|SELECT DISTINCT cannot apply to the change rows of EMIT CHANGES",
        "CREATE STREAM o AS SELECT DISTINCT COUNT(*) AS n FROM t GROUP BY sym WITH ('t.watch' = 'true')|2|20|SELECT DISTINCT over an unbounded aggregation would compare change rows",
        "CREATE STREAM o AS SELECT sym, COUNT(*) AS n FROM t GROUP BY sym ORDER BY n WITH ('t.watch' = 'true', 'o.type' = 'file_sink', 'o.path' = 'x')|2|75|ORDER BY needs a bounded input",
        // function arguments: a type rule per parameter, positioned on the argument; constants checked once
        "CREATE STREAM o AS SELECT LEFT(sym, sym) FROM t|2|37|argument 2 of LEFT(s STRING, n BIGINT) must be BIGINT, got STRING",
        "CREATE STREAM o AS SELECT SUBSTRING(sym, 'x') FROM t|2|42|argument 2 of SUBSTRING(s STRING, start BIGINT, [length BIGINT]) must be BIGINT, got STRING",
        "CREATE STREAM o AS SELECT LPAD(sym, 'x') FROM t|2|37|argument 2 of LPAD(s STRING, length BIGINT, [fill STRING]) must be BIGINT, got STRING",
        "CREATE STREAM o AS SELECT LENGTH(id) FROM t|2|34|argument 1 of LENGTH(s STRING) must be STRING, got BIGINT",
        "CREATE STREAM o AS SELECT SQRT(sym) FROM t|2|32|argument 1 of SQRT(x NUMBER) must be a number (BIGINT, DECIMAL or DOUBLE), got STRING",
        "CREATE STREAM o AS SELECT POWER(price, sym) FROM t|2|40|argument 2 of POWER(x NUMBER, y NUMBER) must be a number",
        "CREATE STREAM o AS SELECT IF(id, 1, 2) FROM t|2|30|argument 1 of IF(condition BOOLEAN, then, else) must be BOOLEAN, got BIGINT",
        "CREATE STREAM o AS SELECT LEAST(id, sym) FROM t|2|27|LEAST mixes incompatible types BIGINT and STRING",
        "CREATE STREAM o AS SELECT REGEXP(sym, '[') FROM t|2|39|invalid regular expression '[': Unclosed character class",
        "CREATE STREAM o AS SELECT REGEXP_REPLACE(sym, 'a', '$') FROM t|2|52|replacement '$' has a $ not followed by a group number",
        "CREATE STREAM o AS SELECT REGEXP_REPLACE(sym, '(a)', '$2') FROM t|2|54|replacement '$2' refers to group 2 but the pattern has 1",
        "CREATE STREAM o AS SELECT REGEXP_REPLACE(sym, 'a', '\\') FROM t|2|52|replacement '\\' ends with a lone backslash",
        "CREATE STREAM o AS SELECT JSON_VALUE(sym, '$[') FROM t|2|43|bad JSON path '$[': an unclosed [",
        "CREATE STREAM o AS SELECT JSON_EXTRACT(sym, 'a.b') FROM t|2|45|bad JSON path 'a.b'",
        "CREATE STREAM o AS SELECT SPLIT_PART(sym, ',', 0) FROM t|2|48|SPLIT_PART field position must not be zero",
        "CREATE STREAM o AS SELECT SUBSTRING(sym, 1, -1) FROM t|2|45|SUBSTRING length must not be negative",
        "CREATE STREAM o AS SELECT LPAD(sym, 2000000000) FROM t|2|37|LPAD length 2000000000 exceeds the limit of 10485760 characters",
        "CREATE STREAM o AS SELECT RPAD(sym, 10485761, '-') FROM t|2|37|RPAD length 10485761 exceeds the limit",
        "CREATE STREAM o AS SELECT ROUND(price, 99) FROM t|2|40|ROUND digits must be between -38 and 38, got 99",
        "CREATE STREAM o AS SELECT 1e400 AS x FROM t|2|27|number is out of range for DOUBLE",
        "CREATE STREAM o AS SELECT -1e400 AS x FROM t|2|27|number is out of range for DOUBLE",
        // features of later issues
        // stream-table joins: a keyed table, one equality on its key, the same types, no ambiguous column
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON t.id = r.sym|2|190|the join compares t.id (BIGINT) with the key r.sym (STRING): the types must match",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT sym, SUM(n) AS s, MIN(n) AS m, STDDEV(n) AS d FROM r GROUP BY sym WITH ('o.type' = 'file_sink', 'o.path' = 'o.json')|2|194|this aggregate cannot take a replaced row of table 'r' back exactly; over a keyed table COUNT, MIN, MAX, and SUM and AVG of BIGINT or DECIMAL can",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT sym, COUNT(*) AS c FROM r GROUP BY sym WINDOW TUMBLING(5s)|2|202|a table's rows have no event-time windows: aggregate table 'r' without WINDOW",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON t.sym = r.name|2|193|'name' is not the key of table 'r' (its PRIMARY KEY is 'sym')",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON t.sym = r.sym AND t.id > 1|2|199|a join with table 'r' is one equality on its key: ON <expression of t> = r.sym (other conditions go in WHERE)",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON sym = r.sym|2|185|column 'sym' is ambiguous",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON t.sym = r.sym WHERE sym = 'x'|2|205|column 'sym' is ambiguous",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN t AS u ON t.sym = u.sym|2|175|a stream-stream join needs a time bound, or the state of both streams would grow for ever",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t RIGHT JOIN r ON t.sym = r.sym|2|175|RIGHT JOIN is for two streams (an interval join); a stream joins a table with INNER or LEFT JOIN",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON t.sym = r.sym WITHIN 10s|2|175|a join with a table has no time bound: WITHIN is for stream-stream interval joins",
        // stream-stream interval joins: keys, time bound, what may follow
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN u ON t.sym = u.id AND u.uts BETWEEN t.ts AND t.ts + INTERVAL '1' MINUTE|2|193|the join compares t.sym (STRING) with u.id (BIGINT): the key types must match",
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN u ON t.sym = u.sym AND u.n BETWEEN t.ts AND t.ts + INTERVAL '1' MINUTE|2|205|the join's time bound is on time columns: 'u.n' is BIGINT, not TIMESTAMP",
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN u ON u.uts BETWEEN t.ts AND t.ts + INTERVAL '1' MINUTE|2|193|a stream-stream join needs an equality of keys to look rows up by",
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN u ON t.sym = u.sym|2|177|a stream-stream join needs a time bound, or the state of both streams would grow for ever",
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t LEFT JOIN u ON t.sym = u.sym WITHIN 10s|2|177|WITHIN bounds the streams' event times, but 't' is a file, whose records have none of their own",
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN u ON t.sym = u.sym AND u.uts BETWEEN t.ts + INTERVAL '1' MINUTE AND t.ts|2|211|the time bound is empty",
        "CREATE STREAM u (id BIGINT, sym STRING, n BIGINT, uts TIMESTAMP) WITH ('u.type' = 'file_source', 'u.path' = 'u.csv', 'u.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN u ON t.sym = u.sym AND u.uts BETWEEN t.ts AND t.ts + INTERVAL '1' MINUTE AND t.id > u.n|2|264|an interval join's ON is key equalities and one time bound",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE TABLE a AS SELECT sym, id, COUNT(*) AS c FROM t GROUP BY sym, id WITH ('a.type' = 'file_sink', 'a.path' = 'a.csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN a ON t.sym = a.sym|2|303|table 'a' has no key to join on",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN nowhere ON t.sym = nowhere.sym|2|180|unknown table 'nowhere'",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT t.id FROM t JOIN r ON t.sym = r.sym WITH ('r.pth' = 'x')|2|205|unknown property 'r.pth' for 'r' (did you mean 'r.path'?)",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT x.* FROM t JOIN r ON t.sym = r.sym|2|163|unknown source or alias 'x'",
        // subqueries: over a keyed table only, one column for a value, types, names, clauses
        "CREATE STREAM o AS SELECT id FROM t WHERE id IN (SELECT id FROM t)|2|65|'t' is a stream: a subquery reads a table's current rows",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT id FROM t WHERE sym IN (SELECT sym, n FROM r)|2|199|a subquery used as a value selects one column; this one selects 2",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT id FROM t WHERE id IN (SELECT name FROM r)|2|182|IN (subquery) mixes incompatible types BIGINT and STRING",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT id FROM t WHERE price > (SELECT nope FROM r)|2|195|unknown column 'nope' (available: sym, name, n); nor is it a column of the outer query",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT id, (SELECT name FROM r WHERE r.sym = t.nope) FROM t|2|201|unknown column 't.nope' (available: id, price, sym, ts)",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT id FROM t WHERE EXISTS (SELECT 1 FROM r WHERE r.sym = t.sym ORDER BY n)|2|232|ORDER BY inside a subquery is not supported",
        "CREATE TABLE r (sym STRING PRIMARY KEY, name STRING, n BIGINT) WITH ('r.type' = 'file_source', 'r.path' = 'r.csv', 'r.format' = 'csv'); CREATE STREAM o AS SELECT sym, COUNT(*) FROM t GROUP BY sym HAVING COUNT(*) > (SELECT MAX(n) FROM r)|2|215|a subquery is not supported here",
        "CREATE STREAM o AS SELECT ROW_NUMBER() FROM t|2|27|ROW_NUMBER is an analytic function and needs OVER",
        "CREATE STREAM o AS SELECT * FROM (SELECT sym, COUNT(*) AS c FROM t GROUP BY sym) s|2|77|aggregation inside a FROM subquery is not supported yet",
        "CREATE STREAM o AS SELECT s.price FROM (SELECT id FROM t) s|2|27|unknown column 's.price' (available: id)",
        "START JOB j AS SELECT * FROM t|2|1|START JOB is a server statement",
        // analytic functions (OVER)
        "CREATE STREAM o AS SELECT LAG(price) OVER (PARTITION BY sym) FROM t|2|38|LAG needs ORDER BY in its OVER",
        "CREATE STREAM o AS SELECT RANK() OVER (ORDER BY ts DESC) FROM t|2|49|OVER (ORDER BY … DESC) cannot be followed by a stream",
        "CREATE STREAM o AS SELECT SUM(price) OVER (ORDER BY ts ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t|2|38|UNBOUNDED FOLLOWING would hold every row",
        "CREATE STREAM o AS SELECT SUM(price) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 2 PRECEDING) FROM t|2|38|starts after it ends",
        "CREATE STREAM o AS SELECT SUM(price) OVER (ORDER BY ts RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) FROM t|2|38|needs an interval bound",
        "CREATE STREAM o AS SELECT SUM(price) OVER (PARTITION BY sym RANGE UNBOUNDED PRECEDING) FROM t|2|38|a RANGE frame needs ORDER BY",
        "CREATE STREAM o AS SELECT LAG(price, 3) OVER (ROWS WINDOW BUFFER 3 ROWS ORDER BY ts) FROM t|2|38|reaches beyond ROWS WINDOW BUFFER 3 ROWS",
        "CREATE STREAM o AS SELECT LAG(price, id) OVER (ORDER BY ts) FROM t|2|38|LAG offset must be a constant integer",
        "CREATE STREAM o AS SELECT LEAD(price) OVER (ORDER BY ts), LEAD(price) OVER (ORDER BY id) FROM t|2|71|two OVER (…) of one query hold rows back",
        "CREATE STREAM o AS SELECT PERCENT_RANK() OVER (ORDER BY price) FROM t|2|42|PERCENT_RANK divides by the number of rows ranked",
        "CREATE STREAM o AS SELECT LAG(price) OVER (ROWS WINDOW BUFFER 5 ROWS ORDER BY price DESC) FROM t|2|79|OVER (ORDER BY … DESC) cannot be followed by a stream",
        "CREATE STREAM o AS SELECT UPPER(sym) OVER (ORDER BY ts) FROM t|2|38|UPPER is a scalar function and cannot take OVER",
        "CREATE STREAM o AS SELECT sym, ROW_NUMBER() OVER (PARTITION BY sym ORDER BY sym) FROM t GROUP BY sym|2|98|cannot be combined with GROUP BY",
        // an OVER of a grouped query reading a column that is neither grouped nor aggregated is the query's own defect
        "CREATE STREAM o AS SELECT sym, ROW_NUMBER() OVER (ORDER BY ts) FROM t GROUP BY sym|2|60|reads 'ts', which is neither grouped nor aggregated",
        "CREATE STREAM o AS SELECT id FROM t WHERE ROW_NUMBER() OVER (ORDER BY ts) = 1|2|56|not allowed in WHERE",
        "CREATE STREAM o AS SELECT id FROM t ORDER BY LAG(id) OVER (ORDER BY ts)|2|54|not allowed in ORDER BY",
        "CREATE STREAM o AS SELECT SUM(LAG(price) OVER (ORDER BY ts)) OVER (ORDER BY ts) FROM t|2|42|allowed only in the SELECT list",
        // properties
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.pth' = 'x')|2|67|unknown property 'o.pth' for 'o' (did you mean 'o.path'?)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'batch.sise' = '5')|2|83|unknown property 'batch.sise' (did you mean 'batch.size'?)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'batch.size' = 'ten')|2|98|property 'batch.size' must be a number, got 'ten'",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'batch.window' = '5s')|2|83|property 'batch.window' belongs to batch.strategy 'time_window' but this job uses 'fixed_size'",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'failure_strategy' = 'Ignore')|2|104|property 'failure_strategy' must be one of LogAndContinue, SendToDLQ, FailBatch, RetryWithBackoff",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'failure_strategy' = 'SendToDLQ')|2|104|dead-letter",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'mode' = 'transactional')|2|92|gives exactly-once for Kafka→Kafka jobs",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'batch.timeout' = '5 parsecs')|2|101|unknown duration unit",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'decimal.rounding' = 'down')|2|104|must be one of half_up, half_even",
        "CREATE STREAM o AS SELECT id FROM t|2|15|no sink configured for 'o'",
        // a file an earlier statement writes is read once its job ended: not while every job runs at once
        "CREATE STREAM w (id BIGINT) WITH ('w.type' = 'file_source', 'w.path' = 'w.csv', 'w.format' = 'csv', 'w.watch' = 'true'); CREATE TABLE k AS SELECT id, COUNT(*) AS n FROM w GROUP BY id WITH ('k.type' = 'file_sink', 'k.path' = 'k.json'); SELECT n FROM k|2|250|source 'k' reads the file the statement at 2:225 writes ('k.path'), but this script has an unbounded source, so all its jobs run at once",
        "CREATE STREAM o AS SELECT id FROM nowhere WITH ('o.type' = 'file_sink', 'o.path' = 'x')|2|35|unknown source 'nowhere'",
        "CREATE STREAM o AS SELECT id FROM t ORDER BY id WITH ('o.type' = 'file_sink', 'o.path' = 'x', 't.watch' = 'true')|2|46|ORDER BY needs a bounded input",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'event.time.field' = 'when')|2|104|event time field 'when' is not a column of 't'",
        "CREATE STREAM t AS SELECT id FROM t WITH ('o.type' = 'file_sink')|2|15|'t' is already defined",
        "CREATE STREAM o AS SELECT sym, COUNT(*) FROM t GROUP BY 3|2|57|GROUP BY position 3 is not in the select list (1 to 2)",
        "CREATE STREAM o AS SELECT sym, COUNT(*) FROM t GROUP BY 2|2|57|aggregate functions are not allowed in GROUP BY",
        "CREATE STREAM o (a BIGINT, b STRING) WITH ('o.type' = 'file_sink', 'o.path' = 'x'); INSERT INTO o SELECT id FROM t|2|97|the output declares 2 columns (a BIGINT, b STRING) but the query selects 1",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 't.partitions' = '3')|2|83|property 't.partitions' does not apply to 't', a file_source (it is read by kafka_source, kafka_sink)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.path' = 'x')|2|68|property 'o.path' does not apply to 'o', a kafka_sink",
        // formats: the registry's names, and each format's own properties, checked before anything runs
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.format' = 'xml')|2|81|must be one of json, csv, avro, protobuf",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'o.format' = 'avro')|2|96|file_sink writes text formats (json, csv); 'avro' is a message format",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.format' = 'avro', 'o.avro.schema' = 'nope.avsc')|2|107|Avro schema file 'nope.avsc' not found",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.format' = 'avro', 'o.avro.schema' = '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"x\",\"type\":\"long\"}]}')|2|107|Avro field 'x' is not nullable and no column of the output fills it",
        "CREATE STREAM o AS SELECT price FROM t WITH ('o.type' = 'kafka_sink', 'o.format' = 'avro', 'o.avro.schema' = '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"price\",\"type\":\"long\"}]}')|2|110|column 'price' DECIMAL(10,2) cannot be written to Avro field 'price' of type long",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.format' = 'protobuf')|2|81|'o.format' = 'protobuf' needs 'o.proto.file'",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.format' = 'protobuf', 'o.proto.file' = 'no.proto')|2|110|Protobuf file 'no.proto' not found",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'o.kafka.acks' = 'all')|2|83|property 'o.kafka.acks' does not apply to 'o', a file_sink",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.kafka.ack' = 'all')|2|68|'ack' is not a Kafka producer setting; did you mean 'o.kafka.acks'?",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.kafka.acks' = 'some')|2|85|'o.kafka.acks': Invalid value some for configuration acks: String must be one of: all, -1, 0, 1",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'kafka_sink', 'o.kafka.linger.ms' = 'soon')|2|90|'o.kafka.linger.ms': Invalid value soon for configuration linger.ms: Not a number of type LONG",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'dlq.path' = 'y', 'dlq.topic' = 'd')|2|101|dead letters go to one place: 'dlq.path' (a file) or 'dlq.topic' (a Kafka topic), not both",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 't.key.field' = 'nope')|2|99|key field 'nope' is not a column of 't'",
        // a key given twice: an error at the second, naming the first; a source or sink name is an identifier (any case),
        // the rest of a key is case-sensitive and taken as written
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'o.path' = 'y')|2|83|property 'o.path' is given twice (first at 2:67)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'O.path' = 'y')|2|83|property 'O.path' is given twice (first at 2:67 as 'o.path')",
        "CREATE STREAM o AS SELECT id FROM T WITH ('o.type' = 'file_sink', 'o.path' = 'x', 't.watch' = 'true', 'T.watch' = 'false')|2|103|property 'T.watch' is given twice (first at 2:83 as 't.watch')",
        "CREATE STREAM o WITH ('o.type' = 'file_sink') AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x')|2|73|property 'o.type' is given twice (first at 2:23)",
        "CREATE STREAM u (id BIGINT) WITH ('u.type' = 'file_source', 'u.path' = 'x', 'u.path' = 'y')|2|77|property 'u.path' is given twice (first at 2:61)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'o.PATH' = 'y')|2|83|unknown property 'o.PATH' for 'o' (did you mean 'o.path'?)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', 'Batch.Size' = '5')|2|83|unknown property 'Batch.Size' (did you mean 'batch.size'?)",
        "CREATE STREAM o AS SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'x', ' batch.size' = '5')|2|83|unknown property ' batch.size' (did you mean 'batch.size'?)",
        // a declaration contradicting its own batch strategy (a statement overriding the strategy drops the declaration's keys instead)
        "CREATE STREAM u (id BIGINT) WITH ('u.type' = 'file_source', 'batch.strategy' = 'mega_batch', 'batch.size' = '5')|2|94|property 'batch.size' belongs to batch.strategy 'fixed_size' but this job uses 'mega_batch'",
        // UNION ALL: the branches agree on columns, types and retraction; what applies to the whole union is refused
        "CREATE STREAM o AS SELECT id FROM t UNION SELECT id FROM t|2|37|UNION without ALL (a distinct union) is not supported",
        "CREATE STREAM o AS SELECT id, sym FROM t UNION ALL SELECT id FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'out/o.json')|2|52|UNION ALL branch 2 gives 1 column",
        "CREATE STREAM o AS SELECT id, sym FROM t UNION ALL SELECT id, price FROM t WITH ('o.type' = 'file_sink', 'o.path' = 'out/o.json')|2|63|UNION ALL branch 2's column 2 (price) is DECIMAL(10,2), the first branch's (sym) is STRING: they have no common type",
        "CREATE STREAM o AS SELECT id FROM t UNION ALL SELECT id FROM t ORDER BY id|2|73|ORDER BY in a UNION ALL is not supported",
        "CREATE STREAM o AS SELECT sym, COUNT(*) AS n FROM t GROUP BY sym HAVING COUNT(*) > 1 EMIT CHANGES UNION ALL SELECT sym, COUNT(*) FROM t GROUP BY sym WINDOW TUMBLING(1m) WITH ('o.type' = 'file_sink', 'o.path' = 'out/o.json')|2|109|does not retract",
        "CREATE STREAM o AS SELECT id FROM (SELECT id FROM t UNION ALL SELECT id FROM t)|2|63|UNION ALL inside a FROM subquery is not supported yet",
    })
    void rejectedBeforeRunning(String statement, int line, int col, String message) {
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        String sql = SOURCE + statement + ";";
        SqlException e = assertThrows(SqlException.class, () -> engine.check(sql, Path.of("."), List.of()));
        assertTrue(e.getMessage().contains(message), () -> statement + "\n  message: " + e.getMessage());
        assertEquals(line + ":" + col, e.pos().toString(), () -> statement + "\n  message: " + e.getMessage());
    }
}
