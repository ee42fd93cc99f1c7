package io.velo.harness.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code velo bench compare}: Renders a comparison report of two results (not built yet). */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "Renders a comparison report of two results")
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @CommandLine.Unmatched
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        bench.err.println("velo bench compare: not built yet");
        return 2;
    }
}
