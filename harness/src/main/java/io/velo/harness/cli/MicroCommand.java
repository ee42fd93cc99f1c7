package io.velo.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.jmh.JmhResults;
import io.velo.harness.result.Machine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code velo bench micro [--velo-out DIR] [--velo-name NAME] [JMH options]}: the JMH suite.
 *
 * <p>Every argument except the two Velo options goes to JMH untouched and in order (so {@code -h},
 * {@code -l}, {@code -lp}, {@code -prof}, {@code -p}, {@code -rf}/{@code -rff} … all work as in JMH).
 * Defaults are added only where the arguments give none: all Velo benchmarks
 * ({@code io.velo.harness.jmh.*}), the gc profiler ({@code -prof gc}, for bytes per operation) and
 * {@code -foe true}, so that a benchmark that throws fails the command instead of silently missing
 * from the result.
 *
 * <p>After JMH finishes, the run is written to {@code reports/micro-<yyyyMMdd-HHmmss>/} (or
 * {@code --velo-out DIR}): JMH's own JSON as {@code jmh.json} and the Velo result
 * ({@link JmhResults}) as {@code result.json}. {@code --velo-name} (alias {@code --name}) sets the
 * result's scenario name, default {@code micro}; a name other than {@code micro} is appended to the
 * run id. Exit codes: 0 written; 1 when JMH failed or measured nothing (nothing is written); 2 for a
 * usage error — a bad option, a pattern that matches no benchmark, or a directory that already holds
 * a result (never overwritten).
 */
@Command(name = "micro", description = "JMH micro-benchmarks (any JMH option works; default: all Velo benchmarks with -prof gc); "
        + "writes reports/micro-<time>/result.json and jmh.json (--velo-out DIR, --velo-name NAME).",
        mixinStandardHelpOptions = false)
