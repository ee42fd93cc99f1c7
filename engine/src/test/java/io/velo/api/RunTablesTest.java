package io.velo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.sql.SqlException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code CREATE TABLE … AS} without a sink is a table of the run: later statements read it, the run
 * removes it when it ends, and planning alone ({@code velo check}) writes nothing.
 */
class RunTablesTest {
    @TempDir
    Path dir;

    private static final String SCRIPT = """
            CREATE STREAM fills (trader STRING, qty BIGINT)
            WITH ('fills.type' = 'file_source', 'fills.path' = 'fills.csv', 'fills.format' = 'csv');
            CREATE TABLE positions AS SELECT trader, SUM(qty) AS position FROM fills GROUP BY trader;
            SELECT trader, position FROM positions WHERE position > 100;
            SELECT COUNT(*) AS changes, MAX(position) AS top FROM positions EMIT FINAL;
            """;

    @Test
    void aTableWithoutASinkIsReadByTheLaterStatementsAndRemovedWithTheRun() throws Exception {
        StringBuilder csv = new StringBuilder("trader,qty\n");
        for (int i = 0; i < 5_000; i++) {
            csv.append("t").append(i % 97).append(',').append(i).append('\n');
        }
        long top = 0; // positions only grow: the largest change is the largest final position
        for (int t = 0; t < 97; t++) {
            long sum = 0;
            for (int i = t; i < 5_000; i += 97) {
                sum += i;
            }
            top = Math.max(top, sum);
        }
        Files.writeString(dir.resolve("fills.csv"), csv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Engine engine = new Engine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String check = engine.check(SCRIPT, dir, List.of());
        assertTrue(check.contains("Sink positions: a table of this run"), check);
        assertFalse(Files.exists(engine.runTablesDir()), "check wrote " + engine.runTablesDir());

        List<Engine.JobResult> results = engine.run(SCRIPT, dir, Engine.RunOptions.defaults());
        assertEquals(3, results.size());
        assertEquals(5_000, results.get(0).recordsOut(), "every fill changes its trader's position once");
        assertEquals(5_000, results.get(1).recordsIn(), "the later statement read the whole changelog");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("{\"changes\":5000,\"top\":" + top + "}"), printed);
        assertFalse(Files.exists(engine.runTablesDir()), "the run left " + engine.runTablesDir());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("fills.csv")), files.toList(), "nothing written beside the script");
        }
    }

    @Test
    void aTableOfTheRunReadWhileItsJobRunsIsKeptInATopicOfTheRun() {
        // a watched file: every job of the script runs at once, so the later one reads the table while it is written
        String script = SCRIPT.replace("'fills.format' = 'csv'", "'fills.format' = 'csv', 'fills.watch' = 'true'");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String check = engine.check(script, dir, List.of());
        assertTrue(check.matches("(?s).*Sink positions: kafka_sink velo-run-[0-9a-f]{8}-positions \\(json\\), a table of this run.*"), check);
        assertTrue(check.matches("(?s).*Source positions: kafka_source velo-run-[0-9a-f]{8}-positions \\(json\\).*"), check);
        assertFalse(Files.exists(engine.runTablesDir()));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "planned twice, warned once: no warning here at all");
    }

    @Test
    void anExplainedTableIsNotDefinedByTheExplain() {
        String script = SCRIPT.replace("CREATE TABLE positions AS", "EXPLAIN CREATE TABLE positions AS SELECT trader FROM fills;\nCREATE TABLE positions AS");
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        String check = engine.check(script, dir, List.of());
        assertTrue(check.contains("Sink positions: a table of this run"), check);
        String onlyExplained = "CREATE STREAM fills (trader STRING, qty BIGINT) WITH ('fills.type' = 'file_source', 'fills.path' = 'fills.csv', "
                + "'fills.format' = 'csv');\nEXPLAIN CREATE TABLE positions AS SELECT trader, COUNT(*) AS n FROM fills GROUP BY trader;\n"
                + "SELECT n FROM positions;\n";
        SqlException e = assertThrows(SqlException.class, () -> engine.check(onlyExplained, dir, List.of()));
        assertTrue(e.getMessage().contains("unknown source 'positions'"), e.getMessage());
    }

    @Test
    void aFileSinksOutputIsNotReadWhileItsJobRuns() {
        String script = SCRIPT.replace("'fills.format' = 'csv'", "'fills.format' = 'csv', 'fills.watch' = 'true'")
                .replace("GROUP BY trader;", "GROUP BY trader WITH ('positions.type' = 'file_sink', 'positions.path' = 'positions.json');");
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        SqlException e = assertThrows(SqlException.class, () -> engine.check(script, dir, List.of()));
        assertTrue(e.getMessage().contains("all its jobs run at once"), e.getMessage());
        assertEquals(4, e.pos().line(), e.getMessage());
    }
}
