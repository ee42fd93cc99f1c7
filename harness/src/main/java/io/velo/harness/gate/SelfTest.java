package io.velo.harness.gate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.result.ResultFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code bench gate --self-test}: measures on this machine how often the gate raises a false alarm on
 * unchanged code and how often it catches a deliberately injected regression (a 10% slowdown, +20% p99).
 *
 * <p>Trials resample from pools of real repetitions: an unchanged pool, a slowdown pool and a p99 pool,
 * each produced by the scenario runner ({@link RepetitionSource}). A false-alarm trial draws two
 * disjoint samples of k repetitions from the unchanged pool (baseline and candidate); a detection trial
 * draws the baseline from the unchanged pool and the candidate from an injected pool. Each trial runs
 * the {@link Gate} with the scenario's tolerances, and again with every tolerance at 5% (the seeds'
 * tolerance). <b>The trials are therefore not independent</b>: they share repetitions, and the rates
 * describe these pools more than fresh runs would. This is a deliberate trade for time: one trial from
 * fresh runs costs 2k full scenario runs, so 100 independent trials of a one-minute scenario would take
 * over 16 hours; pooling gives a usable estimate from a few dozen runs. Bigger pools make the trials
 * less dependent. The draws are seeded, so the same pools give the same rates.
 */
public final class SelfTest {
    /** The self-test's goal: false alarms at most this rate ... */
    public static final double GOAL_FALSE_ALARM = 0.05;
    /** ... and detection at least this rate. */
    public static final double GOAL_DETECTION = 0.90;
    /** The seeds' regression tolerance, reported alongside the scenario's own tolerances. */
    public static final double SEED_TOLERANCE = 0.05;

    private static volatile RepetitionSource registered;

    private SelfTest() {
    }

    /** Registers the scenario runner's source (called by the runner's code at start-up). */
    public static void source(RepetitionSource source) {
        registered = source;
    }

    /** The registered source, else the first one {@link ServiceLoader} finds. */
    public static Optional<RepetitionSource> source() {
        RepetitionSource s = registered;
        if (s != null) {
            return Optional.of(s);
        }
        return ServiceLoader.load(RepetitionSource.class).findFirst();
    }

    /** The repetitions trials are drawn from. */
    public record Pools(List<ObjectNode> unchanged, List<ObjectNode> slowdown, List<ObjectNode> p99) {
    }

    /**
     * Runs the scenario for the pools: {@code unchangedSize} repetitions of unchanged code and
     * {@code injectedSize} of each injection, interleaved (two unchanged runs first, to size the p99
     * injection, then unchanged, slowdown, +p99 in turn): a machine whose speed drifts during the test
     * then drifts under all three pools alike, instead of passing for a detected slowdown.
     */
    public static Pools collect(RepetitionSource source, Path scenario, int unchangedSize, int injectedSize) throws Exception {
        List<ObjectNode> none = new java.util.ArrayList<>();
        List<ObjectNode> slow = new java.util.ArrayList<>();
        List<ObjectNode> p99 = new java.util.ArrayList<>();
        int first = Math.min(2, unchangedSize);
        none.addAll(source.run(scenario, Injection.NONE, first));
        while (none.size() < unchangedSize || slow.size() < injectedSize || p99.size() < injectedSize) {
            if (none.size() < unchangedSize) {
                none.addAll(source.run(scenario, Injection.NONE, 1));
            }
            if (slow.size() < injectedSize) {
                slow.addAll(source.run(scenario, Injection.SLOWDOWN_10PCT, 1));
            }
            if (p99.size() < injectedSize) {
                p99.addAll(source.run(scenario, Injection.P99_PLUS_20PCT, 1));
            }
        }
        return new Pools(none, slow, p99);
    }

    /** Rates under one tolerance setting, and how often each metric fired (REGRESSION) per trial kind. */
    public record Rates(double falseAlarm, double detectionSlowdown, double detectionP99,
                        Map<String, Integer> firedUnchanged, Map<String, Integer> firedSlowdown, Map<String, Integer> firedP99) {
        /** The weaker of the two detection rates. */
        public double detection() {
            return Math.min(detectionSlowdown, detectionP99);
        }

        public boolean goalMet() {
            return falseAlarm <= GOAL_FALSE_ALARM && detection() >= GOAL_DETECTION;
        }
    }

