package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.harness.cli.MicroCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench micro}: a real (tiny, in-process) JMH run is written as jmh.json and result.json; usage
 * errors exit 2 and a failed JMH run exits 1, neither writing anything nor overwriting a result.
 */
class MicroCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return MicroCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTinyRunWritesBothFiles() throws Exception {
        Path target = dir.resolve("run");
        int code = run("ParserBenchmark.parse$", "-f", "0", "-wi", "0", "-i", "2", "-r", "100ms", "--velo-out", target.toString(),
                "--velo-name=smoke");
        assertEquals(0, code, err());
        JsonNode jmh = new ObjectMapper().readTree(target.resolve("jmh.json").toFile());
        assertEquals("io.velo.harness.jmh.ParserBenchmark.parse", jmh.get(0).get("benchmark").asText());
        JsonNode r = new ObjectMapper().readTree(target.resolve("result.json").toFile());
        assertEquals("velo-jmh-result", r.get("kind").asText());
        assertEquals("smoke", r.get("scenario").asText());
        assertTrue(r.get("run_id").asText().matches("micro-\\d{8}-\\d{6}-smoke"), r.get("run_id").asText());
        assertEquals("jmh.json", r.get("jmh_file").asText());
        JsonNode parse = r.get("jmh").get("ParserBenchmark.parse");
        assertTrue(parse.get("score").asDouble() > 0);
        assertTrue(parse.has("alloc_bytes_per_op"), "the gc profiler is on by default");
        assertEquals(2, r.get("repetitions").size());
        assertTrue(r.get("gate").get("metrics").has("jmh.ParserBenchmark.parse.score"));
        List<String> jmhArgs = new ArrayList<>();
        r.get("config").get("jmh_args").forEach(a -> jmhArgs.add(a.asText()));
        assertEquals(List.of("ParserBenchmark.parse$", "-f", "0", "-wi", "0", "-i", "2", "-r", "100ms"), jmhArgs, "Velo options are not passed on");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("wrote " + target.resolve("result.json")));

        // the same directory again: refused, the result untouched
        byte[] before = Files.readAllBytes(target.resolve("result.json"));
        assertEquals(2, run("ParserBenchmark.parse$", "-f", "0", "-i", "1", "--velo-out", target.toString()));
        assertTrue(err().contains("already exists"), err());
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(target.resolve("result.json")));
    }

    @Test
    void usageErrorsExitTwoAndWriteNothing() throws Exception {
        Path target = dir.resolve("none");
        assertEquals(2, run("-f", "1", "--velo-out"));
        assertTrue(err().contains("--velo-out needs a value"), err());
        assertEquals(2, run("--velo-name", "a/b", "--velo-out", target.toString()));
        assertEquals(2, run("--velo-out", target.toString(), "--velo-out", target.toString()));
        assertEquals(2, run("-f", "many", "--velo-out", target.toString()));
        assertTrue(err().contains("JMH option error"), err());
        assertEquals(2, run("NoSuchBenchmarkAnywhere", "-f", "0", "--velo-out", target.toString()));
        assertTrue(err().contains("no benchmark matches"), err());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertEquals(2, run("ParserBenchmark.parse$", "--velo-out", file.toString()));
        assertFalse(Files.exists(target), "nothing written");
    }

    @Test
    void aFailedJmhRunExitsOneAndWritesNothing() throws Exception {
        Path target = dir.resolve("failed");
        // the fork cannot start: with Velo's default -foe true the run fails instead of measuring nothing
        int code = run("ParserBenchmark.parse$", "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms", "-jvm", dir.resolve("no-java").toString(),
                "--velo-out", target.toString());
        assertEquals(1, code, err());
        assertTrue(err().contains("JMH failed"), err());
        assertFalse(Files.exists(target.resolve("result.json")));
        assertFalse(Files.exists(target.resolve("jmh.json")));
    }

    @Test
    void listingMeasuresNothingAndWritesNothing() throws Exception {
        assertEquals(0, run("-l", "--velo-out", dir.resolve("list").toString()));
        String listed = out.toString(StandardCharsets.UTF_8);
        for (String b : List.of("ExpressionBenchmark.filterEngine", "BatchPoolBenchmark.pooled", "CodecBenchmark.jsonDecodeJackson",
                "AggregationBenchmark.tumblingEngine", "ParserBenchmark.parseAndPlan", "DecimalBenchmark.addDecimal")) {
            assertTrue(listed.contains(b), b + " not listed:\n" + listed);
        }
        assertFalse(Files.exists(dir.resolve("list")));
    }
}
