package io.velo.harness.report;

import static io.velo.harness.report.ReportSupport.fmt;
import static io.velo.harness.report.ReportSupport.fmtChange;
import static io.velo.harness.report.ReportSupport.fmtPct;
import static io.velo.harness.report.ReportSupport.mdCell;
import static io.velo.harness.report.ReportSupport.num;
import static io.velo.harness.report.ReportSupport.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code report.md}: the same run in Markdown, short enough for a CI job summary or a pull-request
 * comment — headline, warnings, verdicts, summary table, peer comparison and links to the HTML page,
 * flame graphs and latency log.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(ObjectNode result, ObjectNode baselineOrNull, ArrayNode verdictsOrNull) {
        JsonNode r = result;
        JsonNode b = baselineOrNull;
        StringBuilder m = new StringBuilder(8 * 1024);
        String scenario = text(r, "scenario");
        m.append("# Velo benchmark report: ").append(md(scenario != null ? scenario : "(no scenario)")).append("\n\n");
        m.append("Run `").append(code(text(r, "run_id"))).append("`, started ").append(md(orDash(text(r, "started_at"))))
                .append(", commit `").append(code(text(r, "git_commit"))).append("`");
        if (text(r, "machine.class") != null) {
            m.append(", machine `").append(code(text(r, "machine.class"))).append("`");
        }
        if (b != null) {
            m.append("; baseline `").append(code(text(b, "run_id"))).append("` (commit `").append(code(text(b, "git_commit"))).append("`)");
        }
        m.append(".\n\n");

        String overall = ReportSupport.overall(verdictsOrNull);
        JsonNode verified = r.path("verified");
        StringBuilder head = new StringBuilder("**");
        if (verified.isBoolean() && !verified.booleanValue()) {
            head.append("NOT VERIFIED: the output check failed");
        } else if (overall != null) {
            head.append("Verdict: ").append(overall);
        } else {
            head.append(b == null ? "No baseline compared" : "Compared with the baseline (no gated metrics)");
        }
        head.append("**");
        if (overall != null) {
            long regressed = 0;
            for (JsonNode v : verdictsOrNull) {
                regressed += "REGRESSION".equals(v.path("status").asText()) ? 1 : 0;
            }
            head.append(" — ").append(regressed).append(" of ").append(verdictsOrNull.size()).append(" gated metrics regressed");
            String method = HtmlReport.method(verdictsOrNull);
            if (method != null) {
                head.append(" (").append(md(method)).append(")");
            }
        }
        m.append(head).append("\n\n");
        for (String w : HtmlReport.warningTexts(r, b)) {
            m.append("> **Warning:** ").append(md(w)).append("\n\n");
        }
        JsonNode problems = r.path("problems");
        if (problems.isArray() && !problems.isEmpty()) {
            m.append("Problems:\n\n");
            for (JsonNode p : problems) {
                m.append("- ").append(md(p.isTextual() ? p.asText() : p.toString())).append("\n");
            }
            m.append("\n");
        }

        if (verdictsOrNull != null && !verdictsOrNull.isEmpty()) {
            m.append("## Verdicts\n\n| metric | status | baseline | value | change | tolerance | p-value | n base/new |\n")
                    .append("|---|---|--:|--:|--:|--:|--:|--:|\n");
            for (JsonNode v : verdictsOrNull) {
                Double p = num(v, "p_value");
                m.append("| `").append(code(v.path("metric").asText(""))).append("` | ").append(mdCell(v.path("status").asText("?")))
                        .append(" | ").append(fmt(num(v, "baseline"))).append(" | ").append(fmt(num(v, "value")))
                        .append(" | ").append(fmtChange(num(v, "change"))).append(" | ").append(fmtPct(num(v, "tolerance")))
                        .append(" | ").append(p == null ? "—" : String.format(java.util.Locale.ROOT, "%.3g", p))
                        .append(" | ").append(intText(v, "n_base")).append("/").append(intText(v, "n_new")).append(" |\n");
            }
            m.append("\n");
        }

        m.append("## Summary\n\n| metric | this run |").append(b != null ? " baseline | change |" : "").append("\n|---|--:|")
                .append(b != null ? "--:|--:|" : "").append("\n");
        if (verified.isBoolean()) {
            m.append("| Verified | ").append(verified.booleanValue() ? "yes" : "**NO**").append(" |")
                    .append(b != null ? " " + (b.path("verified").isBoolean() ? (b.path("verified").booleanValue() ? "yes" : "NO") : "—") + " | |" : "")
                    .append("\n");
        }
        for (HtmlReport.Row row : HtmlReport.SUMMARY) {
            Double v = num(r, row.path());
            Double bv = b == null ? null : num(b, row.path());
            if (v == null && bv == null) {
                continue;
            }
            m.append("| ").append(mdCell(row.label())).append(" | ").append(row.format().apply(v)).append(" |");
            if (b != null) {
                m.append(" ").append(row.format().apply(bv)).append(" | ").append(fmtChange(ReportSupport.relChange(bv, v))).append(" |");
            }
            m.append("\n");
        }
        JsonNode gl = r.path("cpu").path("generator_limited");
        if (gl.isBoolean()) {
            m.append("| Generator limited | ").append(gl.booleanValue() ? "**YES — the load generator was the limit**" : "no").append(" |")
                    .append(b != null ? " | |" : "").append("\n");
        }
        JsonNode stages = r.path("stages_ns_per_record");
        if (stages.isObject() && !stages.isEmpty()) {
            StringBuilder s = new StringBuilder();
            stages.fields().forEachRemaining(e -> {
                if (s.length() > 0) {
                    s.append(", ");
                }
                s.append(e.getKey()).append(" ").append(fmt(num(e.getValue())));
            });
            m.append("| Stages (ns/record) | ").append(mdCell(s.toString())).append(" |").append(b != null ? " | |" : "").append("\n");
        }
        m.append("\n");
        int reps = r.path("repetitions").size();
        if (reps > 0) {
            m.append("Medians over ").append(reps).append(" repetition").append(reps == 1 ? "" : "s").append("; see report.html for each.\n\n");
        }

        JsonNode peer = r.path("peer");
        if (peer.isObject() && !peer.isEmpty()) {
            m.append("## Velo vs Kafka Streams\n\n| query | Velo records/s | Kafka Streams records/s | ratio | verified |\n|---|--:|--:|--:|---|\n");
            Iterator<Map.Entry<String, JsonNode>> it = peer.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode q = e.getValue();
                JsonNode v = q.path("verified");
                m.append("| `").append(code(e.getKey())).append("` | ").append(fmt(num(q, "velo_rps"))).append(" | ").append(fmt(num(q, "peer_rps")))
                        .append(" | ").append(num(q, "ratio") == null ? "—" : fmt(num(q, "ratio")) + "×").append(" | ")
                        .append(v.isBoolean() ? (v.booleanValue() ? "yes" : "**NO**") : "—").append(" |\n");
            }
            m.append("\n");
        }

        m.append("## Links\n\n- [report.html](report.html) — charts: latency distribution, throughput, latency, allocation, GC\n");
        JsonNode p = r.path("profile");
        for (String[] k : new String[][] {{"cpu", "CPU flame graph"}, {"alloc", "Allocation flame graph"}, {"jfr", "JFR recording"}}) {
            String href = ReportSupport.relativeHref(text(p, k[0]));
            if (href != null) {
                m.append("- [").append(k[1]).append("](").append(href).append(")\n");
            }
        }
        String hlog = ReportSupport.relativeHref(text(r, "hlog"));
        if (hlog != null) {
            m.append("- [latency interval log](").append(hlog).append(") (HdrHistogram, µs)\n");
        }
        return m.toString();
    }

    private static String intText(JsonNode v, String k) {
        Double d = num(v, k);
        return d == null ? "—" : String.valueOf(Math.round(d));
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "—" : s;
    }

    /** Text outside code spans: Markdown and HTML specials escaped. */
    private static String md(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("\\`*_[]<>|#".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        return b.toString();
    }

    /** Text inside a code span: backticks and newlines cannot be escaped there, so they are replaced. */
    private static String code(String s) {
        if (s == null || s.isEmpty()) {
            return "—";
        }
        return s.replace('`', '\'').replace('\n', ' ').replace('\r', ' ').replace("|", "\\|");
    }
}
