package io.velo.harness.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code velo bench baseline}: Saves a result as the baseline of its scenario and machine class (not built yet). */
@Command(name = "baseline", mixinStandardHelpOptions = true, description = "Saves a result as the baseline of its scenario and machine class")
public final class BaselineCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @CommandLine.Unmatched
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        bench.err.println("velo bench baseline: not built yet");
        return 2;
    }
}
