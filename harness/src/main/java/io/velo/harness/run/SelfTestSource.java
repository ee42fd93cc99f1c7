package io.velo.harness.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.gate.Injection;
import io.velo.harness.gate.RepetitionSource;
import io.velo.harness.scenario.Scenario;
import io.velo.harness.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The gate's self-test runs real repetitions of a scenario through this source, on one broker kept for
 * the whole test: unchanged, with the harness's 10% slowdown (the engine's JVM burns 10% more CPU per
 * batch, {@link EngineFork}), or with +20% p99 (every record leaves the generator 20% of the unchanged
 * runs' median p99 late, {@link GeneratorFork}) — so the unchanged pool must be run first.
 */
public final class SelfTestSource implements RepetitionSource, AutoCloseable {
    /** Runs discarded before the pools: the broker's warm-up. */
    static final int WARMUP_RUNS = 3;
    private final String kafka;
    private final Path dir;
    private final PrintStream log;
    private Broker broker;
    private final List<Double> unchangedP99 = new ArrayList<>();
    private int runs;

    /** For {@code bench gate --self-test} (found through ServiceLoader): the embedded broker, runs under reports/. */
    public SelfTestSource() {
        this("embedded", Path.of("reports", "selftest-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), System.err);
    }

    public SelfTestSource(String kafka, Path dir, PrintStream log) {
        this.kafka = kafka;
        this.dir = dir;
        this.log = log;
    }

    @Override
    public List<ObjectNode> run(Path scenarioFile, Injection injection, int repetitions) throws Exception {
        Scenario s = ScenarioLoader.load(scenarioFile, Map.of());
        Files.createDirectories(dir);
        if (broker == null) {
            broker = Broker.open(kafka, s.processes().broker() == Scenario.ProcessMode.FORK, dir);
            // a fresh broker compiles and fills its caches for a few runs: measured here, its first runs
            // cost the engine ~40% less CPU per record than later ones, a drift the pools must not see
            for (int i = 1; i <= WARMUP_RUNS; i++) {
                ObjectNode w = new RepetitionRun(s, Map.of(), broker, dir, "warmup-" + i, null).run(RepetitionRun.Options.of(s.load().rate().orElseThrow()));
                if (log != null) {
                    log.printf("  self-test %-16s %,8.0f ns/record CPU  p99 %6.2f ms  (broker warm-up, not pooled)%n", "warmup-" + i,
                            w.path("cpu_ns_per_record").asDouble(), w.path("latency_ms").path("p99").asDouble());
                }
            }
        }
        double slowdown = 0;
        long delay = 0;
        if (injection == Injection.SLOWDOWN_10PCT) {
            slowdown = 0.10;
        } else if (injection == Injection.P99_PLUS_20PCT) {
            if (unchangedP99.isEmpty()) {
                throw new IllegalStateException("the +20% p99 injection is sized from the unchanged runs' p99: run those first");
            }
            double[] d = unchangedP99.stream().mapToDouble(Double::doubleValue).toArray();
            delay = Math.round(0.2 * io.velo.harness.gate.Statistics.median(d) * 1000);
        }
        List<ObjectNode> reps = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            String label = injection.name().toLowerCase() + "-" + (++runs);
            ObjectNode r = new RepetitionRun(s, Map.of(), broker, dir, label, null)
                    .run(RepetitionRun.Options.of(s.load().rate().orElseThrow()).withInjection(slowdown, delay));
            Derived.add(s, r);
            if (injection == Injection.NONE && r.path("latency_ms").has("p99")) {
                unchangedP99.add(r.path("latency_ms").path("p99").asDouble());
            }
            if (log != null) {
                log.printf("  self-test %-16s %,8.0f ns/record CPU  p99 %6.2f ms  %s%n", label, r.path("cpu_ns_per_record").asDouble(),
                        r.path("latency_ms").path("p99").asDouble(), r.path("verified").asBoolean() ? "verified" : "NOT VERIFIED " + r.path("problems"));
            }
            r.remove(Arrays.asList("series", "latency_distribution"));
            reps.add(r);
        }
        return reps;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
