package io.velo.harness.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH's JSON result (the array {@code -rf json} writes) into a Velo result file of kind
 * {@value #KIND} (docs/results.md, "Micro-benchmark result"), so that {@code bench gate} and the
 * baselines treat JMH runs like scenario runs: each benchmark's score becomes the gated metric
 * {@code jmh.<Class.method>.score}, and each measurement iteration (JMH's raw per-iteration samples,
 * all forks in order) one repetition — the samples the gate's statistics compare.
 *
 * <p>A benchmark is named by its short class name and method; JMH parameters are appended as
 * {@code [name=value,...]} (in JMH's order), and when one run measured a benchmark in several modes
 * the mode too ({@code [mode=thrpt]}), so every key is unique. Figures JMH did not produce are left
 * out, never filled in: a missing or non-finite score error has no {@code score_error}, a run without
 * the gc profiler has no {@code alloc_bytes_per_op}. A result without any benchmark, or a benchmark
 * without a finite score or samples, is refused ({@link IllegalArgumentException}).
 */
public final class JmhResults {
    public static final String KIND = "velo-jmh-result";
    public static final int FORMAT_VERSION = 1;
    public static final double DEFAULT_TOLERANCE = 0.05;
    public static final double ALPHA = 0.05;
    /** The gc profiler's allocation per operation (older JMH versions name it with a leading middle dot, {@code ·gc.alloc.rate.norm}). */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhResults() {
    }

    /**
     * @param jmhJson     JMH's JSON result: an array with one object per benchmark (and parameter set, and mode)
     * @param scenarioName the result's {@code scenario} ({@code micro} unless named otherwise)
     * @param runId       the run's id (the name of its report directory)
     * @param startedAt   when the run started
     * @param gitCommit   the commit measured
     * @param machine     the machine fingerprint ({@link io.velo.harness.result.Machine#fingerprint})
     * @param jmhFile     the name of JMH's own JSON next to the result ({@code jmh.json})
     * @param tolerance   the gate tolerance of every score (relative: 0.05 is 5%)
     */
    public static ObjectNode toResult(JsonNode jmhJson, String scenarioName, String runId, Instant startedAt, String gitCommit,
                                      ObjectNode machine, String jmhFile, double tolerance) {
        if (jmhJson == null || !jmhJson.isArray() || jmhJson.isEmpty()) {
            throw new IllegalArgumentException("the JMH result holds no benchmark");
        }
        List<String> keys = keys(jmhJson);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kind", KIND);
        root.put("format_version", FORMAT_VERSION);
        root.put("run_id", runId);
        root.put("scenario", scenarioName);
        root.put("started_at", startedAt.toString());
        root.put("git_commit", gitCommit);
        root.set("machine", machine);
        root.put("jmh_file", jmhFile);
        String version = jmhJson.get(0).path("jmhVersion").asText("");
        if (!version.isEmpty()) {
            root.putObject("config").put("jmh_version", version);
        }
        ObjectNode jmh = root.putObject("jmh");
        ObjectNode gateMetrics = MAPPER.createObjectNode();
        List<List<Double>> samples = new ArrayList<>();
        for (int b = 0; b < jmhJson.size(); b++) {
            JsonNode bench = jmhJson.get(b);
            String key = keys.get(b);
            JsonNode primary = bench.path("primaryMetric");
            String mode = bench.path("mode").asText("");
            if (mode.isEmpty()) {
                throw new IllegalArgumentException(key + ": no mode in the JMH result");
            }
            ObjectNode m = jmh.putObject(key);
            m.put("score", finite(primary.get("score"), key + ": score"));
            m.put("unit", primary.path("scoreUnit").asText(""));
            m.put("mode", mode);
            JsonNode error = primary.get("scoreError");
            if (error != null && error.isNumber() && Double.isFinite(error.asDouble())) {
                m.put("score_error", error.asDouble());
            }
            JsonNode params = bench.get("params");
            if (params != null && params.isObject() && !params.isEmpty()) {
                m.set("params", params.deepCopy());
            }
            Double alloc = allocPerOp(bench.path("secondaryMetrics"));
            if (alloc != null) {
                m.put("alloc_bytes_per_op", alloc);
            }
            ObjectNode gate = gateMetrics.putObject("jmh." + key + ".score");
            gate.put("direction", mode.equals("thrpt") ? "higher" : "lower");
            gate.put("tolerance", tolerance);
            samples.add(iterationScores(primary, key));
        }
        ObjectNode gate = root.putObject("gate");
        gate.set("metrics", gateMetrics);
        gate.put("alpha", ALPHA);
        ArrayNode reps = root.putArray("repetitions");
        int most = samples.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < most; i++) {
            ObjectNode rep = reps.addObject();
            ObjectNode r = rep.putObject("jmh");
            for (int b = 0; b < samples.size(); b++) {
                if (i < samples.get(b).size()) {
                    r.putObject(keys.get(b)).put("score", samples.get(b).get(i));
                }
            }
        }
        return root;
    }

    /** {@link #toResult(JsonNode, String, String, Instant, String, ObjectNode, String, double)} with the default tolerance. */
    public static ObjectNode toResult(JsonNode jmhJson, String scenarioName, String runId, Instant startedAt, String gitCommit,
                                      ObjectNode machine, String jmhFile) {
        return toResult(jmhJson, scenarioName, runId, startedAt, gitCommit, machine, jmhFile, DEFAULT_TOLERANCE);
    }

    /** {@code DecimalBenchmark.addDecimal} for {@code io.velo.harness.jmh.DecimalBenchmark.addDecimal}. */
    public static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    /** Each benchmark's key: short name, then its parameters, then — only where needed to tell runs apart — its mode. */
    static List<String> keys(JsonNode jmhJson) {
        List<String> base = new ArrayList<>();
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode bench : jmhJson) {
            String name = bench.path("benchmark").asText("");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a JMH result entry has no benchmark name");
            }
            StringBuilder key = new StringBuilder(shortName(name));
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = bench.get("params");
            if (p != null && p.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            appendParams(key, params);
            base.add(key.toString());
            count.merge(key.toString(), 1, Integer::sum);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            String k = base.get(i);
            if (count.get(k) > 1) {
                JsonNode bench = jmhJson.get(i);
                String mode = bench.path("mode").asText("");
                k = k.endsWith("]") ? k.substring(0, k.length() - 1) + ",mode=" + mode + "]" : k + "[mode=" + mode + "]";
            }
            if (keys.contains(k)) {
                throw new IllegalArgumentException("the JMH result holds " + k + " twice");
            }
            keys.add(k);
        }
        return keys;
    }

    private static void appendParams(StringBuilder key, Map<String, String> params) {
        if (params.isEmpty()) {
            return;
        }
        key.append('[');
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            key.append(first ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        key.append(']');
    }

    private static double finite(JsonNode v, String what) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(what + " is " + (v == null ? "missing" : v.toString()) + " in the JMH result");
        }
        return v.asDouble();
    }

    /** The gc profiler's bytes per operation, or null when the run had no gc profiler (or it gave no finite figure). */
    private static Double allocPerOp(JsonNode secondary) {
        for (Iterator<Map.Entry<String, JsonNode>> it = secondary.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().startsWith("\u00b7") ? e.getKey().substring(1) : e.getKey();
            if (name.equals(ALLOC_NORM)) {
                JsonNode s = e.getValue().get("score");
                if (s != null && s.isNumber() && Double.isFinite(s.asDouble())) {
                    return s.asDouble();
                }
            }
        }
        return null;
    }

    /**
     * The per-iteration scores of every fork, in order: {@code rawData} ({@code [fork][iteration]}) for
     * avgt/thrpt/ss; for sample mode, whose iterations are histograms ({@code rawDataHistogram},
     * {@code [fork][iteration][[value, count]…]}), each iteration's mean — the statistic JMH scores.
     */
    static List<Double> iterationScores(JsonNode primary, String key) {
        List<Double> out = new ArrayList<>();
        JsonNode raw = primary.get("rawData");
        if (raw != null && raw.isArray()) {
            for (JsonNode fork : raw) {
                for (JsonNode v : fork) {
                    out.add(finite(v, key + ": an iteration's score"));
                }
            }
        } else {
            JsonNode hist = primary.get("rawDataHistogram");
            if (hist != null && hist.isArray()) {
                for (JsonNode fork : hist) {
                    for (JsonNode iteration : fork) {
                        double sum = 0;
                        double n = 0;
                        for (JsonNode pair : iteration) {
                            double v = finite(pair.get(0), key + ": a sample");
                            double c = finite(pair.get(1), key + ": a sample count");
                            sum += v * c;
                            n += c;
                        }
                        if (n > 0) {
                            out.add(sum / n);
                        }
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(key + ": no measurement iterations in the JMH result");
        }
        return out;
    }
}
