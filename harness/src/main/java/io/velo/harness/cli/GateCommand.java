package io.velo.harness.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.gate.Baselines;
import io.velo.harness.gate.Gate;
import io.velo.harness.gate.GateReport;
import io.velo.harness.gate.RepetitionSource;
import io.velo.harness.gate.SelfTest;
import io.velo.harness.gate.Verdict;
import io.velo.harness.result.ResultFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code velo bench gate}: compares results with their baselines; exit 0 when nothing regressed, 1 on
 * a regression, 2 on an input error (unreadable result, no or mismatched baseline, a gated metric the
 * result does not carry, bad options). Input errors win over regressions: the gate was incomplete.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Compares results with their baselines metric by metric; exit 1 on regression, 2 on input errors.")
public final class GateCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @Parameters(paramLabel = "RESULT.json", arity = "0..*", description = "results of bench run / bench micro")
    List<Path> results = new ArrayList<>();

    @Option(names = "--baselines", paramLabel = "DIR", description = "baseline store (default ${DEFAULT-VALUE})")
    Path baselines = Path.of("baselines");

    @Option(names = "--markdown", paramLabel = "FILE", description = "one Markdown summary of all results (default: gate.md next to each result)")
    Path markdown;

    @Option(names = "--junit", paramLabel = "FILE", description = "one JUnit XML file of all results (default: gate-junit.xml next to each result)")
    Path junit;

    @Option(names = "--tolerance", paramLabel = "METRIC=X", description = "override a metric's tolerance (a fraction, 0.05, or 5%%); all=X for every metric")
    List<String> tolerances = new ArrayList<>();

    @Option(names = "--self-test", paramLabel = "SCENARIO.yaml", description = "measure the gate's false-alarm rate and detection power on this machine")
    Path selfTest;

    @Option(names = "--trials", paramLabel = "N", description = "self-test trials per kind, at least 10 (default ${DEFAULT-VALUE})")
    int trials = 100;

    @Option(names = "--repetitions", paramLabel = "N", description = "self-test repetitions per side of a trial (default ${DEFAULT-VALUE})")
    int repetitions = 5;

    @Option(names = "--pool", paramLabel = "N", description = "self-test: unchanged runs to draw from (default 3 x repetitions; each injected pool gets 2 x repetitions)")
    Integer pool;

    @Option(names = "--seed", paramLabel = "N", description = "self-test: seed of the draws (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        if (selfTest != null) {
            if (!results.isEmpty()) {
                return usage("--self-test takes a scenario, not result files");
            }
            return selfTest();
        }
        if (results.isEmpty()) {
            return usage("give at least one RESULT.json (or --self-test SCENARIO.yaml)");
        }
        Map<String, Double> overrides;
        try {
            overrides = parseTolerances(tolerances);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }

        // read every result first, so a misspelt --tolerance metric is caught before any verdict
        Map<Path, Object> read = new LinkedHashMap<>(); // ObjectNode or the error message
        Set<String> gated = new HashSet<>();
        for (Path r : results) {
            try {
                ObjectNode node = ResultFile.read(r);
                read.put(r, node);
                node.path("gate").path("metrics").fieldNames().forEachRemaining(gated::add);
            } catch (ResultFile.Invalid e) {
                read.put(r, e.getMessage());
            }
        }
        for (String m : overrides.keySet()) {
            if (!m.equals(Gate.ALL) && !gated.contains(m) && read.values().stream().anyMatch(v -> v instanceof ObjectNode)) {
                return usage("--tolerance " + m + "=…: no result gates a metric named '" + m + "' (gated: " + new java.util.TreeSet<>(gated) + ")");
            }
        }

        List<GateReport.Entry> entries = new ArrayList<>();
        boolean inputError = false;
        for (Map.Entry<Path, Object> e : read.entrySet()) {
            Path file = e.getKey();
            if (e.getValue() instanceof String message) {
                bench.err.println("velo bench gate: error: " + message);
                entries.add(GateReport.Entry.failed(file, file.toString(), message));
                inputError = true;
                continue;
            }
            ObjectNode result = (ObjectNode) e.getValue();
            String scenario = result.path("scenario").asText();
            Baselines.Loaded loaded;
            try {
                loaded = Baselines.load(result, baselines);
            } catch (Baselines.Problem p) {
                bench.err.println("velo bench gate: error: " + file + ": " + p.getMessage());
                entries.add(GateReport.Entry.failed(file, scenario, p.getMessage()));
                inputError = true;
                continue;
            }
            loaded.warnings().forEach(w -> bench.err.println(file + ": " + w));
            List<Verdict> verdicts = Gate.compare(loaded.baseline(), result, overrides);
            for (Verdict v : verdicts) {
                bench.out.println(v.line());
                if (v.status() == Verdict.Status.ERROR) {
                    inputError = true;
                }
            }
            entries.add(new GateReport.Entry(file, scenario, loaded.file(), loaded.warnings(), verdicts, null));
        }

        try {
            writeOutputs(entries, read);
        } catch (IOException e) {
            bench.err.println("velo bench gate: error: cannot write the summary: " + e);
            return 2;
        }
        String overall = GateReport.overall(entries);
        bench.out.println("gate: " + GateReport.headline(entries).replaceFirst("^\\S+ \\*\\*Gate: \\w+\\*\\* — ", overall + " — "));
        if (inputError) {
            return 2;
        }
        return overall.equals("REGRESSION") ? 1 : 0;
    }

    private void writeOutputs(List<GateReport.Entry> entries, Map<Path, Object> read) throws IOException {
        if (markdown != null) {
            writeText(markdown, GateReport.markdown(entries));
            bench.err.println("wrote " + markdown);
        }
        if (junit != null) {
            writeText(junit, GateReport.junitXml(entries));
            bench.err.println("wrote " + junit);
        }
        if (markdown != null && junit != null) {
            return;
        }
        for (GateReport.Entry e : entries) {
            if (!(read.get(e.result()) instanceof ObjectNode)) {
                continue; // no result, no folder to write beside
            }
            Path dir = e.result().toAbsolutePath().getParent();
            if (markdown == null) {
                writeText(dir.resolve("gate.md"), GateReport.markdown(List.of(e)));
            }
            if (junit == null) {
                writeText(dir.resolve("gate-junit.xml"), GateReport.junitXml(List.of(e)));
            }
        }
    }

    /** Writes through a temporary file, so a failed write leaves an older summary intact. */
    private static void writeText(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            ResultFile.moveAtomically(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code metric=0.05}, {@code metric=5%}, {@code all=0.05}. */
    static Map<String, Double> parseTolerances(List<String> specs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("--tolerance expects METRIC=X (e.g. latency_ms.p99=0.15 or all=5%), got '" + s + "'");
            }
            String metric = s.substring(0, eq).trim();
            String value = s.substring(eq + 1).trim();
            double x;
            try {
                x = value.endsWith("%") ? Double.parseDouble(value.substring(0, value.length() - 1)) / 100
                        : Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tolerance " + s + ": '" + value + "' is not a number");
            }
            if (!Double.isFinite(x) || x < 0) {
                throw new IllegalArgumentException("--tolerance " + s + ": a tolerance is a fraction >= 0 (0.05 = 5%)");
            }
            out.put(metric, x);
        }
        return out;
    }

    private int selfTest() {
        if (trials < 10) {
            return usage("--trials must be at least 10 (a rate from fewer trials says little), got " + trials);
        }
        if (repetitions < 1) {
            return usage("--repetitions must be positive, got " + repetitions);
        }
        int unchanged = pool != null ? pool : 3 * repetitions;
        if (unchanged < 2 * repetitions) {
            return usage("--pool must be at least 2 x --repetitions (" + 2 * repetitions + ") for disjoint baseline and candidate draws");
        }
        if (!Files.isRegularFile(selfTest)) {
            bench.err.println("velo bench gate --self-test: error: " + selfTest + ": no such scenario file");
            return 2;
        }
        Optional<RepetitionSource> source = SelfTest.source();
        if (source.isEmpty()) {
            bench.err.println("velo bench gate --self-test: error: no scenario runner is registered to produce repetitions "
                    + "(io.velo.harness.gate.RepetitionSource via SelfTest.source(...) or ServiceLoader); this build cannot run scenarios");
            return 2;
        }
        ObjectNode gate;
        try {
            gate = source.get().gate(selfTest);
        } catch (Exception e) {
            bench.err.println("velo bench gate --self-test: error: " + e.getMessage());
            return 2;
        }
        String name = selfTest.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        SelfTest.Pools pools;
        try {
            bench.err.println("self-test: running " + name + ": " + unchanged + " unchanged repetitions, "
                    + 2 * repetitions + " with a 10% slowdown, " + 2 * repetitions + " with +20% p99");
            pools = SelfTest.collect(source.get(), selfTest, unchanged, 2 * repetitions);
        } catch (Exception e) {
            bench.err.println("velo bench gate --self-test: error: the scenario runs failed: " + e);
            return 1;
        }
        SelfTest.Report report;
        try {
            report = SelfTest.run(name, gate, pools, repetitions, trials, seed);
        } catch (IllegalArgumentException e) {
            bench.err.println("velo bench gate --self-test: error: " + e.getMessage());
            return 1;
        }
        report.lines().forEach(bench.out::println);
        return report.scenarioTolerances().goalMet() ? 0 : 1;
    }

    private int usage(String message) {
        bench.err.println("velo bench gate: " + message);
        return 2;
    }
}
