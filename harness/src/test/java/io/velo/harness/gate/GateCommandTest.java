package io.velo.harness.gate;

import static io.velo.harness.gate.Fixtures.P99;
import static io.velo.harness.gate.Fixtures.TPUT;
import static io.velo.harness.gate.Fixtures.result;
import static io.velo.harness.gate.Fixtures.scaled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code velo bench gate} and {@code velo bench baseline save} end to end on temporary directories. */
class GateCommandTest {
    @TempDir
    Path tmp;

    String out;
    String err;

    int bench(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = BenchCommand.execute(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @AfterEach
    void unregister() {
        SelfTest.source(null);
    }

    private String baselines() {
        return tmp.resolve("baselines").toString();
    }

    private Path saveBaseline() throws Exception {
        Path base = Fixtures.write(tmp.resolve("reports/base"), result("sustained-load", TPUT, P99));
        assertEquals(0, bench("baseline", "save", base.toString(), "--baselines", baselines()), err);
        assertTrue(out.startsWith("saved baseline " + tmp.resolve("baselines").resolve(Fixtures.CLASS).resolve("sustained-load.json")), out);
        return base;
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void unchangedPassesAndWritesSummariesBesideTheResult() throws Exception {
        saveBaseline();
        Path neu = Fixtures.write(tmp.resolve("reports/new"),
                result("sustained-load", new double[] {20000, 20060, 19970, 20020, 19990}, new double[] {2.31, 2.29, 2.30, 2.33, 2.28}));
        assertEquals(0, bench("gate", neu.toString(), "--baselines", baselines()), err);
        assertTrue(out.contains("PASS        sustained-load  throughput_rps"), out);
        assertTrue(out.contains("PASS        sustained-load  latency_ms.p99"), out);
        assertTrue(out.contains("gate: PASS"), out);
        String md = Files.readString(neu.getParent().resolve("gate.md"));
        assertTrue(md.contains("**Gate: PASS**"), md);
        assertTrue(md.contains("| ✅ PASS | `latency_ms.p99` |"), md);
        Document junit = xml(neu.getParent().resolve("gate-junit.xml"));
        assertEquals(2, junit.getElementsByTagName("testcase").getLength());
        assertEquals(0, junit.getElementsByTagName("failure").getLength());
    }

    @Test
    void aRegressionExitsOneAndIsAFailingTestCase() throws Exception {
        saveBaseline();
        Path neu = Fixtures.write(tmp.resolve("reports/new"), result("sustained-load", TPUT, new double[] {2.79, 2.80, 2.78, 2.81, 2.77}));
        Path md = tmp.resolve("ci/summary.md");
        Path junitFile = tmp.resolve("ci/junit.xml");
        assertEquals(1, bench("gate", neu.toString(), "--baselines", baselines(), "--markdown", md.toString(), "--junit", junitFile.toString()), err);
        assertTrue(out.contains("REGRESSION  sustained-load  latency_ms.p99         2.300 -> 2.790 ms  (+21.3%, tolerance 15.0%, p=0.004, n=5/5)"), out);
        assertTrue(out.contains("gate: REGRESSION"), out);
        assertTrue(Files.readString(md).contains("**Gate: REGRESSION** — 1 regression(s)"));
        assertFalse(Files.exists(neu.getParent().resolve("gate.md")), "given --markdown, nothing is written beside the result");

        Document doc = xml(junitFile);
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("sustained-load", suite.getAttribute("name"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        NodeList failures = doc.getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        assertEquals("latency_ms.p99", ((Element) failures.item(0).getParentNode()).getAttribute("name"));

        // a looser tolerance for p99 makes it pass
        assertEquals(0, bench("gate", neu.toString(), "--baselines", baselines(), "--tolerance", "latency_ms.p99=25%",
                "--markdown", md.toString(), "--junit", junitFile.toString()), err + out);
    }

    @Test
    void aMissingMetricIsSkippedInJunit() throws Exception {
        Path base = Fixtures.write(tmp.resolve("reports/base"), result("sustained-load", TPUT, new double[0]));
        assertEquals(0, bench("baseline", "save", base.toString(), "--baselines", baselines()), err);
        Path neu = Fixtures.write(tmp.resolve("reports/new"), result("sustained-load", TPUT, P99));
        assertEquals(0, bench("gate", neu.toString(), "--baselines", baselines()), err);
        assertTrue(out.contains("MISSING     sustained-load  latency_ms.p99"), out);
        Document doc = xml(neu.getParent().resolve("gate-junit.xml"));
        assertEquals(1, doc.getElementsByTagName("skipped").getLength());
    }

    @Test
    void inputErrorsExitTwo() throws Exception {
        saveBaseline();
        Path good = Fixtures.write(tmp.resolve("reports/new"), result("sustained-load", TPUT, P99));

        assertEquals(2, bench("gate", "--baselines", baselines()));
        assertTrue(err.contains("at least one RESULT.json"), err);

        Path jmhRaw = tmp.resolve("jmh.json");
        Files.writeString(jmhRaw, "[{\"benchmark\": \"io.velo.X.y\", \"mode\": \"avgt\"}]");
        assertEquals(2, bench("gate", jmhRaw.toString(), "--baselines", baselines()));
        assertTrue(err.contains("JMH's own output"), err);

        // one bad file among good ones: the good one is still gated, the exit is 2
        assertEquals(2, bench("gate", good.toString(), tmp.resolve("missing.json").toString(), "--baselines", baselines()));
        assertTrue(out.contains("PASS        sustained-load  throughput_rps"), out);
        assertTrue(err.contains("missing.json: no such file"), err);

        ObjectNode elsewhere = result("max-throughput", TPUT, P99);
        Path noBase = Fixtures.write(tmp.resolve("reports/other"), elsewhere);
        assertEquals(2, bench("gate", noBase.toString(), "--baselines", baselines()));
        assertTrue(err.contains("no baseline for scenario 'max-throughput'") && err.contains("velo bench baseline save"), err);
        assertTrue(Files.readString(noBase.getParent().resolve("gate.md")).contains("Not compared"));
        Document doc = xml(noBase.getParent().resolve("gate-junit.xml"));
        assertEquals(1, doc.getElementsByTagName("error").getLength());

        assertEquals(2, bench("gate", good.toString(), "--baselines", baselines(), "--tolerance", "latency_ms.p99"));
        assertTrue(err.contains("METRIC=X"), err);
        assertEquals(2, bench("gate", good.toString(), "--baselines", baselines(), "--tolerance", "latency_ms.p99=-1"));
        assertEquals(2, bench("gate", good.toString(), "--baselines", baselines(), "--tolerance", "latncy_ms.p99=0.1"));
        assertTrue(err.contains("no result gates a metric named 'latncy_ms.p99'"), err);
        assertEquals(2, bench("gate", good.toString(), "--no-such-option"));

        // gating a metric the new result does not carry
        Path notMeasured = Fixtures.write(tmp.resolve("reports/nop99"), result("sustained-load", TPUT, new double[0]));
        assertEquals(2, bench("gate", notMeasured.toString(), "--baselines", baselines()));
        assertTrue(out.contains("ERROR       sustained-load  latency_ms.p99"), out);
    }

    @Test
    void scenarioChangesAreWarnings() throws Exception {
        saveBaseline();
        Path neu = Fixtures.write(tmp.resolve("reports/new"), result("sustained-load", TPUT, P99).put("scenario_hash", "ffff0000"));
        assertEquals(0, bench("gate", neu.toString(), "--baselines", baselines()), err);
        assertTrue(err.contains("changed since its baseline"), err);
        assertTrue(Files.readString(neu.getParent().resolve("gate.md")).contains("changed since its baseline"));
    }

    @Test
    void baselineSaveRefusesBadInputWithExitTwo() throws Exception {
        ObjectNode r = result("s", TPUT, P99);
        r.put("verified", false);
        Path bad = Fixtures.write(tmp.resolve("reports/bad"), r);
        assertEquals(2, bench("baseline", "save", bad.toString(), "--baselines", baselines()));
        assertTrue(err.contains("not verified"), err);
        assertFalse(Files.exists(tmp.resolve("baselines")));
        assertEquals(2, bench("baseline", "save"));
        assertEquals(2, bench("baseline"));
    }

    @Test
    void selfTest() throws Exception {
        Path scenario = tmp.resolve("synthetic.yaml");
        Files.writeString(scenario, """
                name: synthetic
                gate:
                  metrics:
                    throughput_rps: {direction: higher, tolerance: 0.05}
                    cpu_ns_per_record: {direction: lower, tolerance: 0.05}
                    latency_ms.p99: {direction: lower, tolerance: 0.15}
                  alpha: 0.05
                """);
        // the scenario runner registers itself (META-INF/services): bench gate --self-test finds it without set-up
        assertTrue(SelfTest.source().isPresent(), "a RepetitionSource is registered through ServiceLoader");

        SelfTest.source(new SyntheticSource(11, 0.03));
        assertEquals(2, bench("gate", "--self-test", scenario.toString(), "--trials", "5"));
        assertTrue(err.contains("at least 10"), err);
        assertEquals(2, bench("gate", "--self-test", tmp.resolve("none.yaml").toString()));
        assertEquals(2, bench("gate", "--self-test", scenario.toString(), "--pool", "6"));

        assertEquals(0, bench("gate", "--self-test", scenario.toString(), "--trials", "100", "--pool", "30"), err + out);
        assertTrue(out.contains("false_alarm_rate="), out);
        assertTrue(out.contains("\ndetection_rate="), out);
        assertTrue(out.contains("at_5pct: false_alarm_rate="), out);
        assertTrue(out.contains("goal (false_alarm_rate <= 0.05 and detection_rate >= 0.90, scenario tolerances): met"), out);

        Path noGate = tmp.resolve("nogate.yaml");
        Files.writeString(noGate, "name: x\n");
        assertEquals(2, bench("gate", "--self-test", noGate.toString()));
        assertTrue(err.contains("no gate.metrics"), err);
    }
}
