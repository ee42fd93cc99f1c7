package io.velo.cli;

import io.velo.api.Engine;
import io.velo.failure.JobFailedException;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code velo} command line. Exit codes: 0 success, 1 runtime failure, 2 usage or SQL error.
 */
@Command(name = "velo", mixinStandardHelpOptions = true, version = "velo 0.1.0",
        description = {"Streaming SQL over Kafka and files, with exact decimals.",
                "Benchmarks: velo bench pipelines | micro (velo bench --help)."},
        subcommands = {Main.Run.class, Main.Check.class, KafkaCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        return cl.execute(args);
    }

    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == Run.class) {
                    return cls.cast(new Run(out, err));
                }
                if (cls == Check.class) {
                    return cls.cast(new Check(out, err));
                }
                if (cls == KafkaCommand.Start.class) {
                    return cls.cast(new KafkaCommand.Start(out, err));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExitCodeExceptionMapper(t -> t instanceof JobFailedException ? FAILED : USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("velo: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return USAGE;
        });
        return cl;
    }

    /** Shared: read the SQL file, format SQL errors like a compiler. */
    abstract static class SqlCommand implements Callable<Integer> {
        final PrintStream out;
        final PrintStream err;

        @Parameters(index = "0", paramLabel = "FILE.sql", description = "the SQL script")
        Path file;

        @Option(names = "--set", paramLabel = "key=value", description = "set a property for every job it applies to; wins over WITH, declarations and config files (repeatable)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--kafka", paramLabel = "embedded|testcontainers|HOST:PORT", description = "Kafka to use (default embedded)")
        String kafka = "embedded";

        SqlCommand(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            String sql;
            try {
                sql = Files.readString(file, StandardCharsets.UTF_8);
                if (sql.startsWith("\uFEFF")) {
                    sql = sql.substring(1); // a byte-order mark some editors write: not part of the script
                }
            } catch (NoSuchFileException e) {
                err.println("velo: no such file: " + file);
                return USAGE;
            } catch (IOException e) {
                err.println("velo: cannot read " + file + ": " + e.getMessage());
                return USAGE;
            }
            if (!io.velo.connector.kafka.KafkaBrokers.isValid(kafka)) {
                err.println("velo: --kafka expects embedded, testcontainers or HOST:PORT, got '" + kafka + "'");
                return USAGE;
            }
            Path base = file.toAbsolutePath().getParent();
            try {
                List<Statement.Property> overrides = new ArrayList<>();
                for (String s : sets) {
                    overrides.add(Engine.setting(s));
                }
                return execute(sql, base, overrides);
            } catch (SqlException e) {
                err.print(e.format(file.toString(), sql));
                return USAGE;
            } catch (JobFailedException e) {
                err.println("velo: job failed: " + e.getMessage());
                return FAILED;
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                return internalError(e);
            }
        }

        /**
         * A fault that escaped the engine (a bug, or memory exhausted): one line naming it instead of a
         * stack trace on the terminal, exit 1; {@code VELO_DEBUG=1} prints the trace for a bug report.
         */
        int internalError(Throwable e) {
            err.println("velo: internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + (e instanceof OutOfMemoryError ? " (give the JVM more heap: VELO_JAVA_OPTS=-Xmx…)" : " (a bug: please report it; VELO_DEBUG=1 prints the stack trace)"));
            if (System.getenv("VELO_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return FAILED;
        }

        abstract int execute(String sql, Path base, List<Statement.Property> overrides);
    }

    @Command(name = "run", description = "Run the jobs of a SQL script.")
    static final class Run extends SqlCommand {
        @Option(names = "--until-idle", paramLabel = "DURATION", description = "end an unbounded job after this much idle time (e.g. 10s)")
        String untilIdle;

        @Option(names = "--max-records", paramLabel = "N", description = "end a job after reading exactly N records (0, the default: no limit)")
        long maxRecords;

        Run(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        int execute(String sql, Path base, List<Statement.Property> overrides) {
            long idle = 0;
            if (untilIdle != null) {
                try {
                    idle = Durations.parseMillis(untilIdle);
                } catch (IllegalArgumentException e) {
                    err.println("velo: --until-idle: " + e.getMessage());
                    return USAGE;
                }
            }
            if (maxRecords < 0) {
                err.println("velo: --max-records must not be negative");
                return USAGE;
            }
            Engine engine = new Engine(out, err).scriptFile(file).kafka(kafka);
            Runnable restore = StopSignals.install(engine::stop);
            try {
                engine.run(sql, base, new Engine.RunOptions(overrides, maxRecords, idle, System.console() != null));
            } finally {
                restore.run();
            }
            return OK;
        }
    }

    @Command(name = "check", description = "Parse and validate a SQL script and print its plan and effective properties (no job runs).")
    static final class Check extends SqlCommand {
        Check(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        int execute(String sql, Path base, List<Statement.Property> overrides) {
            out.print(new Engine(out, err).scriptFile(file).check(sql, base, overrides));
            return OK;
        }
    }
}
