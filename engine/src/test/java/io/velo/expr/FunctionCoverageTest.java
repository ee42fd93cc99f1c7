package io.velo.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionKind;
import io.velo.expr.fn.FunctionRegistry;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every function the registry lists (and SHOW FUNCTIONS prints) is called by at least one SQL
 * script case that runs and has checked output; analytic functions, whose execution is later work, are covered by
 * the parse and rejection tests instead. Also: every function SPEC §3 names is registered.
 */
class FunctionCoverageTest {
    private static final List<String> SPEC_FUNCTIONS = List.of(
            "COUNT", "SUM", "AVG", "MIN", "MAX", "FIRST_VALUE", "LAST_VALUE", "STDDEV", "STDDEV_POP", "VARIANCE", "VAR_POP",
            "MEDIAN", "PERCENTILE_CONT", "PERCENTILE_DISC", "APPROX_COUNT_DISTINCT", "STRING_AGG", "LISTAGG",
            "ABS", "ROUND", "CEIL", "FLOOR", "SQRT", "POWER", "MOD", "EXP", "LN", "LOG10", "LEAST", "GREATEST", "SIGN",
            "UPPER", "LOWER", "SUBSTRING", "TRIM", "LTRIM", "RTRIM", "LENGTH", "CONCAT", "REPLACE", "LEFT", "RIGHT",
            "POSITION", "SPLIT_PART", "LPAD", "RPAD", "REGEXP", "REGEXP_REPLACE",
            "NOW", "CURRENT_TIMESTAMP", "EXTRACT", "DATE_TRUNC", "DATE_FORMAT", "DATEDIFF", "FROM_UNIXTIME", "UNIX_TIMESTAMP",
            "TUMBLE_START", "TUMBLE_END", "COALESCE", "NULLIF", "IF", "JSON_VALUE", "JSON_EXTRACT", "HEADER",
            "LAG", "LEAD", "ROW_NUMBER", "RANK", "DENSE_RANK");

    @Test
    void everySpecFunctionIsRegistered() {
        for (String f : SPEC_FUNCTIONS) {
            assertTrue(FunctionRegistry.lookup(f) != null, f + " is not registered");
        }
    }

    /**
     * A function counts as covered only when a script case that runs (command {@code run}, exit code
     * 0 or 1, with checked output) calls it: the calls are collected from the parsed statements'
     * syntax trees, so a name in a comment, a string, a column alias or an EXPLAIN does not count.
     */
    @Test
    void everyRegisteredFunctionRunsInAScriptCase() throws IOException {
        Set<String> called = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/sql-cases"))) {
            for (Path dir : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
                if (runsWithCheckedOutput(dir)) {
                    for (Statement st : Parser.parseScript(Files.readString(dir.resolve("job.sql")))) {
                        if (!(st instanceof Statement.Explain)) {
                            collectCalls(st, called);
                        }
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (FunctionDef d : FunctionRegistry.all()) {
            if (d.kind() != FunctionKind.ANALYTIC && !called.contains(d.name())) {
                missing.add(d.name());
            }
        }
        assertTrue(missing.isEmpty(), "functions no running script case calls: " + missing);
    }

    @Test
    void aNameInACommentOrAStringIsNoCall() {
        Set<String> called = new TreeSet<>();
        for (Statement st : Parser.parseScript("-- UPPER(x)\nSELECT 'LOWER(y)' AS ltrim, CEILING(1.5) AS rtrim FROM t;")) {
            collectCalls(st, called);
        }
        assertEquals(Set.of("CEIL"), called);
    }

    private static boolean runsWithCheckedOutput(Path dir) throws IOException {
        Path expected = dir.resolve("expected");
        String command = Files.exists(expected.resolve("command.txt")) ? Files.readString(expected.resolve("command.txt")).trim() : "run";
        String exit = Files.exists(expected.resolve("exit.txt")) ? Files.readString(expected.resolve("exit.txt")).trim() : "0";
        if (!command.startsWith("run") || exit.equals("2")) {
            return false;
        }
        try (Stream<Path> files = Files.walk(expected)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                String name = f.getFileName().toString();
                return !name.equals("exit.txt") && !name.equals("command.txt") && !name.equals("stderr.txt") && f.toFile().length() > 0;
            });
        }
    }

    /** Walks any syntax tree node (records, lists) and adds the canonical name of every function call. */
    static void collectCalls(Object node, Set<String> out) {
        if (node instanceof Expr.Call c) {
            FunctionDef d = FunctionRegistry.lookup(c.name());
            out.add(d == null ? c.name().toUpperCase(Locale.ROOT) : d.name());
        }
        if (node instanceof List<?> list) {
            list.forEach(e -> collectCalls(e, out));
        } else if (node instanceof Record r) {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    collectCalls(rc.getAccessor().invoke(r), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
