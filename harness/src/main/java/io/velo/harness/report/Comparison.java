package io.velo.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plain comparison of two results for {@code bench compare}: per gated metric, the baseline's and
 * the new result's median over their repetitions and the relative change, judged by the tolerance
 * alone. There is no significance test here (that is the gate's job); the verdicts say so in their
 * {@code method} field and keep the gate's verdict shape so the report renders either.
 */
public final class Comparison {
    /** The {@code method} of these verdicts, shown beside the verdict table. */
    public static final String METHOD = "change vs tolerance (no significance test)";

    private Comparison() {
    }

    /**
     * Flattens an object's numeric leaves to dotted keys ({@code latency_ms.p99}); booleans, strings
     * and arrays are left out, non-finite numbers too.
     */
    public static Map<String, Double> flatten(JsonNode obj) {
        Map<String, Double> out = new LinkedHashMap<>();
        flatten("", obj, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, Double> out) {
        if (n == null || !n.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out);
            } else if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                out.put(key, v.doubleValue());
            }
        }
    }

    /**
     * The samples of one metric: its value in each repetition; a result without repetitions
     * contributes its top-level value as a single sample.
     */
    public static List<Double> samples(JsonNode result, String metric) {
        List<Double> xs = new ArrayList<>();
        JsonNode reps = result.path("repetitions");
        if (reps.isArray() && !reps.isEmpty()) {
            for (JsonNode rep : reps) {
                Double v = flatten(rep).get(metric);
                if (v != null) {
                    xs.add(v);
                }
            }
        } else {
            Double v = flatten(result).get(metric);
            if (v != null) {
                xs.add(v);
            }
        }
        return xs;
    }

    public static Double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return null;
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * One verdict per metric of {@code now}'s {@code gate.metrics}: PASS, REGRESSION or IMPROVEMENT
     * when the relative change of the medians passes the tolerance in the worse or better direction,
     * MISSING when either side has no samples. {@code p_value} is null: no test is made.
     */
    public static ArrayNode verdicts(JsonNode base, JsonNode now) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Iterator<Map.Entry<String, JsonNode>> it = now.path("gate").path("metrics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String metric = e.getKey();
            boolean higherBetter = "higher".equals(e.getValue().path("direction").asText("lower"));
            double tol = e.getValue().path("tolerance").asDouble(0.05);
            List<Double> b = samples(base, metric);
            List<Double> n = samples(now, metric);
            Double mb = median(b);
            Double mn = median(n);
            ObjectNode v = out.addObject();
            v.put("metric", metric);
            v.put("direction", higherBetter ? "higher" : "lower");
            String status;
            Double change = null;
            if (mb == null || mn == null) {
                status = "MISSING";
            } else {
                if (mb != 0) {
                    change = (mn - mb) / Math.abs(mb);
                } else if (mn == 0) {
                    change = 0.0;
                }
                // a change from zero has no relative size: any move counts as beyond the tolerance
                double better = change != null ? (higherBetter ? change : -change) : (higherBetter ? mn - mb : mb - mn);
                boolean beyond = change == null || Math.abs(change) > tol;
                status = !beyond || better == 0 ? "PASS" : better < 0 ? "REGRESSION" : "IMPROVEMENT";
            }
            v.put("status", status);
            putNum(v, "baseline", mb);
            putNum(v, "value", mn);
            putNum(v, "change", change);
            v.putNull("p_value");
            v.put("tolerance", tol);
            v.put("n_base", b.size());
            v.put("n_new", n.size());
            v.put("method", METHOD);
            v.put("line", line(metric, status, mb, mn, change, tol, b.size(), n.size()));
        }
        return out;
    }

    private static void putNum(ObjectNode v, String k, Double d) {
        if (d == null) {
            v.putNull(k);
        } else {
            v.put(k, d);
        }
    }

    private static String line(String metric, String status, Double mb, Double mn, Double change, double tol, int nb, int nn) {
        if ("MISSING".equals(status)) {
            return String.format(Locale.ROOT, "%-11s %s: %s (baseline n=%d, new n=%d)", status, metric,
                    mb == null ? "no baseline samples" : "no new samples", nb, nn);
        }
        return String.format(Locale.ROOT, "%-11s %s: %s -> %s (%s, tolerance %s; medians of %d vs %d, no significance test)",
                status, metric, ReportSupport.fmt(mb), ReportSupport.fmt(mn),
                change == null ? "from zero" : ReportSupport.fmtChange(change), ReportSupport.fmtPct(tol), nb, nn);
    }
}
