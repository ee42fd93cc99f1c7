package io.velo.harness.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code velo bench gate}: Compares results with their baselines; exit 1 on regression (not built yet). */
@Command(name = "gate", mixinStandardHelpOptions = true, description = "Compares results with their baselines; exit 1 on regression")
public final class GateCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @CommandLine.Unmatched
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        bench.err.println("velo bench gate: not built yet");
        return 2;
    }
}
