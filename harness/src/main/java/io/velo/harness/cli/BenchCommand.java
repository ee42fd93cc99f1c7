package io.velo.harness.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.kafka.KafkaBenchmark;
import io.velo.harness.pipeline.PipelineBenchmark;
import io.velo.harness.pipeline.PipelineKind;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code velo bench …}: the testbed's commands. */
@Command(name = "velo bench", mixinStandardHelpOptions = true, description = "Benchmarks and regression testing.",
        subcommands = {RunCommand.class, GateCommand.class, BaselineCommand.class, CompareCommand.class,
                BenchCommand.Pipelines.class, BenchCommand.Kafka.class, MicroCommand.class})
public final class BenchCommand implements Callable<Integer> {
    final PrintStream out;
    final PrintStream err;

    private BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(err);
        return 2;
    }

    public static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("micro")) {
            // JMH options pass through untouched and in order
            try {
                return MicroCommand.run(java.util.Arrays.asList(args).subList(1, args.length));
            } catch (Exception e) {
                err.println("velo bench micro: " + e.getMessage());
                return 1;
            }
        }
        CommandLine cl = new CommandLine(new BenchCommand(out, err));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExitCodeExceptionMapper(t -> 1);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("velo bench: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return 2;
        });
        return cl.execute(args);
    }

    @Command(name = "pipelines", mixinStandardHelpOptions = true, description = "Engine-only in-memory pipelines vs. hand-written Java loops (exit 1 if an answer disagrees).")
    static final class Pipelines implements Callable<Integer> {
        @CommandLine.ParentCommand
        BenchCommand bench;

        @Option(names = "--kinds", split = ",", paramLabel = "KIND", description = "select, filter, multi_condition, group_by, tumbling, sliding, session, stream_table_join, table_lookup, interval_join, group_by_1m, group_by_decimal (default all)")
        List<String> kinds = new ArrayList<>();

        @Option(names = "--records", paramLabel = "N", description = "records per run of every kind (default 5,000,000; group_by_1m 2,000,000)")
        Integer records;

        @Option(names = "--batch-size", paramLabel = "N", description = "records per batch (default ${DEFAULT-VALUE})")
        int batchSize = 1024;

        @Option(names = "--repetitions", paramLabel = "N", description = "measured runs per side and kind (default ${DEFAULT-VALUE})")
        int repetitions = 5;

        @Option(names = "--warmups", paramLabel = "N", description = "warm-up runs per side and kind (default ${DEFAULT-VALUE})")
        int warmups = 3;

        @Option(names = "--in-process", description = "run every kind in this JVM instead of a fresh JVM per kind")
        boolean inProcess;

        @Option(names = "--threads", paramLabel = "N", description = "engine worker threads ('parallelism'); with N > 1 each kind "
                + "also runs on one thread in the same run and reports the scaling and CPU utilisation (default ${DEFAULT-VALUE})")
        int threads = 1;

        @Option(names = "--compare-modes", description = "run every kind forked, then all in this JVM, and report per kind the engine's "
                + "in-process / forked rate and whether they agree within 20%% (takes about twice as long)")
        boolean compareModes;

        /** The self-check: the engine runs each kind's deliberately wrong SQL, so every kind must come out unverified. */
        @Option(names = "--sabotage", hidden = true)
        boolean sabotage;

        @Option(names = "--out", paramLabel = "FILE.json", description = "result file (default reports/pipelines-<time>.json)")
        Path out;

        @Override
        public Integer call() throws Exception {
            if ((records != null && records <= 0) || batchSize <= 0 || repetitions <= 0 || warmups < 0 || threads <= 0) {
                bench.err.println("velo bench pipelines: --records, --batch-size, --repetitions and --threads must be positive, --warmups not negative");
                return 2;
            }
            if (compareModes && inProcess) {
                bench.err.println("velo bench pipelines: --compare-modes runs both modes; leave out --in-process");
                return 2;
            }
            List<PipelineKind> ks = new ArrayList<>();
            try {
                if (kinds.isEmpty()) {
                    ks.addAll(Arrays.asList(PipelineKind.values()));
                } else {
                    for (String k : kinds) {
                        ks.add(PipelineKind.of(k.trim()));
                    }
                }
            } catch (IllegalArgumentException e) {
                bench.err.println("velo bench pipelines: " + e.getMessage());
                return 2;
            }
            PipelineBenchmark pipelines = new PipelineBenchmark(records != null ? records : 0, batchSize, warmups, repetitions, sabotage, bench.out)
                    .threads(threads);
            ObjectNode result = compareModes ? pipelines.compareModes(ks) : pipelines.run(ks, inProcess);
            Path file = out != null ? out : Path.of("reports", "pipelines-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            PipelineBenchmark.write(result, file);
            bench.out.println("wrote " + file);
            if (!PipelineBenchmark.allVerified(result)) {
                bench.err.println("velo bench pipelines: an answer disagrees with its hand-written reference (see NOT VERIFIED above)");
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = "Kafka->SQL->Kafka (filter + projection) vs. a raw consume->produce pipe on the same broker, records and client settings (exit 1 if an output is wrong).")
    static final class Kafka implements Callable<Integer> {
        @CommandLine.ParentCommand
        BenchCommand bench;

        @Option(names = "--records", paramLabel = "N", description = "trades to generate and pipe (default ${DEFAULT-VALUE})")
        long records = 1_000_000;

        @Option(names = "--repetitions", paramLabel = "N", description = "runs of both sides, each on fresh output topics; the figures are medians (default ${DEFAULT-VALUE})")
        int repetitions = 1;

        @Option(names = "--kafka", paramLabel = "embedded|testcontainers|HOST:PORT", description = "Kafka to use (default ${DEFAULT-VALUE})")
        String kafka = "embedded";

        /** The self-check: the engine's SQL drops one record the query keeps, so the run must come out unverified. */
        @Option(names = "--sabotage", hidden = true)
        boolean sabotage;

        @Option(names = "--out", paramLabel = "FILE.json", description = "result file (default reports/kafka-<time>.json)")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (records <= 0 || repetitions <= 0) {
                bench.err.println("velo bench kafka: --records and --repetitions must be positive");
                return 2;
            }
            if (!io.velo.connector.kafka.KafkaBrokers.isValid(kafka)) {
                bench.err.println("velo bench kafka: --kafka expects embedded, testcontainers or HOST:PORT, got '" + kafka + "'");
                return 2;
            }
            ObjectNode result;
            try {
                result = new KafkaBenchmark(records, repetitions, kafka, sabotage, System.console() != null ? bench.err : null).run();
            } catch (KafkaBenchmark.Failed e) {
                bench.err.println("velo bench kafka: error: " + e.getMessage());
                return 1;
            }
            Path file = out != null ? out : Path.of("reports", "kafka-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            PipelineBenchmark.write(result, file);
            bench.out.println(result.toPrettyString());
            bench.err.println(KafkaBenchmark.summaryLine(result));
            bench.err.println("wrote " + file);
            if (!result.get("verified").asBoolean()) {
                for (com.fasterxml.jackson.databind.JsonNode p : result.path("problems")) {
                    bench.err.println("velo bench kafka: NOT VERIFIED: " + p.asText());
                }
                return 1;
            }
            return 0;
        }
    }
}
