package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JMH's JSON becomes a {@code velo-jmh-result} as docs/results.md defines it. The fixtures are real
 * JMH output: {@code avgt-two-forks.json} from {@code bench micro 'BatchPoolBenchmark.acquireRelease|ParserBenchmark.parse$'
 * -f 2 -wi 1 -i 2 -w 100ms -r 100ms} (with the default -prof gc), {@code sample-mode.json} from the
 * same parse benchmark with {@code -bm sample -f 1}.
 */
class JmhResultsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant STARTED = Instant.parse("2026-12-01T21:25:28Z");
    private static final String POOL = "BatchPoolBenchmark.acquireRelease[capacity=1024]";
    private static final String PARSE = "ParserBenchmark.parse";

    private static ArrayNode fixture(String name) throws Exception {
        try (InputStream in = JmhResultsTest.class.getResourceAsStream("/jmh/" + name)) {
            return (ArrayNode) MAPPER.readTree(in);
        }
    }

    private static ObjectNode convert(JsonNode jmh) {
        ObjectNode machine = MAPPER.createObjectNode().put("class", "test-machine");
        return JmhResults.toResult(jmh, "micro", "micro-20261201-212528", STARTED, "abc123", machine, "jmh.json");
    }

    @Test
    void theEnvelopeAndThePerBenchmarkFigures() throws Exception {
        ArrayNode jmh = fixture("avgt-two-forks.json");
        ObjectNode r = convert(jmh);
        assertEquals("velo-jmh-result", r.get("kind").asText());
        assertEquals(1, r.get("format_version").asInt());
        assertEquals("micro-20261201-212528", r.get("run_id").asText());
        assertEquals("micro", r.get("scenario").asText());
        assertEquals("2026-12-01T21:25:28Z", r.get("started_at").asText());
        assertEquals("abc123", r.get("git_commit").asText());
        assertEquals("test-machine", r.get("machine").get("class").asText());
        assertEquals("jmh.json", r.get("jmh_file").asText());

        assertEquals(List.of(POOL, PARSE), fieldNames(r.get("jmh")));
        JsonNode pool = r.get("jmh").get(POOL);
        JsonNode poolJmh = jmh.get(0);
        assertEquals(poolJmh.get("primaryMetric").get("score").asDouble(), pool.get("score").asDouble());
        assertEquals(poolJmh.get("primaryMetric").get("scoreError").asDouble(), pool.get("score_error").asDouble());
        assertEquals("ns/op", pool.get("unit").asText());
        assertEquals("avgt", pool.get("mode").asText());
        assertEquals("1024", pool.get("params").get("capacity").asText());
        assertEquals(poolJmh.get("secondaryMetrics").get("gc.alloc.rate.norm").get("score").asDouble(), pool.get("alloc_bytes_per_op").asDouble());
        JsonNode parse = r.get("jmh").get(PARSE);
        assertEquals("us/op", parse.get("unit").asText());
        assertFalse(parse.has("params"), "no params, no params field");
        assertTrue(parse.get("alloc_bytes_per_op").asDouble() > 1000, "parsing allocates");

        JsonNode metrics = r.get("gate").get("metrics");
        assertEquals(List.of("jmh." + POOL + ".score", "jmh." + PARSE + ".score"), fieldNames(metrics));
        for (JsonNode m : metrics) {
            assertEquals("lower", m.get("direction").asText());
            assertEquals(0.05, m.get("tolerance").asDouble());
        }
    }

    @Test
    void eachMeasurementIterationOfEveryForkIsARepetitionInOrder() throws Exception {
        ArrayNode jmh = fixture("avgt-two-forks.json");
        ObjectNode r = convert(jmh);
        JsonNode reps = r.get("repetitions");
        assertEquals(4, reps.size(), "2 forks x 2 iterations");
        JsonNode raw = jmh.get(1).get("primaryMetric").get("rawData");
        double[] want = {raw.get(0).get(0).asDouble(), raw.get(0).get(1).asDouble(), raw.get(1).get(0).asDouble(), raw.get(1).get(1).asDouble()};
        for (int i = 0; i < 4; i++) {
            assertEquals(want[i], reps.get(i).get("jmh").get(PARSE).get("score").asDouble(), "repetition " + i);
            assertEquals(List.of("score"), fieldNames(reps.get(i).get("jmh").get(PARSE)));
            assertEquals(List.of("jmh"), fieldNames(reps.get(i)));
        }
        // flattened as the gate flattens: the gate metric's path reads every repetition's sample
        for (JsonNode rep : reps) {
            assertTrue(flatten(rep).containsKey("jmh." + POOL + ".score"));
        }
    }

    @Test
    void benchmarksWithFewerIterationsAreAbsentFromTheLaterRepetitions() throws Exception {
        ArrayNode jmh = fixture("avgt-two-forks.json");
        ArrayNode raw = (ArrayNode) jmh.get(0).get("primaryMetric").get("rawData");
        raw.remove(1); // the pool benchmark keeps one fork: 2 samples against 4
        ObjectNode r = convert(jmh);
        JsonNode reps = r.get("repetitions");
        assertEquals(4, reps.size());
        assertEquals(List.of(POOL, PARSE), fieldNames(reps.get(1).get("jmh")));
        assertEquals(List.of(PARSE), fieldNames(reps.get(2).get("jmh")));
        assertEquals(List.of(PARSE), fieldNames(reps.get(3).get("jmh")));
    }

    @Test
    void throughputIsHigherIsBetterAndTheToleranceCanBeSet() throws Exception {
        ArrayNode jmh = fixture("avgt-two-forks.json");
        ((ObjectNode) jmh.get(0)).put("mode", "thrpt");
        ObjectNode r = JmhResults.toResult(jmh, "nightly", "run", STARTED, "abc", MAPPER.createObjectNode(), "jmh.json", 0.1);
        assertEquals("nightly", r.get("scenario").asText());
        JsonNode metrics = r.get("gate").get("metrics");
        assertEquals("higher", metrics.get("jmh." + POOL + ".score").get("direction").asText());
        assertEquals("lower", metrics.get("jmh." + PARSE + ".score").get("direction").asText());
        assertEquals(0.1, metrics.get("jmh." + PARSE + ".score").get("tolerance").asDouble());
    }

    @Test
    void oneBenchmarkInTwoModesGetsTheModeInItsKey() throws Exception {
        ArrayNode jmh = fixture("avgt-two-forks.json");
        ObjectNode thrpt = jmh.get(0).deepCopy();
        thrpt.put("mode", "thrpt");
        jmh.add(thrpt);
        ObjectNode r = convert(jmh);
        assertEquals(List.of("BatchPoolBenchmark.acquireRelease[capacity=1024,mode=avgt]", PARSE,
                "BatchPoolBenchmark.acquireRelease[capacity=1024,mode=thrpt]"), fieldNames(r.get("jmh")));
    }

    @Test
    void figuresJmhDidNotGiveAreLeftOut() throws Exception {
        ArrayNode jmh = fixture("avgt-two-forks.json");
        ObjectNode pool = (ObjectNode) jmh.get(0);
        ((ObjectNode) pool.get("primaryMetric")).put("scoreError", "NaN"); // what JMH writes for one sample
        pool.remove("secondaryMetrics"); // a run without -prof gc
        JsonNode p = convert(jmh).get("jmh").get(POOL);
        assertFalse(p.has("score_error"));
        assertFalse(p.has("alloc_bytes_per_op"));
        assertTrue(p.has("score"));
    }

    @Test
    void sampleModeRepetitionsAreTheIterationMeans() throws Exception {
        ArrayNode jmh = fixture("sample-mode.json");
        ObjectNode r = convert(jmh);
        JsonNode hist = jmh.get(0).get("primaryMetric").get("rawDataHistogram");
        JsonNode reps = r.get("repetitions");
        assertEquals(hist.get(0).size(), reps.size());
        double allSum = 0;
        double allN = 0;
        for (int i = 0; i < reps.size(); i++) {
            double sum = 0;
            double n = 0;
            for (JsonNode pair : hist.get(0).get(i)) {
                sum += pair.get(0).asDouble() * pair.get(1).asDouble();
                n += pair.get(1).asDouble();
            }
            allSum += sum;
            allN += n;
            assertEquals(sum / n, reps.get(i).get("jmh").get(PARSE).get("score").asDouble(), 1e-9);
        }
        JsonNode parse = r.get("jmh").get(PARSE);
        assertEquals("sample", parse.get("mode").asText());
        assertEquals(allSum / allN, parse.get("score").asDouble(), 1e-6 * parse.get("score").asDouble(), "JMH's score is the mean of all samples");
        assertEquals("lower", r.get("gate").get("metrics").get("jmh." + PARSE + ".score").get("direction").asText());
    }

    @Test
    void aResultWithoutFiguresIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> convert(MAPPER.createArrayNode()));
        assertThrows(IllegalArgumentException.class, () -> convert(MAPPER.createObjectNode()));
        ArrayNode noScore = fixture("avgt-two-forks.json");
        ((ObjectNode) noScore.get(1).get("primaryMetric")).put("score", "NaN");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convert(noScore));
        assertTrue(e.getMessage().contains(PARSE), e.getMessage());
        ArrayNode noSamples = fixture("avgt-two-forks.json");
        ((ObjectNode) noSamples.get(0).get("primaryMetric")).remove("rawData");
        assertThrows(IllegalArgumentException.class, () -> convert(noSamples));
    }

    @Test
    void shortNames() {
        assertEquals("DecimalBenchmark.addDecimal", JmhResults.shortName("io.velo.harness.jmh.DecimalBenchmark.addDecimal"));
        assertEquals("A.b", JmhResults.shortName("A.b"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Nested objects joined by '.', as docs/results.md says the gate reads metrics. */
    private static java.util.Map<String, Double> flatten(JsonNode n) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        flatten("", n, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, java.util.Map<String, Double> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (n.isNumber()) {
            out.put(prefix, n.asDouble());
        }
    }
}
