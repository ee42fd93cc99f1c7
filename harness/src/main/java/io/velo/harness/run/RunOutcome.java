package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.gate.Baselines;
import io.velo.harness.gate.Gate;
import io.velo.harness.gate.GateReport;
import io.velo.harness.gate.Verdict;
import io.velo.harness.report.Reports;
import io.velo.harness.result.ResultFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The end of {@code bench run}: the result written, the gate run against this machine class's baseline
 * of the scenario when there is one, the report written, and on the terminal a summary table, the
 * verdict and the report's path.
 */
public record RunOutcome(int exitCode, Path report) {

    public static RunOutcome finish(ObjectNode result, Path dir, Path baselinesOrNull, PrintStream out, PrintStream err) throws Exception {
        Path resultFile = dir.resolve("result.json");
        ResultFile.write(result, resultFile);
        ObjectNode baseline = null;
        List<Verdict> verdicts = null;
        String gateLine;
        if (baselinesOrNull == null) {
            gateLine = "gate: not run (--no-gate)";
        } else if (!Files.exists(Baselines.pathFor(baselinesOrNull, result.path("machine").path("class").asText(), result.path("scenario").asText()))) {
            gateLine = "gate: no baseline for " + result.path("scenario").asText() + " on machine class " + result.path("machine").path("class").asText()
                    + " in " + baselinesOrNull + " (save this run as one: bin/velo bench baseline save " + resultFile + ")";
        } else {
            Baselines.Loaded loaded;
            try {
                loaded = Baselines.load(result, baselinesOrNull);
                baseline = loaded.baseline();
                loaded.warnings().forEach(w -> err.println("gate: warning: " + w));
                verdicts = Gate.compare(baseline, result, Map.of());
                GateReport.Entry entry = new GateReport.Entry(resultFile, result.path("scenario").asText(), loaded.file(), loaded.warnings(), verdicts, null);
                Files.writeString(dir.resolve("gate.md"), GateReport.markdown(List.of(entry)));
                Files.writeString(dir.resolve("gate-junit.xml"), GateReport.junitXml(List.of(entry)));
                Files.writeString(dir.resolve("verdicts.json"), Gate.toJson(verdicts).toPrettyString());
                gateLine = "gate: " + (Gate.anyRegression(verdicts) ? "REGRESSION" : "PASS") + " against " + loaded.file();
            } catch (Baselines.Problem e) {
                gateLine = "gate: cannot compare: " + e.getMessage();
            }
        }
        ArrayNode verdictJson = verdicts == null ? null : Gate.toJson(verdicts);
        Path report = Reports.writeRunReport(dir, result, baseline, verdictJson);
        summary(result, out);
        if (verdicts != null) {
            for (Verdict v : verdicts) {
                out.println(v.line());
            }
        }
        boolean verified = result.path("verified").asBoolean();
        if (!verified) {
            for (JsonNode p : result.path("problems")) {
                err.println("NOT VERIFIED: " + p.asText());
            }
        }
        out.println(gateLine);
        out.println("result: " + resultFile);
        out.println("report: " + report);
        boolean regression = verdicts != null && Gate.anyRegression(verdicts);
        out.println("verdict: " + (!verified ? "FAIL (the output is wrong)" : regression ? "REGRESSION" : "PASS"));
        return new RunOutcome(!verified || regression ? 1 : 0, report);
    }

    /** The summary table: the medians, the spread over repetitions beside them. */
    static void summary(ObjectNode r, PrintStream out) {
        JsonNode reps = r.path("repetitions");
        out.println();
        out.printf("%-26s %14s %14s %14s%n", r.path("scenario").asText(), "median", "min", "max");
        row(out, "throughput (records/s)", r, reps, "throughput_rps", "%,.0f");
        row(out, "latency p50 (ms)", r, reps, "latency_ms.p50", "%.2f");
        row(out, "latency p99 (ms)", r, reps, "latency_ms.p99", "%.2f");
        row(out, "latency p99.9 (ms)", r, reps, "latency_ms.p999", "%.2f");
        row(out, "latency max (ms)", r, reps, "latency_ms.max", "%.2f");
        row(out, "CPU (ns/record)", r, reps, "cpu_ns_per_record", "%,.0f");
        row(out, "allocated (B/record)", r, reps, "alloc_bytes_per_record", "%,.0f");
        row(out, "GC pauses", r, reps, "gc.count", "%.0f");
        row(out, "GC max pause (ms)", r, reps, "gc.pause_ms_max", "%.2f");
        row(out, "heap peak (MB)", r, reps, "heap_peak_bytes", "%,.0f", 1.0 / (1 << 20));
        row(out, "engine CPU (cores)", r, reps, "cpu.engine_cores", "%.2f");
        row(out, "generator CPU (cores)", r, reps, "cpu.generator_cores", "%.2f");
        row(out, "broker CPU (cores)", r, reps, "cpu.broker_cores", "%.2f");
        row(out, "state (B/key)", r, reps, "state_bytes_per_key", "%,.1f");
        row(out, "burst recovery (s)", r, reps, "recovery_s", "%.0f");
        row(out, "pool hit rate", r, reps, "pool_hit_rate", "%.4f");
        out.printf("%-26s %14s%n", "records in / out", r.path("records_in").asLong() + " / " + r.path("records_out").asLong());
        out.printf("%-26s %14s%n", "lost / duplicates", r.path("lost").asLong() + " / " + r.path("duplicates").asLong());
        out.printf("%-26s %14s%n", "verified", r.path("verified").asBoolean());
        if (r.path("cpu").path("generator_limited").asBoolean()) {
            out.println("WARNING: the load generator could not keep to its schedule: it, not the engine, was the limit");
        }
        if (r.has("extra")) {
            out.println("extra: " + r.get("extra"));
        }
        out.println();
    }

    private static void row(PrintStream out, String label, JsonNode r, JsonNode reps, String path, String fmt) {
        row(out, label, r, reps, path, fmt, 1.0);
    }

    private static void row(PrintStream out, String label, JsonNode r, JsonNode reps, String path, String fmt, double scale) {
        JsonNode v = at(r, path);
        if (v == null || !v.isNumber()) {
            return;
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (JsonNode rep : reps) {
            JsonNode x = at(rep, path);
            if (x != null && x.isNumber()) {
                min = Math.min(min, x.asDouble());
                max = Math.max(max, x.asDouble());
            }
        }
        out.printf("%-26s %14s %14s %14s%n", label, String.format(fmt, v.asDouble() * scale),
                min == Double.MAX_VALUE ? "" : String.format(fmt, min * scale), max == -Double.MAX_VALUE ? "" : String.format(fmt, max * scale));
    }

    private static JsonNode at(JsonNode n, String path) {
        for (String p : path.split("\\.")) {
            n = n.path(p);
        }
        return n.isMissingNode() ? null : n;
    }
}
