package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An unbounded job (a watched file) stops cleanly on SIGTERM and SIGINT: what it read is written and
 * flushed, and {@code velo run} exits 0. Runs the real command line in a child JVM and signals it.
 */
@DisabledOnOs(OS.WINDOWS)
class SignalStopTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void signalFlushesAndExitsZero(String signal) throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,v\n1,1.5\n2,2.5\n");
        Files.writeString(dir.resolve("j.sql"), "CREATE STREAM o AS SELECT id, v * 2 AS w FROM t WITH ("
                + "'t.type' = 'file_source', 't.path' = 'in.csv', 't.format' = 'csv', 't.watch' = 'true', "
                + "'o.type' = 'file_sink', 'o.path' = 'out/o.json');");
        String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                dir.resolve("j.sql").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try {
            waitFor(() -> lines(dir.resolve("log.txt")).isEmpty() && p.isAlive(), 3_000); // let the JVM start
            Thread.sleep(3_000); // JVM start and planning take about a second; leave room on a loaded machine
            Files.writeString(dir.resolve("in.csv"), "3,3.5\n", java.nio.file.StandardOpenOption.APPEND);
            Thread.sleep(500);
            if (signal.equals("TERM")) {
                p.destroy(); // SIGTERM on Unix
            } else {
                Process kill;
                try {
                    kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                } catch (IOException noKill) {
                    org.junit.jupiter.api.Assumptions.abort("no kill command to send SIG" + signal);
                    return;
                }
                kill.waitFor();
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "velo run did not stop");
            String log = Files.readString(dir.resolve("log.txt"));
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains("o: 3 records read, 3 written, 0 failed"), log);
            assertEquals(List.of("{\"id\":1,\"w\":\"3.0\"}", "{\"id\":2,\"w\":\"5.0\"}", "{\"id\":3,\"w\":\"7.0\"}"),
                    Files.readAllLines(dir.resolve("out/o.json")));
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (condition.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
    }
}
