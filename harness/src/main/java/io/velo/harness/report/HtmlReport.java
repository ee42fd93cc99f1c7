package io.velo.harness.report;

import static io.velo.harness.report.ReportSupport.at;
import static io.velo.harness.report.ReportSupport.esc;
import static io.velo.harness.report.ReportSupport.fmt;
import static io.velo.harness.report.ReportSupport.fmtBytes;
import static io.velo.harness.report.ReportSupport.fmtChange;
import static io.velo.harness.report.ReportSupport.fmtPct;
import static io.velo.harness.report.ReportSupport.num;
import static io.velo.harness.report.ReportSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code report.html}: one self-contained page per run (or comparison). Tables are rendered here, in
 * Java, so they read without JavaScript; the charts are drawn by the inline script of
 * {@link ReportScript} from the result embedded as JSON. No network: no CDN, no web fonts, relative
 * links only (flame graphs, hlog files next to the report).
 */
public final class HtmlReport {
    /** Chart boxes on the page, in order: id and caption. */
    static final String[][] CHARTS = {
            {"latency-dist", "Latency percentile distribution", "End-to-end latency by percentile (log 1/(1−p) axis) for this run and the baseline; further right is rarer."},
            {"throughput", "Throughput over time", "Records per second read (in) and written (out), first measured repetition."},
            {"latency-time", "Latency over time", "Per-second p50, p99 and max end-to-end latency, first measured repetition."},
            {"alloc-heap", "Allocation rate and heap", "Bytes allocated per second (left axis) and heap in use (right axis)."},
            {"gc", "GC pauses", "Total GC pause time in each second."},
            {"stages", "Where the time goes", "Nanoseconds per record in each stage (and queue wait), this run against the baseline."},
            {"peer", "Velo vs Kafka Streams", "Records per second on the same queries and data; ratio = Velo / Kafka Streams."},
    };

    private HtmlReport() {
    }

    /** Renders the page and writes it (atomically) to {@code outFile}. */
    public static void write(ObjectNode result, ObjectNode baselineOrNull, ArrayNode verdictsOrNull, Path outFile) throws IOException {
        ReportSupport.writeAtomically(outFile, render(result, baselineOrNull, verdictsOrNull));
    }

    /** The number of charts the page's script draws for these inputs (the others say "not measured"). */
    public static int expectedCharts(JsonNode result, JsonNode baselineOrNull) {
        JsonNode s = result.path("series");
        boolean t = s.path("t_s").isArray();
        int n = 0;
        n += hasPairs(result.path("latency_distribution")) ? 1 : 0;
        n += t && anyFinite(s, "in_rps", "out_rps") ? 1 : 0;
        n += t && anyFinite(s, "p50_ms", "p99_ms", "max_ms") ? 1 : 0;
        n += t && anyFinite(s, "alloc_mb_s", "heap_used_mb") ? 1 : 0;
        n += t && anyFinite(s, "gc_pause_ms") ? 1 : 0;
        n += anyFiniteValue(result.path("stages_ns_per_record")) ? 1 : 0;
        boolean peer = false;
        for (JsonNode q : result.path("peer")) {
            peer |= num(q, "velo_rps") != null || num(q, "peer_rps") != null;
        }
        n += peer ? 1 : 0;
        return n;
    }

