package io.velo.harness.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.result.ResultFile;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares a new result's repetitions with its baseline's, metric by metric, over the metrics the
 * NEW result gates ({@code gate.metrics}: direction and tolerance; {@code gate.alpha}, default 0.05).
 *
 * <p>A metric is a REGRESSION only when both hold: the change in the bad direction is statistically
 * significant (one-sided Mann–Whitney U, {@code p < alpha}) and the relative change of the medians is
 * larger than the tolerance. Significance alone would flag tiny real effects on a long run with many
 * repetitions; the effect alone would flag noise on a shared machine. IMPROVEMENT is the mirror image.
 * Anything else is PASS.
 *
 * <p>With very few repetitions (e.g. 2 against 2, or 3 against 3 at alpha 0.05) no ordering of the
 * values can reach {@code p < alpha}, so the test could never fire. Rather than silently never failing,
 * such a metric is decided by the effect alone, at a stricter bar: the change of medians must exceed
 * <em>twice</em> the tolerance. The verdict says so in its note ({@code sufficientN} false).
 */
public final class Gate {
    public static final double DEFAULT_ALPHA = 0.05;
    /** The {@code --tolerance} key that overrides every metric. */
    public static final String ALL = "all";

    private Gate() {
    }

    /**
     * The verdicts for one new result against its baseline.
     *
     * @param toleranceOverrides metric → tolerance (fraction); the key {@link #ALL} applies to every
     *                           metric without its own entry
     */
    public static List<Verdict> compare(ObjectNode baseline, ObjectNode result, Map<String, Double> toleranceOverrides) {
        String scenario = result.path("scenario").asText();
        JsonNode gate = result.path("gate");
        double alpha = gate.path("alpha").isNumber() ? gate.get("alpha").asDouble() : DEFAULT_ALPHA;
        List<Map<String, Double>> baseReps = flatReps(baseline);
        List<Map<String, Double>> newReps = flatReps(result);
        List<Verdict> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = gate.path("metrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            String metric = m.getKey();
            String direction = m.getValue().path("direction").asText();
            double tolerance = toleranceOverrides.containsKey(metric) ? toleranceOverrides.get(metric)
                    : toleranceOverrides.getOrDefault(ALL, m.getValue().path("tolerance").asDouble());
            out.add(decide(scenario, metric, direction, tolerance, alpha,
                    values(baseReps, metric), values(newReps, metric), unit(result, metric)));
        }
        return out;
    }

    /** The decision for one metric, from the two samples. */
    public static Verdict decide(String scenario, String metric, String direction, double tolerance, double alpha,
                                 double[] base, double[] neu, String unit) {
        boolean lowerIsBetter = direction.equals("lower");
        if (neu.length == 0) {
            return new Verdict(scenario, metric, Verdict.Status.ERROR, direction, base.length == 0 ? Double.NaN : Statistics.median(base),
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, tolerance, alpha, base.length, 0, false, unit,
                    "the new result gates this metric but none of its repetitions carries it (error)");
        }
        double newMedian = Statistics.median(neu);
        if (base.length == 0) {
            return new Verdict(scenario, metric, Verdict.Status.MISSING, direction, Double.NaN, newMedian, Double.NaN,
                    Double.NaN, Double.NaN, tolerance, alpha, 0, neu.length, false, unit,
                    "the baseline does not carry this metric (saved before it was measured?); not compared");
        }
        double baseMedian = Statistics.median(base);
        double change = relativeChange(baseMedian, newMedian);
        double shift = Statistics.hodgesLehmann(base, neu);
        double pUp = Statistics.pGreater(base, neu);
        double pDown = Statistics.pLess(base, neu);
        double pWorse = lowerIsBetter ? pUp : pDown;
        double pBetter = lowerIsBetter ? pDown : pUp;
        double worseBy = lowerIsBetter ? change : -change;   // > 0: moved the bad way
        boolean sufficient = Statistics.minimumPValue(base.length, neu.length) < alpha;
        Verdict.Status status;
        String note = "";
        if (sufficient) {
            if (pWorse < alpha && worseBy > tolerance) {
                status = Verdict.Status.REGRESSION;
            } else if (pBetter < alpha && -worseBy > tolerance) {
                status = Verdict.Status.IMPROVEMENT;
            } else {
                status = Verdict.Status.PASS;
            }
        } else {
            if (worseBy > 2 * tolerance) {
                status = Verdict.Status.REGRESSION;
            } else if (-worseBy > 2 * tolerance) {
                status = Verdict.Status.IMPROVEMENT;
            } else {
                status = Verdict.Status.PASS;
            }
            note = String.format(java.util.Locale.ROOT,
                    "[too few repetitions: n=%d/%d can never reach p<%s; decided by the effect alone beyond 2x tolerance]",
                    base.length, neu.length, alpha);
        }
        // report the p-value of the direction the medians moved (for a flat metric, the bad direction)
        double p = change > 0 ? pUp : change < 0 ? pDown : pWorse;
        return new Verdict(scenario, metric, status, direction, baseMedian, newMedian, change, shift, p, tolerance, alpha,
                base.length, neu.length, sufficient, unit, note);
    }

    /** {@code (new − base) / |base|}; 0 when both are 0, ±infinity when only the baseline is 0. */
    static double relativeChange(double base, double neu) {
        if (base == 0) {
            return neu == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, neu);
        }
        return (neu - base) / Math.abs(base);
    }

    private static List<Map<String, Double>> flatReps(ObjectNode result) {
        List<Map<String, Double>> reps = new ArrayList<>();
        for (JsonNode r : result.path("repetitions")) {
            reps.add(ResultFile.flatten(r));
        }
        return reps;
    }

    private static double[] values(List<Map<String, Double>> reps, String metric) {
        return reps.stream().map(r -> r.get(metric)).filter(v -> v != null && Double.isFinite(v))
                .mapToDouble(Double::doubleValue).toArray();
    }

    /** A display unit for a metric: JMH's own unit for a score, else guessed from the name's suffix. */
    static String unit(JsonNode result, String metric) {
        if (metric.startsWith("jmh.") && metric.endsWith(".score")) {
            String bench = metric.substring(4, metric.length() - ".score".length());
            return result.path("jmh").path(bench).path("unit").asText("");
        }
        String leaf = metric;
        if (leaf.startsWith("latency_ms.") || leaf.endsWith("_ms") || leaf.startsWith("gc.pause_ms")) {
            return "ms";
        }
        if (leaf.endsWith("_rps")) {
            return "records/s";
        }
        if (leaf.endsWith("ns_per_record") || leaf.startsWith("stages_ns_per_record.")) {
            return "ns/record";
        }
        if (leaf.endsWith("bytes_per_record")) {
            return "B/record";
        }
        if (leaf.endsWith("_bytes")) {
            return "B";
        }
        if (leaf.endsWith("_mb_s")) {
            return "MB/s";
        }
        return "";
    }

    /** Verdicts as a JSON array (each element {@link Verdict#toJson()}), for reports. */
    public static ArrayNode toJson(List<Verdict> verdicts) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        verdicts.forEach(v -> a.add(v.toJson()));
        return a;
    }

    /** Whether any verdict is a regression. */
    public static boolean anyRegression(List<Verdict> verdicts) {
        return verdicts.stream().anyMatch(v -> v.status() == Verdict.Status.REGRESSION);
    }
}
