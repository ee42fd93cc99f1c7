package io.velo.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code velo bench compare} end to end, through the command line. */
class CompareCommandTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int compare(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        return BenchCommand.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void rendersTheComparison() throws Exception {
        Path base = write("base.json", ResultFixtures.scenarioResult("b", 2, 5, 1.0).toString());
        Path now = write("new.json", ResultFixtures.scenarioResult("n", 3, 5, 0.8).toString());
        Path outDir = dir.resolve("cmp");
        assertEquals(0, compare(base.toString(), now.toString(), "--out", outDir.toString()), err());
        String html = Files.readString(outDir.resolve("report.html"));
        assertTrue(html.contains("Verdict: REGRESSION"));
        assertTrue(html.contains("Mann-Whitney"), "the gate's method is named");
        assertTrue(Files.readString(outDir.resolve("report.md")).contains("REGRESSION"));
        JsonNode v = ResultFixtures.M.readTree(outDir.resolve("verdicts.json").toFile());
        assertEquals(4, v.size());
        for (String k : new String[] {"metric", "status", "baseline", "value", "change", "p_value", "tolerance", "n_base", "n_new", "line"}) {
            assertTrue(v.get(0).has(k), k);
        }
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.matches("(?s).*REGRESSION\\s+\\S+\\s+cpu_ns_per_record.*"), o);
        assertTrue(o.contains("wrote " + outDir.resolve("report.html")));
        assertFalse(err().contains("different scenarios"));
    }

    @Test
    void differentScenariosStillRenderWithAWarning() throws Exception {
        ObjectNode b = ResultFixtures.scenarioResult("b", 2, 3, 1.0);
        b.put("scenario", "burst");
        Path base = write("base.json", b.toString());
        Path now = write("new.json", ResultFixtures.scenarioResult("n", 3, 3, 1.0).toString());
        Path outDir = dir.resolve("cmp");
        assertEquals(0, compare(base.toString(), now.toString(), "--out", outDir.toString()), err());
        assertTrue(err().contains("different scenarios"));
        assertTrue(Files.readString(outDir.resolve("report.html")).contains("Different scenarios"));
    }

    @Test
    void badInputsExitTwoAndWriteNothing() throws Exception {
        String good = ResultFixtures.scenarioResult("n", 3, 3, 1.0).toString();
        Path ok = write("ok.json", good);
        Path outDir = dir.resolve("cmp");
        String[][] cases = {
                {"truncated.json", good.substring(0, good.length() - 40), "not valid JSON"},
                {"jmh-raw.json", "[{\"benchmark\": \"io.velo.X.y\", \"mode\": \"avgt\"}]", "JMH's own output"},
                {"empty.json", "", "empty file"},
                {"nokind.json", "{\"scenario\": \"x\"}", "no \"kind\""},
                {"otherkind.json", "{\"kind\": \"something-else\"}", "unknown kind"},
                {"jmh.json", "{\"kind\": \"velo-jmh-result\", \"jmh\": {}}", "missing required field"},
                {"trailing.json", good + " {}", "not valid JSON"},
        };
        for (String[] c : cases) {
            err.reset();
            Path bad = write(c[0], c[1]);
            assertEquals(2, compare(bad.toString(), ok.toString(), "--out", outDir.toString()), c[0]);
            assertTrue(err().contains(c[2]), c[0] + ": " + err());
            assertFalse(Files.exists(outDir), c[0] + ": nothing written");
        }
        err.reset();
        assertEquals(2, compare(dir.resolve("absent.json").toString(), ok.toString(), "--out", outDir.toString()));
        assertTrue(err().contains("no such file"));
        err.reset();
        assertEquals(2, compare(ok.toString()), "a missing argument is a usage error");
        assertFalse(Files.exists(outDir));
    }
}
