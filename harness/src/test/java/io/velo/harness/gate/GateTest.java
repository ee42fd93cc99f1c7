package io.velo.harness.gate;

import static io.velo.harness.gate.Fixtures.P99;
import static io.velo.harness.gate.Fixtures.TPUT;
import static io.velo.harness.gate.Fixtures.result;
import static io.velo.harness.gate.Fixtures.scaled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {
    private static Verdict verdict(List<Verdict> vs, String metric) {
        return vs.stream().filter(v -> v.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void aSignificantChangeBeyondTheToleranceIsARegression() {
        ObjectNode base = result("sustained-load", TPUT, P99);
        ObjectNode neu = result("sustained-load", TPUT, new double[] {2.79, 2.80, 2.78, 2.81, 2.77});
        List<Verdict> vs = Gate.compare(base, neu, Map.of());
        Verdict p99 = verdict(vs, "latency_ms.p99");
        assertEquals(Verdict.Status.REGRESSION, p99.status());
        assertEquals(2.30, p99.baselineMedian(), 1e-9);
        assertEquals(2.79, p99.newMedian(), 1e-9);
        assertEquals(0.49 / 2.30, p99.change(), 1e-9);
        assertEquals(1.0 / 252, p99.pValue(), 1e-12);
        assertEquals(5, p99.nBase());
        assertEquals(5, p99.nNew());
        assertEquals("ms", p99.unit());
        assertEquals("REGRESSION  sustained-load  latency_ms.p99         2.300 -> 2.790 ms  (+21.3%, tolerance 15.0%, p=0.004, n=5/5)",
                p99.line());
        assertEquals(Verdict.Status.PASS, verdict(vs, "throughput_rps").status());
        assertTrue(Gate.anyRegression(vs));
    }

    @Test
    void noiseAndSignificantButSmallChangesPass() {
        ObjectNode base = result("s", TPUT, P99);
        // interleaved with the baseline: not significant
        ObjectNode noise = result("s", new double[] {20000, 20060, 19970, 20020, 19990}, new double[] {2.31, 2.29, 2.30, 2.33, 2.28});
        for (Verdict v : Gate.compare(base, noise, Map.of())) {
            assertEquals(Verdict.Status.PASS, v.status(), v.line());
            assertTrue(v.pValue() > 0.05, v.line());
        }
        // p99 +8%: every repetition worse (p = 0.004) but within the 15% tolerance
        Verdict small = verdict(Gate.compare(base, result("s", TPUT, scaled(P99, 1.08)), Map.of()), "latency_ms.p99");
        assertEquals(Verdict.Status.PASS, small.status());
        assertTrue(small.pValue() < 0.05);
        // a large median change that is not significant (one wild repetition each way) passes too
        Verdict wild = verdict(Gate.compare(base, result("s", TPUT, new double[] {2.0, 2.1, 2.9, 3.0, 3.1}), Map.of()),
                "latency_ms.p99");
        assertEquals(Verdict.Status.PASS, wild.status(), wild.line());
        assertTrue(wild.change() > 0.15 && wild.pValue() > 0.05, wild.line());
    }

    @Test
    void improvementsAreTheMirrorImage() {
        ObjectNode base = result("s", TPUT, P99);
        List<Verdict> vs = Gate.compare(base, result("s", scaled(TPUT, 1.2), scaled(P99, 0.7)), Map.of());
        assertEquals(Verdict.Status.IMPROVEMENT, verdict(vs, "throughput_rps").status());
        assertEquals(Verdict.Status.IMPROVEMENT, verdict(vs, "latency_ms.p99").status());
        assertFalse(Gate.anyRegression(vs));
        // throughput 20% lower is a regression, since higher is better
        Verdict down = verdict(Gate.compare(base, result("s", scaled(TPUT, 0.8), P99), Map.of()), "throughput_rps");
        assertEquals(Verdict.Status.REGRESSION, down.status());
        assertEquals(-0.2, down.change(), 1e-9);
        assertEquals("records/s", down.unit());
    }

    @Test
    void tooFewRepetitionsAreDecidedByTheEffectAloneAtTwiceTheTolerance() {
        ObjectNode base = result("s", new double[] {20000, 20100}, new double[] {2.30, 2.32});
        // +20% p99 with tolerance 15%: would regress with enough repetitions, but 2/2 can never reach p < 0.05
        Verdict mild = verdict(Gate.compare(base, result("s", new double[] {20000, 20100}, new double[] {2.76, 2.78}), Map.of()),
                "latency_ms.p99");
        assertEquals(Verdict.Status.PASS, mild.status());
        assertFalse(mild.sufficientN());
        assertTrue(mild.note().contains("too few repetitions"), mild.note());
        assertTrue(mild.line().contains("n=2/2"), mild.line());
        // +40% is beyond twice the tolerance
        Verdict big = verdict(Gate.compare(base, result("s", new double[] {20000, 20100}, new double[] {3.22, 3.25}), Map.of()),
                "latency_ms.p99");
        assertEquals(Verdict.Status.REGRESSION, big.status());
        // 3 vs 3 cannot reach p < 0.05 either (its minimum is exactly 0.05); 3 vs 4 can
        assertFalse(Gate.decide("s", "m", "lower", 0.1, 0.05, new double[] {1, 1, 1}, new double[] {2, 2, 2}, "").sufficientN());
        assertTrue(Gate.decide("s", "m", "lower", 0.1, 0.05, new double[] {1, 1.1, 1}, new double[] {2, 2.1, 2, 2.2}, "").sufficientN());
    }

    @Test
    void missingMetrics() {
        ObjectNode base = result("s", TPUT, new double[0]); // baseline predates the p99 metric
        List<Verdict> vs = Gate.compare(base, result("s", TPUT, P99), Map.of());
        Verdict m = verdict(vs, "latency_ms.p99");
        assertEquals(Verdict.Status.MISSING, m.status());
        assertTrue(m.line().contains("baseline does not carry"), m.line());
        assertTrue(m.toJson().get("baseline_median").isNull());
        // the new result gates p99 but does not measure it: an error
        Verdict e = verdict(Gate.compare(result("s", TPUT, P99), result("s", TPUT, new double[0]), Map.of()), "latency_ms.p99");
        assertEquals(Verdict.Status.ERROR, e.status());
        assertEquals(0, e.nNew());
    }

    @Test
    void toleranceOverrides() {
        ObjectNode base = result("s", TPUT, P99);
        ObjectNode neu = result("s", TPUT, scaled(P99, 1.08));
        assertEquals(Verdict.Status.REGRESSION, verdict(Gate.compare(base, neu, Map.of("all", 0.05)), "latency_ms.p99").status());
        assertEquals(Verdict.Status.REGRESSION,
                verdict(Gate.compare(base, neu, Map.of("latency_ms.p99", 0.05)), "latency_ms.p99").status());
        // the metric's own override beats all=
        Verdict v = verdict(Gate.compare(base, neu, Map.of("all", 0.05, "latency_ms.p99", 0.10)), "latency_ms.p99");
        assertEquals(Verdict.Status.PASS, v.status());
        assertEquals(0.10, v.tolerance(), 0);
    }

    @Test
    void onlyTheNewResultsGateMetricsAreCompared() {
        ObjectNode base = result("s", TPUT, P99);
        ObjectNode neu = result("s", TPUT, P99);
        ((ObjectNode) neu.get("gate").get("metrics")).remove("throughput_rps");
        List<Verdict> vs = Gate.compare(base, neu, Map.of());
        assertEquals(1, vs.size());
        assertEquals("latency_ms.p99", vs.get(0).metric());
    }

    @Test
    void alphaComesFromTheResult() {
        ObjectNode base = result("s", TPUT, P99);
        ObjectNode neu = result("s", TPUT, scaled(P99, 1.3));
        neu.with("gate").put("alpha", 0.001); // 5/5 cannot reach 0.001 (minimum 1/252)
        Verdict v = verdict(Gate.compare(base, neu, Map.of()), "latency_ms.p99");
        assertFalse(v.sufficientN());
        assertEquals(Verdict.Status.PASS, v.status()); // +30% is not beyond 2 x 15%
        assertEquals(0.001, v.alpha(), 0);
    }

    @Test
    void jsonFieldNames() {
        ArrayNode a = Gate.toJson(Gate.compare(result("s", TPUT, P99), result("s", TPUT, scaled(P99, 1.3)), Map.of()));
        JsonNode v = a.get(1);
        for (String f : List.of("scenario", "metric", "status", "direction", "baseline_median", "new_median", "change", "shift",
                "p_value", "tolerance", "alpha", "n_base", "n_new", "sufficient_n", "unit", "note", "line")) {
            assertTrue(v.has(f), f);
        }
        assertEquals("REGRESSION", v.get("status").asText());
        assertEquals(0.69, v.get("shift").asDouble(), 0.02);
    }

    @Test
    void jmhScoresTakeTheirUnitFromTheResult() {
        ObjectNode r = result("micro", TPUT, P99);
        r.putObject("jmh").putObject("DecimalBenchmark.addDecimal").put("unit", "ns/op");
        assertEquals("ns/op", Gate.unit(r, "jmh.DecimalBenchmark.addDecimal.score"));
    }
}