    /** The self-test's outcome. */
    public record Report(String scenario, int k, int trials, long seed, int unchangedPool, int slowdownPool, int p99Pool,
                         Rates scenarioTolerances, Rates at5pct) {
        /** The printed lines; {@code false_alarm_rate=…} and {@code detection_rate=…} are for scripts. */
        public List<String> lines() {
            List<String> l = new ArrayList<>();
            l.add(String.format(Locale.ROOT, "self-test: scenario %s, %d trials per kind, k=%d repetitions per side, pools unchanged=%d "
                    + "slowdown=%d p99=%d, seed %d", scenario, trials, k, unchangedPool, slowdownPool, p99Pool, seed));
            l.add("note: trials resample one pool of real runs, so they are not independent");
            Rates r = scenarioTolerances;
            l.add(String.format(Locale.ROOT, "false_alarm_rate=%.2f", r.falseAlarm()));
            l.add(String.format(Locale.ROOT, "detection_rate_slowdown=%.2f", r.detectionSlowdown()));
            l.add(String.format(Locale.ROOT, "detection_rate_p99=%.2f", r.detectionP99()));
            l.add(String.format(Locale.ROOT, "detection_rate=%.2f", r.detection()));
            l.add("fired: " + fired(r));
            Rates f = at5pct;
            l.add(String.format(Locale.ROOT, "at_5pct: false_alarm_rate=%.2f detection_rate=%.2f detection_rate_slowdown=%.2f detection_rate_p99=%.2f",
                    f.falseAlarm(), f.detection(), f.detectionSlowdown(), f.detectionP99()));
            l.add("at_5pct fired: " + fired(f));
            l.add(String.format(Locale.ROOT, "goal (false_alarm_rate <= %.2f and detection_rate >= %.2f, scenario tolerances): %s",
                    GOAL_FALSE_ALARM, GOAL_DETECTION, r.goalMet() ? "met" : "NOT met"));
            return l;
        }

        private static String fired(Rates r) {
            return "unchanged " + counts(r.firedUnchanged()) + "; slowdown " + counts(r.firedSlowdown())
                    + "; p99 " + counts(r.firedP99());
        }

        private static String counts(Map<String, Integer> m) {
            return m.isEmpty() ? "(none)" : m.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * Runs the trials.
     *
     * @param gate the scenario's gate settings ({@code {"metrics": …, "alpha": …}})
     * @param k    repetitions per side in a trial; the unchanged pool needs at least 2k, each injected pool k
     */
    public static Report run(String scenario, ObjectNode gate, Pools pools, int k, int trials, long seed) {
        if (k < 1 || trials < 1) {
            throw new IllegalArgumentException("k and trials must be positive");
        }
        if (pools.unchanged().size() < 2 * k || pools.slowdown().size() < k || pools.p99().size() < k) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pools too small for k=%d: unchanged needs >= %d (has %d), slowdown and p99 >= %d (have %d and %d)",
                    k, 2 * k, pools.unchanged().size(), k, pools.slowdown().size(), pools.p99().size()));
        }
        for (var it = gate.path("metrics").fields(); it.hasNext(); ) {
            var m = it.next();
            String dir = m.getValue().path("direction").asText("");
            if (!(dir.equals("higher") || dir.equals("lower")) || !m.getValue().path("tolerance").isNumber()) {
                throw new IllegalArgumentException("gate.metrics." + m.getKey() + " needs direction higher|lower and a numeric tolerance");
            }
        }
        if (gate.path("metrics").isEmpty()) {
            throw new IllegalArgumentException("the scenario gates no metrics");
        }
        Map<String, Double> none = Map.of();
        Map<String, Double> seedTol = Map.of(Gate.ALL, SEED_TOLERANCE);
        Random random = new Random(seed);
        Tally[] unchanged = {new Tally(), new Tally()};
        Tally[] slow = {new Tally(), new Tally()};
        Tally[] p99 = {new Tally(), new Tally()};
        for (int t = 0; t < trials; t++) {
            List<ObjectNode> shuffled = shuffled(pools.unchanged(), random);
            ObjectNode base = result(scenario, gate, shuffled.subList(0, k));
            ObjectNode cand = result(scenario, gate, shuffled.subList(k, 2 * k));
            unchanged[0].add(Gate.compare(base, cand, none));
            unchanged[1].add(Gate.compare(base, cand, seedTol));

            ObjectNode b2 = result(scenario, gate, shuffled(pools.unchanged(), random).subList(0, k));
            ObjectNode c2 = result(scenario, gate, shuffled(pools.slowdown(), random).subList(0, k));
            slow[0].add(Gate.compare(b2, c2, none));
            slow[1].add(Gate.compare(b2, c2, seedTol));

            ObjectNode b3 = result(scenario, gate, shuffled(pools.unchanged(), random).subList(0, k));
            ObjectNode c3 = result(scenario, gate, shuffled(pools.p99(), random).subList(0, k));
            p99[0].add(Gate.compare(b3, c3, none));
            p99[1].add(Gate.compare(b3, c3, seedTol));
        }
        Rates[] rates = new Rates[2];
        for (int i = 0; i < 2; i++) {
            rates[i] = new Rates(unchanged[i].rate(trials), slow[i].rate(trials), p99[i].rate(trials),
                    unchanged[i].fired, slow[i].fired, p99[i].fired);
        }
        return new Report(scenario, k, trials, seed, pools.unchanged().size(), pools.slowdown().size(), pools.p99().size(),
                rates[0], rates[1]);
    }

    private static List<ObjectNode> shuffled(List<ObjectNode> pool, Random random) {
        List<ObjectNode> copy = new ArrayList<>(pool);
        Collections.shuffle(copy, random);
        return copy;
    }

    /** A minimal result around drawn repetitions, enough for {@link Gate#compare}. */
    private static ObjectNode result(String scenario, ObjectNode gate, List<ObjectNode> reps) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("kind", ResultFile.SCENARIO_KIND);
        r.put("scenario", scenario);
        r.set("gate", gate);
        ArrayNode a = r.putArray("repetitions");
        reps.forEach(a::add);
        return r;
    }

    /** Trials in which at least one metric regressed, and how often each metric did. */
    private static final class Tally {
        int alarms;
        final Map<String, Integer> fired = new TreeMap<>();

        void add(List<Verdict> verdicts) {
            boolean any = false;
            for (Verdict v : verdicts) {
                if (v.status() == Verdict.Status.REGRESSION) {
                    any = true;
                    fired.merge(v.metric(), 1, Integer::sum);
                }
            }
            if (any) {
                alarms++;
            }
        }

        double rate(int trials) {
            return alarms / (double) trials;
        }
    }
}
