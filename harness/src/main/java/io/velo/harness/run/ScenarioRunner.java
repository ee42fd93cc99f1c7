package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.result.Machine;
import io.velo.harness.scenario.Scenario;
import io.velo.harness.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code velo bench run}: runs a scenario's repetitions on one broker and assembles the result file
 * (docs/results.md) — medians over the repetitions at the top, every repetition kept for the gate.
 * What the scenario asks for decides the shape of a repetition: a plain open-loop run; {@code rate: max}
 * searches for the highest rate whose p99 meets the SLO first; {@code crash} kills and restarts the
 * engine during the load; {@code compare_modes} runs each repetition once per delivery mode;
 * {@code scale} once per worker/instance count; bursts add the recovery time.
 */
public final class ScenarioRunner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the command line gives. */
    public record Settings(Path scenarioFile, Map<String, String> overrides, String kafka, boolean profile, Path outDir,
                           PrintStream progress, PrintStream log) { }

    private final Settings settings;
    private final Scenario scenario;

    public ScenarioRunner(Settings settings) {
        this.settings = settings;
        this.scenario = ScenarioLoader.load(settings.scenarioFile(), settings.overrides());
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The run's directory: {@code --out} or {@code reports/<time>-<scenario>}. */
    public Path runDir() {
        if (settings.outDir() != null) {
            return settings.outDir();
        }
        return Path.of("reports", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + scenario.name());
    }

    /** Runs the scenario; the result, written to {@code dir/result.json} by the caller. */
    public ObjectNode run(Path dir) throws Exception {
        Files.createDirectories(dir);
        String started = Instant.now().toString();
        List<ObjectNode> reps = new ArrayList<>();
        ObjectNode extra = MAPPER.createObjectNode();
        switch (scenario.type().id()) {
            case "peer" -> {
                try (Broker broker = Broker.open(settings.kafka(), false, dir)) {
                    PeerScenario.run(scenario, broker.bootstrap(), settings.progress(), reps);
                }
            }
            case "pipelines" -> PipelineScenario.run(scenario, settings.progress(), reps);
            default -> {
                try (Broker broker = Broker.open(settings.kafka(), scenario.processes().broker() == Scenario.ProcessMode.FORK, dir)) {
                    runKafka(broker, dir, reps, extra);
                }
            }
        }
        ObjectNode result = assemble(started, dir, reps);
        if (!extra.isEmpty()) {
            result.set("extra", extra);
        }
        return result;
    }

    private void runKafka(Broker broker, Path dir, List<ObjectNode> reps, ObjectNode extra) throws Exception {
        int n = scenario.repetitions();
        double rate = scenario.load().isMax() ? 0 : scenario.load().rate().getAsLong();
        if (scenario.load().isMax()) {
            rate = searchMaxRate(broker, dir, extra);
        }
        RepetitionRun.Options base = RepetitionRun.Options.of(rate).withProfile(settings.profile());
        if (scenario.crash().isPresent()) {
            base = base.withKills(scenario.crash().get().kills(), scenario.crash().get().every().toMillis());
        }
        for (int i = 1; i <= n; i++) {
            log("repetition %d of %d", i, n);
            RepetitionRun.Options o = i == 1 ? base : base.withProfile(false);
            if (!scenario.compareModes().isEmpty()) {
                reps.add(compareModes(broker, dir, i, o));
            } else if (scenario.scale().isPresent()) {
                reps.add(scale(broker, dir, i, o));
            } else {
                reps.add(once(broker, dir, "rep" + i, o));
            }
        }
        if (scenario.crash().isPresent()) {
            extra.put("kills_per_repetition", scenario.crash().get().kills());
        }
    }

    ObjectNode once(Broker broker, Path dir, String label, RepetitionRun.Options o) throws Exception {
        ObjectNode r = new RepetitionRun(scenario, settings.overrides(), broker, dir, label, settings.progress()).run(o);
        Derived.add(scenario, r);
        log("  %s", summary(label, r));
        return r;
    }

    /** {@code rate: max}: doubles… the rate by {@code search.factor} while p99 meets the SLO and the engine keeps up. */
    private double searchMaxRate(Broker broker, Path dir, ObjectNode extra) throws Exception {
        var search = scenario.load().search();
        double slo = scenario.load().slo().orElseThrow().p99Ms();
        double rate = search.start();
        double best = 0;
        ArrayNode steps = extra.putArray("search");
        for (int step = 1; step <= search.maxSteps(); step++) {
            log("searching: %,.0f records/s", rate);
            ObjectNode r = new RepetitionRun(scenario, settings.overrides(), broker, dir, "search" + step, settings.progress())
                    .run(RepetitionRun.Options.of(rate));
            double p99 = r.path("latency_ms").path("p99").asDouble(Double.MAX_VALUE);
            double thr = r.path("throughput_rps").asDouble();
            boolean kept = r.path("verified").asBoolean() && p99 <= slo && thr >= 0.95 * rate
                    && !r.path("cpu").path("generator_limited").asBoolean();
            steps.addObject().put("rate", rate).put("throughput_rps", RepetitionMetrics.round(thr)).put("p99_ms", p99)
                    .put("generator_limited", r.path("cpu").path("generator_limited").asBoolean()).put("met_slo", kept);
            log("  %,.0f records/s: p99 %.2f ms, throughput %,.0f/s → %s", rate, p99, thr, kept ? "meets the SLO" : "does not");
            if (!kept) {
                break;
            }
            best = rate;
            rate *= search.factor();
        }
        if (best == 0) {
            throw new IllegalStateException("no rate met the SLO (p99 ≤ " + slo + " ms), not even the search's start rate " + search.start());
        }
        extra.put("max_sustainable_rate", best);
        extra.put("slo_p99_ms", slo);
        log("highest rate meeting the SLO: %,.0f records/s; measuring it %d time(s)", best, scenario.repetitions());
        return best;
    }

    /** {@code compare_modes}: the same load once per delivery mode; the repetition's metrics are the last mode's. */
    private ObjectNode compareModes(Broker broker, Path dir, int i, RepetitionRun.Options o) throws Exception {
        ObjectNode modes = MAPPER.createObjectNode();
        ObjectNode last = null;
        for (String mode : scenario.compareModes()) {
            last = once(broker, dir, mode + i, o.withMode(mode));
            ObjectNode m = modes.putObject(mode);
            copyKey(last, m, "throughput_rps", "cpu_ns_per_record", "alloc_bytes_per_record", "verified", "lost", "duplicates");
            m.set("latency_ms", last.path("latency_ms"));
        }
        ObjectNode r = last.deepCopy();
        r.set("modes", modes);
        if (scenario.compareModes().size() == 2) {
            JsonNode a = modes.get(scenario.compareModes().get(0));
            JsonNode b = modes.get(scenario.compareModes().get(1));
            ObjectNode cost = r.putObject("cost");
            cost.put("throughput_ratio", ratio(b.path("throughput_rps"), a.path("throughput_rps")));
            cost.put("cpu_ns_per_record_ratio", ratio(b.path("cpu_ns_per_record"), a.path("cpu_ns_per_record")));
            cost.put("p99_ratio", ratio(b.path("latency_ms").path("p99"), a.path("latency_ms").path("p99")));
            cost.put("p50_ratio", ratio(b.path("latency_ms").path("p50"), a.path("latency_ms").path("p50")));
        }
        boolean all = true;
        long lost = 0;
        long dups = 0;
        for (JsonNode m : modes) {
            all &= m.path("verified").asBoolean();
            lost += m.path("lost").asLong();
            dups += m.path("duplicates").asLong();
        }
        r.put("verified", all);
        r.put("lost", lost);
        r.put("duplicates", dups);
        return r;
    }

    /** {@code scale}: one run per worker-thread and instance count; the repetition's metrics are the first configuration's. */
    private ObjectNode scale(Broker broker, Path dir, int i, RepetitionRun.Options o) throws Exception {
        ArrayNode configs = MAPPER.createArrayNode();
        ObjectNode first = null;
        boolean all = true;
        for (int threads : scenario.scale().get().threads()) {
            for (int instances : scenario.scale().get().instances()) {
                String label = "t" + threads + "i" + instances + "-" + i;
                ObjectNode r = once(broker, dir, label, o.withScale(instances, threads > 1));
                if (first == null) {
                    first = r;
                }
                all &= r.path("verified").asBoolean();
                ObjectNode c = configs.addObject().put("threads", threads).put("instances", instances);
                copyKey(r, c, "throughput_rps", "cpu_ns_per_record", "verified");
                c.put("p99_ms", r.path("latency_ms").path("p99").asDouble());
                c.put("engine_cores", r.path("cpu").path("engine_cores").asDouble());
            }
        }
        ObjectNode r = first.deepCopy();
        r.set("scaling", configs);
        double base = configs.get(0).path("throughput_rps").asDouble();
        for (JsonNode c : configs) {
            int workers = c.path("threads").asInt() * c.path("instances").asInt();
            if (workers > 1 && base > 0) {
                ((ObjectNode) c).put("gain_per_added_worker", RepetitionMetrics.round4((c.path("throughput_rps").asDouble() / base - 1) / (workers - 1)));
            }
        }
        r.put("verified", all);
        return r;
    }

    private static double ratio(JsonNode a, JsonNode b) {
        return b.asDouble() == 0 ? 0 : RepetitionMetrics.round4(a.asDouble() / b.asDouble());
    }

    private static void copyKey(JsonNode from, ObjectNode to, String... keys) {
        for (String k : keys) {
            if (from.has(k)) {
                to.set(k, from.get(k));
            }
        }
    }

    /** The result file: envelope, medians of the repetitions, their sums and flags, the gate's metrics. */
    ObjectNode assemble(String started, Path dir, List<ObjectNode> reps) throws Exception {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("kind", "velo-scenario-result");
        r.put("format_version", 1);
        r.put("run_id", dir.getFileName().toString());
        r.put("scenario", scenario.name());
        r.put("scenario_hash", scenario.hash());
        r.put("started_at", started);
        r.put("git_commit", Machine.gitCommit());
        r.set("machine", Machine.fingerprint(RunPlan.engineJvmOptions(scenario)));
        ObjectNode config = scenario.toJson();
        config.put("kafka", settings.kafka());
        config.put("profile", settings.profile());
        config.set("overrides", MAPPER.valueToTree(settings.overrides()));
        r.set("config", config);
        ObjectNode medians = Aggregate.medians(reps);
        r.setAll(medians);
        long lost = 0;
        long dups = 0;
        long in = 0;
        long out = 0;
        boolean verified = !reps.isEmpty();
        ArrayNode problems = r.putArray("problems");
        for (ObjectNode rep : reps) {
            lost += rep.path("lost").asLong();
            dups += rep.path("duplicates").asLong();
            in += rep.path("records_in").asLong();
            out += rep.path("records_out").asLong();
            verified &= rep.path("verified").asBoolean();
            for (JsonNode p : rep.path("problems")) {
                problems.add(p.asText());
            }
        }
        if (reps.isEmpty()) {
            problems.add("no repetition ran");
        }
        r.put("records_in", in);
        r.put("records_out", out);
        r.put("lost", lost);
        r.put("duplicates", dups);
        r.put("verified", verified);
        if (!reps.isEmpty()) {
            JsonNode first = reps.get(0);
            for (String k : List.of("series", "hlog", "profile", "latency_distribution")) {
                if (first.has(k)) {
                    r.set(k, first.get(k));
                }
            }
        }
        ObjectNode gate = r.putObject("gate");
        ObjectNode metrics = gate.putObject("metrics");
        scenario.gateMetrics().forEach((name, m) -> metrics.putObject(name).put("direction", m.direction().id()).put("tolerance", m.tolerance()));
        gate.put("alpha", scenario.gate().alpha());
        ArrayNode repsNode = r.putArray("repetitions");
        reps.forEach(repsNode::add);
        return r;
    }

    private static String summary(String label, JsonNode r) {
        return String.format("%s: %,.0f records/s, p99 %.2f ms, %,.0f B/record, CPU %,.0f ns/record, %s", label,
                r.path("throughput_rps").asDouble(), r.path("latency_ms").path("p99").asDouble(), r.path("alloc_bytes_per_record").asDouble(),
                r.path("cpu_ns_per_record").asDouble(), r.path("verified").asBoolean() ? "verified" : "NOT VERIFIED " + r.path("problems"));
    }

    private void log(String format, Object... args) {
        if (settings.log() != null) {
            settings.log().println(String.format(format, args));
        }
    }

    /** Overrides from the command line: {@code load.duration}, {@code load.rate}, {@code repetitions}. */
    public static Map<String, String> overrides(String duration, String rate, Integer repetitions) {
        Map<String, String> m = new LinkedHashMap<>();
        if (duration != null) {
            m.put("load.duration", duration);
        }
        if (rate != null) {
            m.put("load.rate", rate);
        }
        if (repetitions != null) {
            m.put("repetitions", String.valueOf(repetitions));
        }
        return m;
    }
}
