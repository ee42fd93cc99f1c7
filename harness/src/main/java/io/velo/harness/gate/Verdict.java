package io.velo.harness.gate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The gate's decision on one metric of one result.
 *
 * @param scenario       the result's scenario
 * @param metric         flattened metric path ({@code latency_ms.p99})
 * @param status         the decision
 * @param direction      {@code higher} or {@code lower}: which way is better
 * @param baselineMedian median over the baseline's repetitions (NaN when the baseline lacks the metric)
 * @param newMedian      median over the new result's repetitions (NaN when it lacks the metric)
 * @param change         relative change of medians, {@code (new − base) / |base|} (NaN when unknown)
 * @param shift          Hodges–Lehmann estimate of {@code new − base} in the metric's unit (NaN when unknown)
 * @param pValue         one-sided Mann–Whitney p-value in the direction the medians moved (NaN when unknown)
 * @param tolerance      the relative effect a change must exceed to count
 * @param alpha          the significance level
 * @param nBase          baseline repetitions carrying the metric
 * @param nNew           new repetitions carrying the metric
 * @param sufficientN    whether samples this small can reach {@code p < alpha} at all
 * @param unit           a unit hint for display ({@code ms}, {@code records/s}, {@code ns/op}), may be empty
 * @param note           an explanation when the decision needs one, else empty
 */
public record Verdict(String scenario, String metric, Status status, String direction, double baselineMedian,
                      double newMedian, double change, double shift, double pValue, double tolerance, double alpha,
                      int nBase, int nNew, boolean sufficientN, String unit, String note) {

    /** REGRESSION fails the gate; ERROR is an input error (the result gates a metric it does not carry). */
    public enum Status { REGRESSION, IMPROVEMENT, PASS, MISSING, ERROR }

    /**
     * The terminal line, e.g.
     * {@code REGRESSION  sustained-load  latency_ms.p99   2.310 -> 2.790  (+20.8%, tolerance 15.0%, p=0.004, n=5/5)}.
     */
    public String line() {
        String head = String.format(Locale.ROOT, "%-11s %s  %-22s ", status, scenario, metric);
        if (status == Status.MISSING || status == Status.ERROR) {
            return head + note;
        }
        String s = head + number(baselineMedian) + " -> " + number(newMedian)
                + (unit.isEmpty() ? "" : " " + unit)
                + String.format(Locale.ROOT, "  (%s, tolerance %.1f%%, p=%s, n=%d/%d)", percent(change), tolerance * 100,
                pValueText(pValue), nBase, nNew);
        return note.isEmpty() ? s : s + "  " + note;
    }

    /** The verdict as JSON; the field names are the report's contract. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("scenario", scenario);
        o.put("metric", metric);
        o.put("status", status.name());
        o.put("direction", direction);
        putNumber(o, "baseline_median", baselineMedian);
        putNumber(o, "new_median", newMedian);
        putNumber(o, "baseline", baselineMedian); // the names the report reads
        putNumber(o, "value", newMedian);
        o.put("method", "one-sided Mann-Whitney U, tolerance as minimum effect");
        putNumber(o, "change", change);
        putNumber(o, "shift", shift);
        putNumber(o, "p_value", pValue);
        o.put("tolerance", tolerance);
        o.put("alpha", alpha);
        o.put("n_base", nBase);
        o.put("n_new", nNew);
        o.put("sufficient_n", sufficientN);
        o.put("unit", unit);
        o.put("note", note);
        o.put("line", line());
        return o;
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** A metric value with sensible precision for its magnitude. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100_000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A relative change as a signed percentage. */
    public static String percent(double change) {
        if (Double.isNaN(change)) {
            return "n/a";
        }
        if (Double.isInfinite(change)) {
            return change > 0 ? "+inf%" : "-inf%";
        }
        return String.format(Locale.ROOT, "%+.1f%%", change * 100);
    }

    public static String pValueText(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }
}
