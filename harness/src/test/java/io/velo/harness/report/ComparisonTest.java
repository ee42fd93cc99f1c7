package io.velo.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void flattensNestedNumbersToDottedKeys() {
        ObjectNode o = ResultFixtures.M.createObjectNode();
        o.putObject("latency_ms").put("p99", 3.5).put("p50", 1);
        o.put("verified", true).put("name", "x").put("nan", Double.NaN);
        Map<String, Double> f = Comparison.flatten(o);
        assertEquals(Map.of("latency_ms.p99", 3.5, "latency_ms.p50", 1.0), f);
    }

    @Test
    void medians() {
        assertEquals(2.0, Comparison.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Comparison.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertNull(Comparison.median(List.of()));
    }

    private static JsonNode find(ArrayNode v, String metric) {
        for (JsonNode x : v) {
            if (x.get("metric").asText().equals(metric)) {
                return x;
            }
        }
        throw new AssertionError("no verdict for " + metric);
    }

    @Test
    void verdictsByToleranceInTheRightDirection() {
        ObjectNode base = ResultFixtures.scenarioResult("b", 2, 5, 1.0);
        ObjectNode now = ResultFixtures.scenarioResult("n", 3, 5, 0.7); // ~43% more CPU, latency and allocation per record
        now.with("gate").with("metrics").putObject("lost").put("direction", "lower").put("tolerance", 0.05);
        now.with("gate").with("metrics").putObject("extra.recovery_ms").put("direction", "lower").put("tolerance", 0.05);
        ((ObjectNode) now.get("repetitions").get(0)).put("lost", 4);
        ArrayNode v = Comparison.verdicts(base, now);
        assertEquals(6, v.size());
        assertEquals("PASS", find(v, "throughput_rps").get("status").asText());
        JsonNode cpu = find(v, "cpu_ns_per_record");
        assertEquals("REGRESSION", cpu.get("status").asText());
        double mb = sortedMid(base, "cpu_ns_per_record");
        double mn = sortedMid(now, "cpu_ns_per_record");
        assertEquals(mb, cpu.get("baseline").asDouble(), 1e-9);
        assertEquals(mn, cpu.get("value").asDouble(), 1e-9);
        assertEquals((mn - mb) / mb, cpu.get("change").asDouble(), 1e-12);
        assertTrue(cpu.get("change").asDouble() > 0.25);
        assertEquals(5, cpu.get("n_base").asInt());
        assertTrue(cpu.get("p_value").isNull(), "no test, no p-value");
        assertEquals(Comparison.METHOD, cpu.get("method").asText());
        assertTrue(cpu.get("line").asText().contains("no significance test"));
        assertEquals("REGRESSION", find(v, "latency_ms.p99").get("status").asText());
        // median lost stays 0 (one repetition of five lost records): unchanged
        assertEquals("PASS", find(v, "lost").get("status").asText());
        JsonNode rec = find(v, "extra.recovery_ms");
        assertEquals("MISSING", rec.get("status").asText());
        assertEquals(0, rec.get("n_new").asInt());

        // the other way round the same changes are improvements
        ArrayNode back = Comparison.verdicts(now, base);
        assertEquals("IMPROVEMENT", find(back, "cpu_ns_per_record").get("status").asText());
    }

    /** The middle of five repetition values, worked out here independently of Comparison. */
    private static double sortedMid(ObjectNode r, String key) {
        double[] xs = new double[r.get("repetitions").size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.get("repetitions").get(i).get(key).asDouble();
        }
        java.util.Arrays.sort(xs);
        return xs[xs.length / 2];
    }

    @Test
    void aMoveFromZeroCountsAsBeyondTolerance() {
        ObjectNode base = ResultFixtures.M.createObjectNode().put("lost", 0);
        ObjectNode now = ResultFixtures.M.createObjectNode().put("lost", 3);
        now.putObject("gate").putObject("metrics").putObject("lost").put("direction", "lower").put("tolerance", 0.05);
        JsonNode v = Comparison.verdicts(base, now).get(0);
        assertEquals("REGRESSION", v.get("status").asText());
        assertTrue(v.get("change").isNull());
        assertEquals(1, v.get("n_new").asInt(), "a result without repetitions is one sample");
    }
}
