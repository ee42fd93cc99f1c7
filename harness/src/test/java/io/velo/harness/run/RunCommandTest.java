package io.velo.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.harness.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench run}'s input errors: each a clear message, exit 2, nothing written. */
class RunCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        err.reset();
        return BenchCommand.execute(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(RunCommandTest.class.getResource("/scenarios/" + name).toURI());
    }

    @Test
    void aMalformedScenarioNamesTheFileLineAndKey() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(2, run("run", resource("bad-unknown-key.yaml").toString(), "--out", out.toString()));
        assertTrue(err().matches("(?s).*bad-unknown-key\\.yaml:\\d+:\\d+: error: .*"), err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aMissingSqlFileIsAnError() throws Exception {
        assertEquals(2, run("run", resource("bad-sql-missing.yaml").toString(), "--out", dir.resolve("o").toString()));
        assertTrue(err().contains("error"), err());
    }

    @Test
    void aMissingScenarioFileIsAnError() {
        assertEquals(2, run("run", dir.resolve("nope.yaml").toString()));
        assertTrue(err().contains("nope.yaml"), err());
    }

    @Test
    void anUnreachableBrokerIsAnErrorBeforeAnythingRuns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path scenario = Path.of("..", "scenarios", "gate-smoke.yaml");
        Path out = dir.resolve("run");
        assertEquals(2, run("run", scenario.toString(), "--kafka", "127.0.0.1:" + port, "--out", out.toString()));
        assertTrue(err().contains("cannot reach Kafka at 127.0.0.1:" + port), err());
        assertFalse(Files.exists(out.resolve("result.json")));
    }

    @Test
    void aResultIsNeverOverwritten() throws Exception {
        Path out = dir.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("result.json"), "{}");
        assertEquals(2, run("run", Path.of("..", "scenarios", "gate-smoke.yaml").toString(), "--out", out.toString()));
        assertEquals("{}", Files.readString(out.resolve("result.json")));
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertEquals(2, run("run", "../scenarios/gate-smoke.yaml", "--kafka", "no-such-thing"));
        assertEquals(2, run("run", "../scenarios/gate-smoke.yaml", "--repetitions", "0"));
        assertEquals(2, run("run", "../scenarios/gate-smoke.yaml", "--rate", "-5"));
    }
}
