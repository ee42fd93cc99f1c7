package io.velo.harness.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.gate.Baselines;
import io.velo.harness.result.ResultFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code velo bench baseline save}: saves a verified result as the baseline of its scenario and machine class. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Manages baselines (baselines/<machine-class>/<scenario>.json).",
        subcommands = BaselineCommand.Save.class)
public final class BaselineCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;

    @Override
    public Integer call() {
        bench.err.println("velo bench baseline: say what to do, e.g. velo bench baseline save RESULT.json");
        new CommandLine(this).usage(bench.err);
        return 2;
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "Saves a verified result (with its .hlog files) as the baseline of its scenario and machine class; exit 2 on bad input.")
    static final class Save implements Callable<Integer> {
        @CommandLine.ParentCommand
        BaselineCommand baseline;

        @Parameters(paramLabel = "RESULT.json", arity = "1", description = "result.json of bench run or bench micro")
        Path result;

        @Option(names = "--baselines", paramLabel = "DIR", description = "baseline store (default ${DEFAULT-VALUE})")
        Path baselines = Path.of("baselines");

        @Override
        public Integer call() {
            BenchCommand bench = baseline.bench;
            try {
                Path saved = Baselines.save(result, baselines);
                ObjectNode b = ResultFile.read(saved);
                bench.out.println("saved baseline " + saved + " (scenario " + b.path("scenario").asText() + ", machine class "
                        + b.path("machine").path("class").asText() + ", " + b.path("repetitions").size() + " repetitions)");
                return 0;
            } catch (Baselines.Problem | ResultFile.Invalid e) {
                bench.err.println("velo bench baseline save: error: " + e.getMessage());
                return 2;
            }
        }
    }
}