public final class MicroCommand implements Callable<Integer> {
    static final String DEFAULT_INCLUDE = "io\\.velo\\.harness\\.jmh\\..*";
    static final String DEFAULT_NAME = "micro";
    static final String RESULT_FILE = "result.json";
    static final String JMH_FILE = "jmh.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    /** A usage error: the message is printed and the command exits with 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The Velo options taken out of the command line, and what is left for JMH. */
    record Parsed(Path out, String name, List<String> jmhArgs) {
        static Parsed of(List<String> args) throws UsageException {
            Path out = null;
            String name = null;
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                boolean isOut = option.equals("--velo-out");
                boolean isName = option.equals("--velo-name") || option.equals("--name");
                if (!isOut && !isName) {
                    rest.add(a);
                    continue;
                }
                String value;
                if (a.contains("=")) {
                    value = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(option + " needs a value");
                }
                if (value.isBlank()) {
                    throw new UsageException(option + " needs a value");
                }
                if (isOut) {
                    if (out != null) {
                        throw new UsageException("--velo-out is given twice");
                    }
                    out = Path.of(value);
                } else {
                    if (name != null) {
                        throw new UsageException("--velo-name is given twice");
                    }
                    if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                        throw new UsageException("--velo-name '" + value + "': use letters, digits, '.', '_' and '-' (it names files)");
                    }
                    name = value;
                }
            }
            return new Parsed(out, name == null ? DEFAULT_NAME : name, rest);
        }
    }

    static int run(List<String> given) throws Exception {
        return run(given, System.out, System.err);
    }

    /** Runs JMH with {@code given} (Velo options included) and writes the result; returns the exit code. */
    public static int run(List<String> given, PrintStream out, PrintStream err) throws IOException {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Parsed p;
        CommandLineOptions jmh;
        try {
            p = Parsed.of(given);
            jmh = new CommandLineOptions(p.jmhArgs().toArray(new String[0]));
        } catch (UsageException e) {
            err.println("velo bench micro: " + e.getMessage());
            return 2;
        } catch (CommandLineOptionException e) {
            err.println("velo bench micro: JMH option error: " + e.getMessage());
            return 2;
        }
        if (jmh.shouldHelp()) {
            out.println("velo bench micro [--velo-out DIR] [--velo-name NAME] [JMH options]: results go to "
                    + "reports/micro-<time>/result.json and jmh.json (or DIR); JMH's options:");
            jmh.showHelp();
            return 0;
        }
        if (jmh.shouldList() || jmh.shouldListWithParams() || jmh.shouldListProfilers() || jmh.shouldListResultFormats()) {
            Runner lister = new Runner(withDefaults(jmh), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL));
            if (jmh.shouldList()) {
                lister.list();
            } else if (jmh.shouldListWithParams()) {
                lister.listWithParams(jmh);
            } else if (jmh.shouldListProfilers()) {
                jmh.listProfilers();
            } else {
                jmh.listResultFormats();
            }
            return 0;
        }
        String runId = "micro-" + time + (p.name().equals(DEFAULT_NAME) ? "" : "-" + p.name());
        Path dir = p.out() != null ? p.out() : Path.of("reports", runId);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            err.println("velo bench micro: --velo-out " + dir + " is a file, not a directory");
            return 2;
        }
        for (String f : List.of(RESULT_FILE, JMH_FILE)) {
            if (Files.exists(dir.resolve(f))) {
                err.println("velo bench micro: " + dir.resolve(f) + " already exists (a result is never overwritten): give another --velo-out");
                return 2;
            }
        }

        Collection<RunResult> results;
        try {
            VerboseMode verbosity = jmh.verbosity().orElse(VerboseMode.NORMAL);
            // JMH's -o sends its output to a file; otherwise it goes to this command's output
            Runner runner = jmh.getOutput().hasValue() ? new Runner(withDefaults(jmh))
                    : new Runner(withDefaults(jmh), OutputFormatFactory.createFormatInstance(out, verbosity));
            results = runner.run();
        } catch (NoBenchmarksException e) {
            err.println("velo bench micro: no benchmark matches " + (jmh.getIncludes().isEmpty() ? DEFAULT_INCLUDE : jmh.getIncludes())
                    + " (velo bench micro -l lists them)");
            return 2;
        } catch (RunnerException e) {
            err.println("velo bench micro: JMH failed: " + e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            return 1;
        } catch (RuntimeException e) {
            err.println("velo bench micro: JMH failed: " + e);
            return 1;
        }
        if (results == null || results.isEmpty()) {
            err.println("velo bench micro: JMH produced no results; nothing written");
            return 1;
        }

        ByteArrayOutputStream jmhBytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(jmhBytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        ObjectNode result;
        try {
            JsonNode jmhJson = MAPPER.readTree(jmhBytes.toByteArray());
            result = JmhResults.toResult(jmhJson, p.name(), runId, started, Machine.gitCommit(), Machine.fingerprint(jvmArgs(jmhJson)), JMH_FILE);
            ObjectNode config = result.get("config") instanceof ObjectNode c ? c : result.putObject("config");
            config.set("jmh_args", MAPPER.valueToTree(p.jmhArgs()));
        } catch (IOException | IllegalArgumentException e) {
            err.println("velo bench micro: JMH's result is unusable: " + e.getMessage() + "; nothing written");
            return 1;
        }
        Files.createDirectories(dir);
        write(dir.resolve(JMH_FILE), jmhBytes.toByteArray());
        write(dir.resolve(RESULT_FILE), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
        out.println("velo bench micro: " + result.get("jmh").size() + " benchmarks, " + result.get("repetitions").size()
                + " repetitions; wrote " + dir.resolve(RESULT_FILE) + " and " + dir.resolve(JMH_FILE));
        return 0;
    }

    /** The JMH options with Velo's defaults where the command line gives none. */
    static org.openjdk.jmh.runner.options.Options withDefaults(CommandLineOptions jmh) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(jmh);
        if (jmh.getIncludes().isEmpty()) {
            b.include(DEFAULT_INCLUDE);
        }
        if (jmh.getProfilers().isEmpty()) {
            b.addProfiler("gc");
        }
        if (!jmh.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true);
        }
        return b.build();
    }

    /** The measured JVM's flags (the forks'), as JMH recorded them; this JVM's when JMH recorded none. */
    private static List<String> jvmArgs(JsonNode jmhJson) {
        JsonNode a = jmhJson.path(0).get("jvmArgs");
        if (a == null || !a.isArray()) {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        }
        List<String> flags = new ArrayList<>();
        ((ArrayNode) a).forEach(f -> flags.add(f.asText()));
        return flags;
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