    private static boolean hasPairs(JsonNode d) {
        for (JsonNode p : d) {
            if (p.isArray() && num(p.path(0)) != null && num(p.path(1)) != null && p.path(1).doubleValue() > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyFinite(JsonNode s, String... keys) {
        for (String k : keys) {
            for (JsonNode v : s.path(k)) {
                if (num(v) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyFiniteValue(JsonNode o) {
        if (!o.isObject()) {
            return false;
        }
        for (JsonNode v : o) {
            if (num(v) != null) {
                return true;
            }
        }
        return false;
    }

    /** The page as a string. */
    public static String render(ObjectNode result, ObjectNode baselineOrNull, ArrayNode verdictsOrNull) {
        JsonNode r = result;
        JsonNode b = baselineOrNull;
        StringBuilder h = new StringBuilder(64 * 1024);
        String scenario = text(r, "scenario");
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Velo report: ").append(esc(scenario != null ? scenario : "result"))
                .append(text(r, "run_id") != null ? " — " + esc(text(r, "run_id")) : "").append("</title>\n")
                .append("<style>\n").append(ReportScript.CSS).append("</style>\n")
                .append("<script>\n").append(ReportScript.ERROR_HOOK).append("</script>\n")
                .append("</head>\n<body>\n");

        h.append("<h1>Velo benchmark report: ").append(esc(scenario != null ? scenario : "(no scenario)")).append("</h1>\n");
        h.append("<div class=\"sub\">run <code>").append(esc(orDash(text(r, "run_id")))).append("</code> · started ")
                .append(esc(orDash(text(r, "started_at")))).append(" · commit <code>").append(esc(shortCommit(text(r, "git_commit"))))
                .append("</code>");
        if (b != null) {
            h.append(" · baseline <code>").append(esc(orDash(text(b, "run_id")))).append("</code> (commit <code>")
                    .append(esc(shortCommit(text(b, "git_commit")))).append("</code>");
            if (text(b, "baseline.saved_at") != null) {
                h.append(", saved ").append(esc(text(b, "baseline.saved_at")));
            }
            h.append(")");
        }
        h.append("</div>\n");

        headline(h, r, b, verdictsOrNull);
        h.append("<div id=\"errors\" class=\"errors\" hidden></div>\n");
        warnings(h, r, b);

        verdictTable(h, verdictsOrNull);
        summary(h, r, b);

        h.append("<h2>Charts</h2>\n<div class=\"grid\">\n");
        for (String[] c : CHARTS) {
            if (c[0].equals("peer")) {
                continue;
            }
            chartBox(h, c);
        }
        h.append("</div>\n");

        repetitions(h, r);
        peer(h, r);
        jmh(h, r, b);
        profile(h, r);
        environment(h, r, b);

        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("result", r);
        data.set("baseline", baselineSubset(b));
        h.append("<script type=\"application/json\" id=\"report-data\">").append(ReportSupport.scriptJson(data)).append("</script>\n");
        h.append("<script>\n").append(ReportScript.CHARTS).append("</script>\n");
        h.append("<p class=\"muted\">Written by <code>velo bench</code>. The page is self-contained: charts are drawn by the inline script from the data above.</p>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static JsonNode baselineSubset(JsonNode b) {
        if (b == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String k : new String[] {"run_id", "scenario", "started_at", "git_commit", "latency_distribution", "latency_ms",
                "throughput_rps", "stages_ns_per_record"}) {
            if (b.has(k)) {
                o.set(k, b.get(k));
            }
        }
        return o;
    }

    private static void chartBox(StringBuilder h, String[] c) {
        h.append("<figure class=\"chart\" id=\"chart-").append(c[0]).append("\"><figcaption>").append(esc(c[1]))
                .append("</figcaption><p class=\"what\">").append(esc(c[2])).append("</p><div class=\"plot\"></div></figure>\n");
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "—" : s;
    }

    private static String shortCommit(String c) {
        if (c == null || c.isEmpty()) {
            return "—";
        }
        return c.length() > 12 ? c.substring(0, 12) : c;
    }

    // ---- headline and warnings -------------------------------------------------------------------------

    private static void headline(StringBuilder h, JsonNode r, JsonNode b, ArrayNode verdicts) {
        String overall = ReportSupport.overall(verdicts);
        JsonNode verified = r.path("verified");
        boolean notVerified = verified.isBoolean() && !verified.booleanValue();
        String cls = notVerified ? "FAILED" : overall != null ? overall : "";
        h.append("<div class=\"headline ").append(cls).append("\" id=\"headline\">");
        if (notVerified) {
            h.append("NOT VERIFIED: the output check failed — the figures below describe a wrong run.");
        } else if (overall != null) {
            h.append("Verdict: ").append(overall);
        } else if (b == null) {
            h.append("No baseline compared");
        } else {
            h.append("Compared with the baseline (no gated metrics)");
        }
        h.append("<small>");
        List<String> parts = new ArrayList<>();
        if (overall != null) {
            int[] counts = new int[4];
            for (JsonNode v : verdicts) {
                switch (v.path("status").asText("")) {
                    case "PASS" -> counts[0]++;
                    case "REGRESSION" -> counts[1]++;
                    case "IMPROVEMENT" -> counts[2]++;
                    case "MISSING" -> counts[3]++;
                    default -> {
                    }
                }
            }
            parts.add(verdicts.size() + " gated metric" + (verdicts.size() == 1 ? "" : "s") + ": " + counts[0] + " pass, "
                    + counts[1] + " regressed, " + counts[2] + " improved, " + counts[3] + " missing");
            String method = method(verdicts);
            if (method != null) {
                parts.add(method);
            }
        }
        if (verified.isBoolean()) {
            parts.add(verified.booleanValue() ? "output verified" : "output NOT verified");
        }
        Double tp = num(r, "throughput_rps");
        if (tp != null) {
            parts.add(fmt(tp) + " records/s");
        }
        Double p99 = num(r, "latency_ms.p99");
        if (p99 != null) {
            parts.add("p99 " + fmt(p99) + " ms");
        }
        h.append(esc(String.join(" · ", parts))).append("</small></div>\n");
    }

    static String method(ArrayNode verdicts) {
        if (verdicts == null) {
            return null;
        }
        Set<String> methods = new LinkedHashSet<>();
        for (JsonNode v : verdicts) {
            if (v.hasNonNull("method")) {
                methods.add(v.get("method").asText());
            }
        }
        return methods.isEmpty() ? null : String.join("; ", methods);
    }

    /** Warnings shared by the HTML and Markdown reports, as plain text. */
    static List<String> warningTexts(JsonNode r, JsonNode b) {
        List<String> w = new ArrayList<>();
        if (r.path("cpu").path("generator_limited").asBoolean(false)) {
            Double achieved = num(r, "cpu.achieved_send_rate");
            Double target = num(r, "config.rate");
            w.add("The load generator was the limit: it could not send at the target rate"
                    + (achieved != null ? " (achieved " + fmt(achieved) + " records/s" + (target != null ? " of " + fmt(target) : "") + ")" : "")
                    + ", so throughput and latency describe the generator as much as the engine.");
        }
        if (b != null) {
            String s1 = text(r, "scenario");
            String s2 = text(b, "scenario");
            if (s1 != null && s2 != null && !s1.equals(s2)) {
                w.add("Different scenarios: this run is '" + s1 + "', the baseline is '" + s2 + "'. The comparison is of unlike runs.");
            } else {
                String h1 = text(r, "scenario_hash");
                String h2 = text(b, "scenario_hash");
                if (h1 != null && h2 != null && !h1.equals(h2)) {
                    w.add("The scenario file or its SQL changed since the baseline (scenario hash differs).");
                }
            }
            String m1 = text(r, "machine.class");
            String m2 = text(b, "machine.class");
            if (m1 != null && m2 != null && !m1.equals(m2)) {
                w.add("Different machine classes: " + m1 + " vs baseline " + m2 + ".");
            }
            String k1 = text(r, "kind");
            String k2 = text(b, "kind");
            if (k1 != null && k2 != null && !k1.equals(k2)) {
                w.add("Different result kinds: " + k1 + " vs baseline " + k2 + ".");
            }
        }
        return w;
    }

    private static void warnings(StringBuilder h, JsonNode r, JsonNode b) {
        for (String w : warningTexts(r, b)) {
            h.append("<div class=\"warn\">").append(esc(w)).append("</div>\n");
        }
        JsonNode problems = r.path("problems");
        if (problems.isArray() && !problems.isEmpty()) {
            h.append("<div class=\"bad\"><strong>Problems</strong><ul>");
            for (JsonNode p : problems) {
                h.append("<li>").append(esc(p.isTextual() ? p.asText() : p.toString())).append("</li>");
            }
            h.append("</ul></div>\n");
        }
    }

    // ---- verdicts ----------------------------------------------------------------------------------------

    private static void verdictTable(StringBuilder h, ArrayNode verdicts) {
        h.append("<h2>Verdicts</h2>\n");
        if (verdicts == null || verdicts.isEmpty()) {
            h.append("<p class=\"muted\">No verdicts: this run was not gated against a baseline.</p>\n");
            return;
        }
        String method = method(verdicts);
        if (method != null) {
            h.append("<p class=\"muted\">Method: ").append(esc(method)).append("</p>\n");
        }
        h.append("<table id=\"verdicts\"><tr><th>metric</th><th>status</th><th class=\"n\">baseline</th><th class=\"n\">value</th>"
                + "<th class=\"n\">change</th><th class=\"n\">tolerance</th><th class=\"n\">p-value</th><th class=\"n\">n base / new</th><th>detail</th></tr>\n");
        for (JsonNode v : verdicts) {
            String status = v.path("status").asText("?");
            h.append("<tr><td><code>").append(esc(v.path("metric").asText(""))).append("</code></td><td><span class=\"badge ")
                    .append(esc(status.replaceAll("[^A-Z]", ""))).append("\">").append(esc(status)).append("</span></td>")
                    .append("<td class=\"n\">").append(fmt(num(v, "baseline"))).append("</td>")
                    .append("<td class=\"n\">").append(fmt(num(v, "value"))).append("</td>")
                    .append("<td class=\"n\">").append(fmtChange(num(v, "change"))).append("</td>")
                    .append("<td class=\"n\">").append(fmtPct(num(v, "tolerance"))).append("</td>")
                    .append("<td class=\"n\">").append(num(v, "p_value") == null ? "—" : String.format(java.util.Locale.ROOT, "%.3g", num(v, "p_value"))).append("</td>")
                    .append("<td class=\"n\">").append(count(v, "n_base")).append(" / ").append(count(v, "n_new")).append("</td>")
                    .append("<td class=\"mono\">").append(esc(v.path("line").asText(""))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String count(JsonNode v, String k) {
        Double d = num(v, k);
        return d == null ? "—" : String.valueOf(Math.round(d));
    }

    // ---- summary -----------------------------------------------------------------------------------------

    /** One summary row: label, dotted path, how to format it and which way is better (+1 higher, −1 lower, 0 neither). */
    record Row(String label, String path, Function<Double, String> format, int better) {
    }

    static final Function<Double, String> NUM = ReportSupport::fmt;
    static final Function<Double, String> BYTES = ReportSupport::fmtBytes;
    static final Function<Double, String> PCT = ReportSupport::fmtPct;

    static final List<Row> SUMMARY = List.of(
            new Row("Records in", "records_in", NUM, 0),
            new Row("Records out", "records_out", NUM, 0),
            new Row("Lost", "lost", NUM, -1),
            new Row("Duplicates", "duplicates", NUM, -1),
            new Row("Throughput (records/s)", "throughput_rps", NUM, 1),
            new Row("Latency p50 (ms)", "latency_ms.p50", NUM, -1),
            new Row("Latency p90 (ms)", "latency_ms.p90", NUM, -1),
            new Row("Latency p95 (ms)", "latency_ms.p95", NUM, -1),
            new Row("Latency p99 (ms)", "latency_ms.p99", NUM, -1),
            new Row("Latency p99.9 (ms)", "latency_ms.p999", NUM, -1),
            new Row("Latency max (ms)", "latency_ms.max", NUM, -1),
            new Row("Allocation (bytes/record)", "alloc_bytes_per_record", NUM, -1),
            new Row("Allocation rate (MB/s)", "alloc_rate_mb_s", NUM, -1),
            new Row("GC count", "gc.count", NUM, -1),
            new Row("GC pause total (ms)", "gc.pause_ms_total", NUM, -1),
            new Row("GC pause max (ms)", "gc.pause_ms_max", NUM, -1),
            new Row("Heap peak", "heap_peak_bytes", BYTES, -1),
            new Row("CPU time per record (ns)", "cpu_ns_per_record", NUM, -1),
            new Row("CPU engine (cores)", "cpu.engine_cores", NUM, 0),
            new Row("CPU generator (cores)", "cpu.generator_cores", NUM, 0),
            new Row("CPU broker (cores)", "cpu.broker_cores", NUM, 0),
            new Row("CPU observer (cores)", "cpu.observer_cores", NUM, 0),
            new Row("Achieved send rate (records/s)", "cpu.achieved_send_rate", NUM, 0),
            new Row("Record pool hit rate", "pool_hit_rate", PCT, 1),
            new Row("Max sustainable rate (records/s)", "extra.max_sustainable_rate", NUM, 1),
            new Row("State bytes per key", "extra.state_bytes_per_key", NUM, -1),
            new Row("Recovery time (ms)", "extra.recovery_ms", NUM, -1));

    private static void summary(StringBuilder out, JsonNode r, JsonNode b) {
        out.append("<h2>Summary</h2>\n");
        StringBuilder h = new StringBuilder();
        int rows = 0;
        if (r.has("repetitions") && r.path("repetitions").size() > 1) {
            h.append("<p class=\"muted\">Medians over ").append(r.path("repetitions").size())
                    .append(" repetitions (counts are sums).</p>\n");
        }
        h.append("<table id=\"summary\"><tr><th>metric</th><th class=\"n\">this run</th>");
        if (b != null) {
            h.append("<th class=\"n\">baseline</th><th class=\"n\">change</th>");
        }
        h.append("</tr>\n");
        JsonNode gate = r.path("gate").path("metrics");
        JsonNode verified = r.path("verified");
        if (verified.isBoolean()) {
            h.append("<tr><td>Verified</td><td class=\"n\">").append(verified.booleanValue() ? "yes" : "<span class=\"worse\">NO</span>")
                    .append("</td>");
            if (b != null) {
                JsonNode bv = b.path("verified");
                h.append("<td class=\"n\">").append(bv.isBoolean() ? (bv.booleanValue() ? "yes" : "NO") : "—").append("</td><td></td>");
            }
            h.append("</tr>\n");
            rows++;
        }
        JsonNode gl = r.path("cpu").path("generator_limited");
        for (Row row : SUMMARY) {
            Double v = num(r, row.path);
            Double bv = b == null ? null : num(b, row.path);
            if (v == null && bv == null) {
                continue;
            }
            boolean gated = gate.has(row.path);
            h.append("<tr><td>").append(esc(row.label)).append(gated ? " <span class=\"muted\">(gated)</span>" : "").append("</td>")
                    .append("<td class=\"n\">").append(esc(row.format.apply(v))).append("</td>");
            if (b != null) {
                Double ch = ReportSupport.relChange(bv, v);
                double tol = gated ? gate.path(row.path).path("tolerance").asDouble(0.05) : 0.05;
                String cls = "";
                if (ch != null && row.better != 0 && Math.abs(ch) > tol) {
                    cls = (ch * row.better > 0) ? "better" : "worse";
                }
                h.append("<td class=\"n\">").append(esc(row.format.apply(bv))).append("</td><td class=\"n ").append(cls).append("\">")
                        .append(fmtChange(ch)).append("</td>");
            }
            h.append("</tr>\n");
            rows++;
            if (row.path.equals("cpu.achieved_send_rate") && gl.isBoolean()) {
                h.append("<tr><td>Generator limited</td><td class=\"n\">")
                        .append(gl.booleanValue() ? "<span class=\"worse\">YES — the load generator was the limit</span>" : "no")
                        .append("</td>").append(b != null ? "<td></td><td></td>" : "").append("</tr>\n");
            }
        }
        h.append("</table>\n");
        if (rows == 0) {
            out.append("<p class=\"muted\">No scenario metrics in this result.</p>\n");
        } else {
            out.append(h);
        }
    }

    // ---- repetitions -------------------------------------------------------------------------------------

    static final List<Row> REP_COLUMNS = List.of(
            new Row("in", "records_in", NUM, 0),
            new Row("out", "records_out", NUM, 0),
            new Row("lost", "lost", NUM, -1),
            new Row("dup", "duplicates", NUM, -1),
            new Row("records/s", "throughput_rps", NUM, 1),
            new Row("p50 ms", "latency_ms.p50", NUM, -1),
            new Row("p99 ms", "latency_ms.p99", NUM, -1),
            new Row("p99.9 ms", "latency_ms.p999", NUM, -1),
            new Row("max ms", "latency_ms.max", NUM, -1),
            new Row("B/record", "alloc_bytes_per_record", NUM, -1),
            new Row("GCs", "gc.count", NUM, -1),
            new Row("GC ms", "gc.pause_ms_total", NUM, -1),
            new Row("heap peak", "heap_peak_bytes", BYTES, -1),
            new Row("CPU ns/rec", "cpu_ns_per_record", NUM, -1),
            new Row("pool hits", "pool_hit_rate", PCT, 1));

    private static void repetitions(StringBuilder h, JsonNode r) {
        JsonNode reps = r.path("repetitions");
        h.append("<h2>Repetitions</h2>\n");
        if (!reps.isArray() || reps.isEmpty()) {
            h.append("<p class=\"muted\">Repetitions: not measured (the result holds none).</p>\n");
            return;
        }
        boolean jmh = r.has("jmh");
        if (jmh) {
            jmhRepetitions(h, reps);
            return;
        }
        List<Row> cols = new ArrayList<>();
        for (Row c : REP_COLUMNS) {
            for (JsonNode rep : reps) {
                if (num(rep, c.path) != null) {
                    cols.add(c);
                    break;
                }
            }
        }
        h.append("<p class=\"muted\">Each measured repetition, so the spread behind the medians is visible.</p>\n");
        h.append("<div class=\"scroll\"><table id=\"repetitions\" class=\"compact\"><tr><th>#</th><th>verified</th>");
        for (Row c : cols) {
            h.append("<th class=\"n\">").append(esc(c.label)).append("</th>");
        }
        h.append("</tr>\n");
        int i = 1;
        for (JsonNode rep : reps) {
            JsonNode v = rep.path("verified");
            h.append("<tr><td>").append(i++).append("</td><td>")
                    .append(v.isBoolean() ? (v.booleanValue() ? "yes" : "<span class=\"worse\">NO</span>") : "—").append("</td>");
            for (Row c : cols) {
                h.append("<td class=\"n\">").append(esc(c.format.apply(num(rep, c.path)))).append("</td>");
            }
            h.append("</tr>\n");
        }
        if (reps.size() > 1) {
            h.append("<tr class=\"agg\"><td colspan=\"2\">median</td>");
            for (Row c : cols) {
                h.append("<td class=\"n\">").append(esc(c.format.apply(Comparison.median(values(reps, c.path))))).append("</td>");
            }
            h.append("</tr>\n<tr class=\"agg\"><td colspan=\"2\">spread (max−min)/median</td>");
            for (Row c : cols) {
                List<Double> xs = values(reps, c.path);
                Double med = Comparison.median(xs);
                String s = "—";
                if (med != null && med != 0 && xs.size() > 1) {
                    double lo = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                    double hi = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                    s = String.format(java.util.Locale.ROOT, "%.1f%%", (hi - lo) / Math.abs(med) * 100);
                }
                h.append("<td class=\"n\">").append(s).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    private static List<Double> values(JsonNode reps, String path) {
        List<Double> xs = new ArrayList<>();
        for (JsonNode rep : reps) {
            Double v = num(rep, path);
            if (v != null) {
                xs.add(v);
            }
        }
        return xs;
    }

    private static void jmhRepetitions(StringBuilder h, JsonNode reps) {
        Set<String> benches = new LinkedHashSet<>();
        for (JsonNode rep : reps) {
            rep.path("jmh").fieldNames().forEachRemaining(benches::add);
        }
        h.append("<p class=\"muted\">Each measurement iteration (all forks in order).</p>\n<div class=\"scroll\"><table id=\"repetitions\" class=\"compact\"><tr><th>#</th>");
        for (String bn : benches) {
            h.append("<th class=\"n\">").append(esc(bn)).append("</th>");
        }
        h.append("</tr>\n");
        int i = 1;
        for (JsonNode rep : reps) {
            h.append("<tr><td>").append(i++).append("</td>");
            for (String bn : benches) {
                h.append("<td class=\"n\">").append(fmt(num(rep.path("jmh").path(bn), "score"))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    // ---- peer, jmh, profile, environment ----------------------------------------------------------------

    private static void peer(StringBuilder h, JsonNode r) {
        h.append("<h2>Peer comparison: Velo vs Kafka Streams</h2>\n");
        JsonNode peer = r.path("peer");
        if (!peer.isObject() || peer.isEmpty()) {
            h.append("<p class=\"muted\">Peer comparison: not measured.</p>\n<div class=\"grid\">");
            chartBox(h, CHARTS[6]);
            h.append("</div>\n");
            return;
        }
        h.append("<table id=\"peer\"><tr><th>query</th><th class=\"n\">Velo records/s</th><th class=\"n\">Kafka Streams records/s</th>"
                + "<th class=\"n\">ratio</th><th>verified</th></tr>\n");
        Iterator<Map.Entry<String, JsonNode>> it = peer.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode q = e.getValue();
            JsonNode v = q.path("verified");
            h.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td class=\"n\">").append(fmt(num(q, "velo_rps")))
                    .append("</td><td class=\"n\">").append(fmt(num(q, "peer_rps"))).append("</td><td class=\"n\">")
                    .append(num(q, "ratio") == null ? "—" : fmt(num(q, "ratio")) + "×").append("</td><td>")
                    .append(v.isBoolean() ? (v.booleanValue() ? "yes" : "<span class=\"worse\">NO</span>") : "—").append("</td></tr>\n");
        }
        h.append("</table>\n<div class=\"grid\">");
        chartBox(h, CHARTS[6]);
        h.append("</div>\n");
    }

    private static void jmh(StringBuilder h, JsonNode r, JsonNode b) {
        JsonNode jmh = r.path("jmh");
        if (!jmh.isObject() || jmh.isEmpty()) {
            return;
        }
        h.append("<h2>Micro-benchmarks</h2>\n<table id=\"jmh\"><tr><th>benchmark</th><th>mode</th><th class=\"n\">score</th><th>unit</th>"
                + "<th class=\"n\">alloc B/op</th>");
        if (b != null) {
            h.append("<th class=\"n\">baseline</th><th class=\"n\">change</th>");
        }
        h.append("</tr>\n");
        Iterator<Map.Entry<String, JsonNode>> it = jmh.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue();
            Double score = num(m, "score");
            h.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>").append(esc(m.path("mode").asText("")))
                    .append("</td><td class=\"n\">").append(fmt(score)).append("</td><td>").append(esc(m.path("unit").asText("")))
                    .append("</td><td class=\"n\">").append(fmt(num(m, "alloc_bytes_per_op"))).append("</td>");
            if (b != null) {
                Double bs = num(b.path("jmh").path(e.getKey()), "score");
                h.append("<td class=\"n\">").append(fmt(bs)).append("</td><td class=\"n\">").append(fmtChange(ReportSupport.relChange(bs, score)))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void profile(StringBuilder h, JsonNode r) {
        h.append("<h2>Profile</h2>\n");
        JsonNode p = r.path("profile");
        List<String[]> links = new ArrayList<>();
        for (String[] k : new String[][] {{"cpu", "CPU flame graph"}, {"alloc", "Allocation flame graph"}, {"jfr", "JFR recording"}}) {
            String href = ReportSupport.relativeHref(text(p, k[0]));
            if (href != null) {
                links.add(new String[] {href, k[1], text(p, k[0])});
            }
        }
        String hlog = ReportSupport.relativeHref(text(r, "hlog"));
        if (links.isEmpty()) {
            h.append("<p class=\"muted\">No profile recorded (run with <code>--profile</code>).</p>\n");
        } else {
            h.append("<ul id=\"profile-links\">");
            for (String[] l : links) {
                h.append("<li><a href=\"").append(esc(l[0])).append("\">").append(esc(l[1])).append("</a> <code>").append(esc(l[2]))
                        .append("</code></li>");
            }
            h.append("</ul>\n");
            List<String> notes = new ArrayList<>();
            if (text(p, "recorder") != null) {
                notes.add("recorded with " + text(p, "recorder"));
            }
            if (text(p, "note") != null) {
                notes.add(text(p, "note"));
            }
            if (!notes.isEmpty()) {
                h.append("<p class=\"muted\">").append(esc(String.join("; ", notes))).append("</p>\n");
            }
        }
        if (hlog != null) {
            h.append("<p>Latency interval log (HdrHistogram, µs): <a href=\"").append(esc(hlog)).append("\">").append(esc(text(r, "hlog")))
                    .append("</a></p>\n");
        }
    }

    private static void environment(StringBuilder h, JsonNode r, JsonNode b) {
        h.append("<h2>Environment</h2>\n<table id=\"environment\"><tr><th>field</th><th>this run</th>");
        if (b != null) {
            h.append("<th>baseline</th>");
        }
        h.append("</tr>\n");
        Set<String> keys = new LinkedHashSet<>(List.of("kind", "format_version", "run_id", "scenario", "scenario_hash", "started_at", "git_commit"));
        flatKeys("machine", r.path("machine"), keys);
        flatKeys("config", r.path("config"), keys);
        if (b != null) {
            flatKeys("machine", b.path("machine"), keys);
            flatKeys("config", b.path("config"), keys);
        }
        for (String k : keys) {
            String v1 = valueText(at(r, k));
            String v2 = b == null ? null : valueText(at(b, k));
            if (v1 == null && v2 == null) {
                continue;
            }
            boolean differs = b != null && v1 != null && v2 != null && !v1.equals(v2) && !k.equals("run_id") && !k.equals("started_at");
            h.append("<tr><td><code>").append(esc(k)).append("</code></td><td class=\"mono").append(differs ? " differs" : "").append("\">")
                    .append(esc(orDash(v1))).append("</td>");
            if (b != null) {
                h.append("<td class=\"mono\">").append(esc(orDash(v2))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void flatKeys(String prefix, JsonNode n, Set<String> keys) {
        if (!n.isObject()) {
            return;
        }
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                flatKeys(prefix + "." + e.getKey(), e.getValue(), keys);
            } else {
                keys.add(prefix + "." + e.getKey());
            }
        });
    }

    private static String valueText(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            List<String> xs = new ArrayList<>();
            n.forEach(x -> xs.add(x.isValueNode() ? x.asText() : x.toString()));
            return String.join(" ", xs);
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
