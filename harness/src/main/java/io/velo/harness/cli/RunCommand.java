package io.velo.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.run.Broker;
import io.velo.harness.run.RunOutcome;
import io.velo.harness.run.ScenarioRunner;
import io.velo.harness.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code velo bench run SCENARIO.yaml}: runs a scenario, writes its result and report, gates it on its baseline when there is one. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a scenario against Kafka; writes result.json, .hlog files and report.html/report.md under reports/<run-id>/ "
                + "(exit 1 if the output is wrong or the gate finds a regression against this machine class's baseline)")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @Parameters(index = "0", paramLabel = "SCENARIO.yaml")
    Path scenario;

    @Option(names = "--duration", paramLabel = "DURATION", description = "measured duration per repetition (e.g. 60s), instead of the scenario's")
    String duration;

    @Option(names = "--rate", paramLabel = "N", description = "records/s (or max), instead of the scenario's")
    String rate;

    @Option(names = "--repetitions", paramLabel = "N", description = "repetitions, instead of the scenario's")
    Integer repetitions;

    @Option(names = "--kafka", paramLabel = "embedded|testcontainers|HOST:PORT", description = "Kafka to use (default ${DEFAULT-VALUE})")
    String kafka = "embedded";

    @Option(names = "--profile", description = "record the engine with JFR (async-profiler where perf events allow) and write CPU and allocation flame graphs")
    boolean profile;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default reports/<time>-<scenario>)")
    Path out;

    @Option(names = "--baselines", paramLabel = "DIR", description = "baselines to gate on (default ${DEFAULT-VALUE})")
    Path baselines = Path.of("baselines");

    @Option(names = "--no-gate", description = "do not compare with the baseline")
    boolean noGate;

    @Override
    public Integer call() throws Exception {
        if (!io.velo.connector.kafka.KafkaBrokers.isValid(kafka)) {
            bench.err.println("velo bench run: --kafka expects embedded, testcontainers or HOST:PORT, got '" + kafka + "'");
            return 2;
        }
        if (repetitions != null && repetitions <= 0) {
            bench.err.println("velo bench run: --repetitions must be positive");
            return 2;
        }
        ScenarioRunner runner;
        try {
            runner = new ScenarioRunner(new ScenarioRunner.Settings(scenario, ScenarioRunner.overrides(duration, rate, repetitions), kafka, profile, out,
                    System.console() != null ? bench.err : null, bench.err));
        } catch (ScenarioException e) {
            bench.err.println(e.getMessage());
            return 2;
        }
        Path dir = runner.runDir();
        if (Files.exists(dir.resolve("result.json"))) {
            bench.err.println("velo bench run: " + dir.resolve("result.json") + " exists: choose another --out (nothing is overwritten)");
            return 2;
        }
        bench.err.println("velo bench run: " + runner.scenario().name() + " → " + dir);
        ObjectNode result;
        try {
            result = runner.run(dir);
        } catch (Broker.Unreachable e) {
            bench.err.println("velo bench run: error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            bench.err.println("velo bench run: error: " + e.getMessage());
            return 1;
        }
        RunOutcome outcome = RunOutcome.finish(result, dir, noGate ? null : baselines, bench.out, bench.err);
        return outcome.exitCode();
    }
}
