package io.velo.harness.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code velo bench run}: Runs a scenario against Kafka and writes its result and report (not built yet). */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs a scenario against Kafka and writes its result and report")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @CommandLine.Unmatched
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        bench.err.println("velo bench run: not built yet");
        return 2;
    }
}
