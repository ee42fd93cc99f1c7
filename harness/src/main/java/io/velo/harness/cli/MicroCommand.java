package io.velo.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code velo bench micro}: the JMH suite. */
@Command(name = "micro", description = "JMH micro-benchmarks (any JMH option works; default: all Velo benchmarks with -prof gc).",
        mixinStandardHelpOptions = false)
public final class MicroCommand implements Callable<Integer> {
    @CommandLine.Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @CommandLine.Parameters(arity = "0..*", paramLabel = "JMH-OPTION")
    List<String> positional = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(positional);
        args.addAll(jmhArgs);
        return run(args);
    }

    static int run(List<String> given) throws Exception {
        List<String> args = new ArrayList<>(given);
        if (args.isEmpty() || args.stream().allMatch(a -> a.startsWith("-") || a.matches("[0-9]+"))) {
            args.add(0, "io\\.velo\\.harness\\.jmh\\..*");
        }
        if (args.stream().noneMatch(a -> a.equals("-rf"))) {
            Path dir = Path.of("reports");
            Files.createDirectories(dir);
            Path file = dir.resolve("jmh-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            args.addAll(List.of("-rf", "json", "-rff", file.toString()));
        }
        if (args.stream().noneMatch(a -> a.equals("-prof"))) {
            args.addAll(List.of("-prof", "gc"));
        }
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
