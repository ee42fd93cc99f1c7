package io.velo.harness.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfTestTest {
    @Test
    void aGateOnThreePercentNoiseRarelyFalseAlarmsAndCatchesTheInjections() throws Exception {
        SyntheticSource src = new SyntheticSource(42, 0.03);
        SelfTest.Pools pools = SelfTest.collect(src, Path.of("synthetic.yaml"), 40, 20);
        // interleaved: two unchanged runs (they size the p99 injection), then unchanged, slowdown, +p99 in turn
        assertEquals(List.of(Injection.NONE, Injection.NONE, Injection.SLOWDOWN_10PCT, Injection.P99_PLUS_20PCT, Injection.NONE),
                src.calls.subList(0, 5));
        assertEquals(40, pools.unchanged().size());
        assertEquals(20, pools.slowdown().size());
        assertEquals(20, pools.p99().size());
        SelfTest.Report r = SelfTest.run("synthetic", SyntheticSource.gate(), pools, 5, 200, 7);
        SelfTest.Rates s = r.scenarioTolerances();
        assertTrue(s.falseAlarm() <= 0.10, "false alarms " + s.falseAlarm());
        assertTrue(s.detectionSlowdown() >= 0.90, "slowdown detection " + s.detectionSlowdown());
        assertTrue(s.detectionP99() >= 0.90, "p99 detection " + s.detectionP99());
        assertEquals(Math.min(s.detectionSlowdown(), s.detectionP99()), s.detection());
        // what fires is what was injected
        assertTrue(s.firedSlowdown().containsKey("throughput_rps") || s.firedSlowdown().containsKey("cpu_ns_per_record"));
        assertTrue(s.firedP99().containsKey("latency_ms.p99"));
        assertTrue(!s.firedP99().containsKey("throughput_rps") || s.firedP99().get("throughput_rps") < 20);
        // at 5% tolerance p99 regressions are at least as easy to catch
        assertTrue(r.at5pct().detectionP99() >= s.detectionP99());

        List<String> lines = r.lines();
        lines.forEach(System.out::println);
        assertTrue(lines.stream().anyMatch(l -> l.matches("false_alarm_rate=0\\.\\d\\d")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("detection_rate=[01]\\.\\d\\d")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("detection_rate_slowdown=")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("detection_rate_p99=")));
        assertTrue(lines.stream().anyMatch(l -> l.matches("at_5pct: false_alarm_rate=\\d\\.\\d\\d detection_rate=\\d\\.\\d\\d.*")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fired: ") && l.contains("latency_ms.p99 x")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("not independent")));
    }

    @Test
    void theSameSeedGivesTheSameRates() throws Exception {
        SelfTest.Pools pools = SelfTest.collect(new SyntheticSource(1, 0.03), Path.of("x.yaml"), 15, 10);
        SelfTest.Report a = SelfTest.run("x", SyntheticSource.gate(), pools, 5, 50, 3);
        SelfTest.Report b = SelfTest.run("x", SyntheticSource.gate(), pools, 5, 50, 3);
        assertEquals(a.lines(), b.lines());
    }

    @Test
    void noiseAsLargeAsTheEffectIsNotDetectedReliably() throws Exception {
        // a sanity check that the rates measure something: with 15% noise a 10% slowdown drowns
        SelfTest.Pools pools = SelfTest.collect(new SyntheticSource(5, 0.15), Path.of("x.yaml"), 40, 20);
        SelfTest.Report r = SelfTest.run("x", SyntheticSource.gate(), pools, 5, 200, 3);
        assertTrue(r.scenarioTolerances().detectionSlowdown() < 0.9, r.lines().toString());
    }

    @Test
    void poolsMustHoldTwoDisjointSamples() throws Exception {
        SelfTest.Pools pools = SelfTest.collect(new SyntheticSource(1, 0.03), Path.of("x.yaml"), 9, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelfTest.run("x", SyntheticSource.gate(), pools, 5, 20, 1));
        assertTrue(e.getMessage().contains("unchanged needs >= 10"), e.getMessage());
    }
}
