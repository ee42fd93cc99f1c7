package io.velo.harness.report;

import static io.velo.harness.report.ReportSupport.esc;
import static io.velo.harness.report.ReportSupport.fmt;
import static io.velo.harness.report.ReportSupport.num;
import static io.velo.harness.report.ReportSupport.text;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code reports/index.html}: every {@code reports/<run>/result.json}, newest first, with its headline
 * figures and a link to its report. A result that cannot be read is listed as broken rather than
 * stopping the index — one bad run must not hide the others.
 */
public final class ReportIndex {
    private static final ObjectMapper READER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ReportIndex() {
    }

    /** One listed run. {@code broken} is the reason the result could not be read, else null. */
    record Entry(String dir, Instant when, String runId, String scenario, String started, Double throughput, Double p99,
                 Boolean verified, String verdict, String verdictLink, boolean hasReport, String broken) {
    }

    /** Writes {@code reportsDir/index.html} (atomically); a missing directory is created. */
    public static void write(Path reportsDir) throws IOException {
        Files.createDirectories(reportsDir);
        ReportSupport.writeAtomically(reportsDir.resolve("index.html"), render(entries(reportsDir)));
    }

    static List<Entry> entries(Path reportsDir) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(reportsDir)) {
            for (Path d : (Iterable<Path>) dirs.sorted()::iterator) {
                Path f = d.resolve("result.json");
                if (Files.isDirectory(d) && Files.isRegularFile(f)) {
                    out.add(entry(d, f));
                }
            }
        }
        out.sort(Comparator.comparing(Entry::when, Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(Entry::dir));
        return out;
    }

    private static Entry entry(Path d, Path f) {
        String dir = d.getFileName().toString();
        Instant mtime = null;
        try {
            mtime = Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            // listed without a time
        }
        boolean hasReport = Files.isRegularFile(d.resolve("report.html"));
        JsonNode r;
        try {
            r = READER.readTree(f.toFile());
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Entry(dir, mtime, null, null, null, null, null, null, null, null, hasReport, "unreadable result.json: " + msg);
        }
        if (r == null || !r.isObject()) {
            return new Entry(dir, mtime, null, null, null, null, null, null, null, null, hasReport,
                    "result.json is not a JSON object" + (r != null && r.isArray() ? " (an array: raw JMH output?)" : ""));
        }
        String started = text(r, "started_at");
        Instant when = mtime;
        if (started != null) {
            try {
                when = Instant.parse(started);
            } catch (DateTimeParseException e) {
                // keep the file time
            }
        }
        String verdict = null;
        String verdictLink = null;
        Path vj = d.resolve("verdicts.json");
        if (Files.isRegularFile(vj)) {
            verdictLink = "verdicts.json";
            try {
                JsonNode v = READER.readTree(vj.toFile());
                JsonNode arr = v.isArray() ? v : v.path("verdicts");
                verdict = arr.isArray() ? ReportSupport.overall((ArrayNode) arr) : null;
                if (verdict == null) {
                    verdict = "no verdicts";
                }
            } catch (IOException | RuntimeException e) {
                verdict = "unreadable verdicts.json";
            }
        } else if (Files.isRegularFile(d.resolve("gate.md"))) {
            verdict = "see gate.md";
            verdictLink = "gate.md";
        }
        JsonNode v = r.path("verified");
        return new Entry(dir, when, text(r, "run_id"), text(r, "scenario"), started, num(r, "throughput_rps"), num(r, "latency_ms.p99"),
                v.isBoolean() ? v.booleanValue() : null, verdict, verdictLink, hasReport, null);
    }

    static String render(List<Entry> entries) {
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Velo benchmark runs</title>\n<style>\n")
                .append(ReportScript.CSS).append("</style>\n</head>\n<body>\n<h1>Velo benchmark runs</h1>\n")
                .append("<div class=\"sub\">").append(entries.size()).append(" run").append(entries.size() == 1 ? "" : "s")
                .append(", newest first. Each links its report.</div>\n");
        if (entries.isEmpty()) {
            h.append("<p class=\"muted\">No runs yet: <code>bin/velo bench run scenarios/…yaml</code> writes one.</p>\n");
        } else {
            h.append("<table id=\"runs\"><tr><th>run</th><th>scenario</th><th>started</th><th class=\"n\">records/s</th>"
                    + "<th class=\"n\">p99 ms</th><th>verified</th><th>verdict</th></tr>\n");
            for (Entry e : entries) {
                String base = java.net.URLEncoder.encode(e.dir, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/";
                String target = base + (e.hasReport ? "report.html" : "result.json");
                h.append("<tr><td><a href=\"").append(esc(target)).append("\">").append(esc(e.runId != null ? e.runId : e.dir)).append("</a></td>");
                if (e.broken != null) {
                    h.append("<td colspan=\"6\" class=\"worse\">broken: ").append(esc(e.broken)).append("</td></tr>\n");
                    continue;
                }
                h.append("<td>").append(esc(e.scenario != null ? e.scenario : "—")).append("</td><td>")
                        .append(esc(e.started != null ? e.started : "—")).append("</td><td class=\"n\">").append(fmt(e.throughput))
                        .append("</td><td class=\"n\">").append(fmt(e.p99)).append("</td><td>")
                        .append(e.verified == null ? "—" : e.verified ? "yes" : "<span class=\"worse\">NO</span>").append("</td><td>");
                if (e.verdict != null) {
                    String cls = e.verdict.replaceAll("[^A-Z]", "");
                    boolean badge = List.of("PASS", "REGRESSION", "IMPROVEMENT", "MISSING").contains(e.verdict);
                    h.append("<a href=\"").append(esc(base + e.verdictLink)).append("\">")
                            .append(badge ? "<span class=\"badge " + cls + "\">" + esc(e.verdict) + "</span>" : esc(e.verdict)).append("</a>");
                } else {
                    h.append("—");
                }
                h.append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }
}
