package io.velo.harness.gate;

import static io.velo.harness.gate.Fixtures.P99;
import static io.velo.harness.gate.Fixtures.TPUT;
import static io.velo.harness.gate.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.result.ResultFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselinesTest {
    @TempDir
    Path tmp;

    private Path baselines() {
        return tmp.resolve("baselines");
    }

    @Test
    void saveCopiesTheResultAndItsLogsAndLoadFindsThem() throws Exception {
        Path res = Fixtures.write(tmp.resolve("reports/run1"), result("sustained-load", TPUT, P99));
        Path saved = Baselines.save(res, baselines());
        Path dir = baselines().resolve(Fixtures.CLASS);
        assertEquals(dir.resolve("sustained-load.json"), saved);
        ObjectNode b = ResultFile.read(saved);
        assertEquals(res.normalize().toString(), b.path("baseline").path("source").asText());
        assertTrue(b.path("baseline").path("saved_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        assertEquals("sustained-load.hlog", b.get("hlog").asText());
        assertEquals("sustained-load-rep3.hlog", b.get("repetitions").get(2).get("hlog").asText());
        assertTrue(Files.readString(dir.resolve("sustained-load.hlog")).contains("merged"));
        assertTrue(Files.readString(dir.resolve("sustained-load-rep5.hlog")).contains("rep 5"));

        Baselines.Loaded loaded = Baselines.load(ResultFile.read(res), baselines());
        assertEquals(saved, loaded.file());
        assertTrue(loaded.warnings().isEmpty());
        assertEquals(5, loaded.baseline().get("repetitions").size());
    }

    @Test
    void aNewBaselineWithFewerRepetitionsDropsTheOldRepetitionLogs() throws Exception {
        Baselines.save(Fixtures.write(tmp.resolve("r5"), result("s", TPUT, P99)), baselines());
        Baselines.save(Fixtures.write(tmp.resolve("r3"), result("s", new double[] {1, 2, 3}, new double[] {1, 2, 3})), baselines());
        Path dir = baselines().resolve(Fixtures.CLASS);
        assertTrue(Files.exists(dir.resolve("s-rep3.hlog")));
        assertFalse(Files.exists(dir.resolve("s-rep4.hlog")));
        assertFalse(Files.exists(dir.resolve("s-rep5.hlog")));
        assertTrue(Files.readString(dir.resolve("s-rep1.hlog")).contains("r3"));
    }

    private void assertRefusedAndNothingChanged(Path res, String expected) throws Exception {
        Path dir = baselines().resolve(Fixtures.CLASS);
        String before = Files.readString(dir.resolve("s.json"));
        String hlogBefore = Files.readString(dir.resolve("s-rep1.hlog"));
        Baselines.Problem p = assertThrows(Baselines.Problem.class, () -> Baselines.save(res, baselines()));
        assertTrue(p.getMessage().contains(expected), p.getMessage());
        assertEquals(before, Files.readString(dir.resolve("s.json")));
        assertEquals(hlogBefore, Files.readString(dir.resolve("s-rep1.hlog")));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void refusesUnverifiedInvalidOrIncompleteResultsAndOverwritesNothing() throws Exception {
        Baselines.save(Fixtures.write(tmp.resolve("good"), result("s", TPUT, P99)), baselines());

        ObjectNode unverified = result("s", TPUT, P99);
        unverified.put("verified", false);
        unverified.putArray("problems").add("lost 3 records");
        assertRefusedAndNothingChanged(Fixtures.write(tmp.resolve("unverified"), unverified), "not verified");

        ObjectNode repUnverified = result("s", TPUT, P99);
        ((ObjectNode) repUnverified.get("repetitions").get(1)).put("verified", false);
        assertRefusedAndNothingChanged(Fixtures.write(tmp.resolve("rep-unverified"), repUnverified), "repetitions[1] is not verified");

        Path corrupt = tmp.resolve("corrupt/result.json");
        Files.createDirectories(corrupt.getParent());
        Files.writeString(corrupt, "{\"kind\": \"velo-scenario-result\", \"scen");
        assertRefusedAndNothingChanged(corrupt, "truncated");

        Path noLog = Fixtures.write(tmp.resolve("nolog"), result("s", TPUT, P99));
        Files.delete(noLog.getParent().resolve("latency-rep4.hlog"));
        assertRefusedAndNothingChanged(noLog, "latency-rep4.hlog");

        assertRefusedAndNothingChanged(tmp.resolve("absent/result.json"), "no such file");
    }

    @Test
    void refusesNamesThatAreNotSafePathSegments() throws Exception {
        Path res = Fixtures.write(tmp.resolve("evil"), result("../escape", TPUT, P99));
        Baselines.Problem p = assertThrows(Baselines.Problem.class, () -> Baselines.save(res, baselines()));
        assertTrue(p.getMessage().contains("cannot name a baseline file"), p.getMessage());
        assertFalse(Files.exists(baselines()));
    }

    @Test
    void noBaselineSaysHowToSaveOneAndWhereOthersAre() throws Exception {
        ObjectNode r = result("s", TPUT, P99);
        Baselines.Problem none = assertThrows(Baselines.Problem.class, () -> Baselines.load(r, baselines()));
        assertTrue(none.getMessage().contains("velo bench baseline save"), none.getMessage());
        assertTrue(none.getMessage().contains("holds no baselines"), none.getMessage());

        ObjectNode other = result("s", TPUT, P99);
        other.with("machine").put("class", "arm64-other-8c-jdk21");
        Baselines.save(Fixtures.write(tmp.resolve("other"), other), baselines());
        Baselines.Problem p = assertThrows(Baselines.Problem.class, () -> Baselines.load(r, baselines()));
        assertTrue(p.getMessage().contains("no baseline for scenario 's' on machine class '" + Fixtures.CLASS + "'"), p.getMessage());
        assertTrue(p.getMessage().contains("Machine classes with a baseline for 's': arm64-other-8c-jdk21"), p.getMessage());
    }

    @Test
    void aBaselineThatIsNotWhatItsPathSaysIsAnError() throws Exception {
        Path saved = Baselines.save(Fixtures.write(tmp.resolve("a"), result("s", TPUT, P99)), baselines());
        ObjectNode r = result("s", TPUT, P99);

        // copied into the wrong machine's folder
        Path wrongClass = Baselines.pathFor(baselines(), "arm64-other-8c-jdk21", "s");
        Files.createDirectories(wrongClass.getParent());
        Files.copy(saved, wrongClass);
        ObjectNode onOther = result("s", TPUT, P99);
        onOther.with("machine").put("class", "arm64-other-8c-jdk21");
        assertTrue(assertThrows(Baselines.Problem.class, () -> Baselines.load(onOther, baselines()))
                .getMessage().contains("wrong folder"));

        // renamed to another scenario
        Files.copy(saved, Baselines.pathFor(baselines(), Fixtures.CLASS, "t"));
        ObjectNode t = result("t", TPUT, P99);
        assertTrue(assertThrows(Baselines.Problem.class, () -> Baselines.load(t, baselines()))
                .getMessage().contains("says scenario \"s\""));

        // a micro-benchmark result has a scenario baseline of the same name
        ObjectNode jmh = result("s", TPUT, P99).put("kind", ResultFile.JMH_KIND);
        assertTrue(assertThrows(Baselines.Problem.class, () -> Baselines.load(jmh, baselines()))
                .getMessage().contains("of kind \"velo-scenario-result\""));

        // the scenario file changed since: a warning, not an error
        ObjectNode changed = result("s", TPUT, P99).put("scenario_hash", "bbbb2222");
        Baselines.Loaded l = Baselines.load(changed, baselines());
        assertEquals(1, l.warnings().size());
        assertTrue(l.warnings().get(0).contains("changed since its baseline"), l.warnings().get(0));

        // corrupt
        Files.writeString(saved, "{ \"kind\": ");
        Baselines.Problem c = assertThrows(Baselines.Problem.class, () -> Baselines.load(r, baselines()));
        assertTrue(c.getMessage().startsWith("corrupt baseline: " + saved), c.getMessage());
    }
}
