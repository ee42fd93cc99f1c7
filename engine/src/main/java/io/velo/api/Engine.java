package io.velo.api;

import io.velo.config.PropertyCatalog;
import io.velo.runtime.JobRunner;
import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionRegistry;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import io.velo.config.Setting;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Runs or checks a SQL script: parses every statement, plans every job (so any SQL error stops the
 * script before anything runs), then runs the jobs in order. The single public entry point used by
 * the command line, the tests and the benchmarks.
 */
public final class Engine {
    /** Options of {@code velo run}. */
    public record RunOptions(List<Statement.Property> overrides, long maxRecords, long untilIdleMillis, boolean showProgress) {
        public static RunOptions defaults() {
            return new RunOptions(List.of(), 0, 0, false);
        }
    }

    /** A planned source declaration: shown by {@code check}, silent in {@code run}. */
    private record Declaration(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** What a finished script did, per job. */
    public record JobResult(String name, String summary, long recordsIn, long recordsOut, long failed) { }

    private final PrintStream out;
    private final PrintStream err;
    private final java.util.List<JobRunner> runners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    private Path scriptFile;
    private String kafkaSpec = "embedded";
    /** The command's broker, opened when the first Kafka connector without its own bootstrap.servers opens. */
    private io.velo.connector.kafka.KafkaBrokers.Broker broker;

    /** {@code --kafka embedded|testcontainers|HOST:PORT}: the Kafka that jobs use unless they name their own. */
    public Engine kafka(String spec) {
        this.kafkaSpec = spec;
        return this;
    }

    private synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                broker = io.velo.connector.kafka.KafkaBrokers.open(kafkaSpec);
            } catch (RuntimeException e) {
                throw new io.velo.failure.JobFailedException("cannot start Kafka (--kafka " + kafkaSpec + "): " + e.getMessage(), e);
            }
        }
        return broker.bootstrapServers();
    }

    private synchronized void closeBroker() {
        if (broker != null) {
            try {
                broker.close();
            } catch (Exception e) {
                err.println("velo: warning: closing the Kafka broker: " + e.getMessage());
            }
            broker = null;
        }
    }

    /** The tables of a run that no sink was named for (removed when the run ends). */
    private final io.velo.plan.RunTables runTables = new io.velo.plan.RunTables();

    /** Where the run keeps its tables that no sink was named for (the directory exists only while a run has written one). */
    public Path runTablesDir() {
        return runTables.dir();
    }

    public Engine(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The file the script was read from: no sink or dead-letter file of the script may write it. */
    public Engine scriptFile(Path file) {
        this.scriptFile = file;
        return this;
    }

    /** Plans all statements; returns the jobs in order. Throws SqlException on the first error. */
    public List<Object> planScript(String sql, Path baseDir, List<Statement.Property> overrides) {
        try {
            Planned p = planScriptOnce(sql, baseDir, overrides);
            if (runsAtOnce(p.steps()) && p.planner().readsRunTableFile()) {
                // every job runs at once and one reads a table of the run: only a topic can be read while it is written
                planWarnings.clear();
                runTables.keepInKafka();
                p = planScriptOnce(sql, baseDir, overrides);
            }
            SqlException chained = runsAtOnce(p.steps()) ? p.planner().chainedWhileConcurrent() : null;
            if (chained != null) {
                throw chained;
            }
            return p.steps();
        } finally {
            printWarnings(); // once, whether the script planned once, twice or failed
        }
    }

    /** A planned script: its steps, and the planner that knows what its statements read and write. */
    private record Planned(List<Object> steps, Planner planner) { }

    /** Whether the jobs of {@code steps} all run at once: one of them has an unbounded source. */
    private static boolean runsAtOnce(List<Object> steps) {
        return steps.stream().anyMatch(s -> s instanceof JobPlan jp && jp.source() != null && !jp.source().bounded());
    }

    /** The planned jobs' warnings, printed once the script is planned (a script planned twice warns once). */
    private final List<String> planWarnings = new ArrayList<>();

    private void printWarnings() {
        planWarnings.forEach(err::println);
        planWarnings.clear();
    }

    private Planned planScriptOnce(String sql, Path baseDir, List<Statement.Property> overrides) {
        List<Statement> statements = Parser.parseScript(sql);
        Catalog catalog = new Catalog();
        Planner planner = new Planner(catalog, baseDir, out, err);
        planner.override(overrides);
        planner.kafka(this::bootstrapServers);
        planner.runTables(runTables);
        if (scriptFile != null) {
            planner.protectScript(scriptFile);
        }
        List<Object> steps = new ArrayList<>();
        Map<String, String> groupReaders = new HashMap<>();
        for (Statement st : statements) {
            Object step = planStatement(planner, catalog, st);
            if (step instanceof JobPlan jp) {
                checkKafkaTopology(jp, st, groupReaders);
                for (String w : jp.properties().warnings()) {
                    planWarnings.add((scriptFile != null ? scriptFile + ":" : "") + w);
                }
            }
            steps.add(step);
        }
        planner.checkOverridesUsed();
        return new Planned(steps, planner);
    }

    /**
     * Jobs of one script that read a topic in the same consumer group would split its partitions and
     * each see only part of it; a job writing the topic it reads would read its own output for ever.
     * Both are refused before anything runs.
     */
    private static void checkKafkaTopology(JobPlan jp, Statement st, Map<String, String> groupReaders) {
        var read = jp.source() instanceof io.velo.exec.join.JoinedSource joined ? joined.stream() : jp.source();
        if (!(read instanceof io.velo.connector.kafka.KafkaSource src)) {
            return;
        }
        String srcCluster = jp.properties().get(src.name() + ".bootstrap.servers");
        String cluster = srcCluster == null ? "" : srcCluster;
        String key = cluster + "|" + src.topic() + "|" + src.group();
        String other = groupReaders.putIfAbsent(key, jp.name());
        if (other != null) {
            throw new SqlException(st.pos(), "jobs '" + other + "' and '" + jp.name() + "' both read topic '" + src.topic()
                    + "' in consumer group '" + src.group() + "', so they would split its partitions and each see only part of it: give "
                    + "each query its own group (WITH ('" + src.name() + ".group.id' = '…')) or leave the group out (each job's default is its name)");
        }
        if (jp.sink() instanceof io.velo.connector.kafka.KafkaSink out && out.topic().equals(src.topic())
                && java.util.Objects.equals(jp.properties().get(out.name() + ".bootstrap.servers"), srcCluster)) {
            throw new SqlException(st.pos(), "job '" + jp.name() + "' writes to topic '" + src.topic() + "', which it reads: it would read "
                    + "its own output for ever; write to another topic");
        }
    }

    private Object planStatement(Planner planner, Catalog catalog, Statement st) {
        if (st instanceof Statement.CreateSource cs) {
            planner.declare(cs);
            return new Declaration("-- declared " + (cs.table() ? "table " : "stream ") + cs.name() + " (" + catalog.get(cs.name()).schema() + ")\n");
        }
        if (st instanceof Statement.CreateAs || st instanceof Statement.InsertInto || st instanceof Statement.Select) {
            return planner.plan(st);
        }
        if (st instanceof Statement.Explain ex) {
            Object inner = planner.explain(() -> planStatement(planner, catalog, ex.statement()));
            return inner instanceof JobPlan jp ? jp.planText() : inner.toString();
        }
        if (st instanceof Statement.Show s) {
            return show(s, catalog);
        }
        if (st instanceof Statement.Describe d) {
            Catalog.Entry e = catalog.get(d.name());
            if (e == null) {
                throw new SqlException(d.pos(), "unknown stream or table '" + d.name() + "'");
            }
            StringBuilder sb = new StringBuilder((e.table() ? "TABLE " : "STREAM ") + e.name() + " (" + e.origin() + ")\n");
            e.schema().fields().forEach(f -> sb.append("  ").append(f.name()).append(' ').append(f.type())
                    .append(f.name().equalsIgnoreCase(e.primaryKey() == null ? "" : e.primaryKey()) ? " PRIMARY KEY" : "").append('\n'));
            return sb.toString();
        }
        if (st instanceof Statement.JobCommand jc) {
            throw new SqlException(jc.pos(), jc.verb() + " JOB is a server statement: deploy it with 'velo server' (not available in 'velo run')");
        }
        throw new SqlException(st.pos(), "unsupported statement");
    }

    private static String show(Statement.Show s, Catalog catalog) {
        StringBuilder sb = new StringBuilder();
        switch (s.what()) {
            case "FUNCTIONS":
                for (FunctionDef f : FunctionRegistry.all()) {
                    sb.append(String.format("%-24s %-22s %s%n", f.name(), f.kind(), f.doc()));
                }
                break;
            case "STREAMS": case "TABLES":
                boolean tables = s.what().equals("TABLES");
                catalog.all().values().stream().filter(e -> e.table() == tables)
                        .forEach(e -> sb.append(e.name()).append(" (").append(e.schema()).append(")\n"));
                break;
            case "PROPERTIES":
                PropertyCatalog.jobKeys().forEach(d -> sb.append(String.format("%-34s %-8s default %-14s %s%n", d.key(), d.type(),
                        d.defaultValue(), d.doc())));
                PropertyCatalog.connectorKeys().forEach(d -> sb.append(String.format("<name>.%-27s %-8s default %-14s %s%n", d.key(),
                        d.type(), d.defaultValue(), d.doc())));
                break;
            default:
                sb.append("-- SHOW ").append(s.what()).append(": no ").append(s.what().toLowerCase(Locale.ROOT))
                        .append(" in a 'velo run' script (the server lists them)\n");
        }
        return sb.toString();
    }

    /** {@code velo check}: the plan of every statement and every effective property with its origin. */
    public String check(String sql, Path baseDir, List<Statement.Property> overrides) {
        StringBuilder sb = new StringBuilder();
        for (Object step : planScript(sql, baseDir, overrides)) {
            if (step instanceof JobPlan jp) {
                sb.append(jp.planText());
                sb.append("  Properties:\n");
                for (Setting s : jp.properties().all()) {
                    sb.append(String.format("    %-40s = %-20s (%s)%n", s.key(), s.value(), s.origin()));
                }
            } else {
                sb.append(step);
            }
        }
        return sb.toString();
    }

    /** {@code velo run}: plans everything, then runs each job in order. */
    public List<JobResult> run(String sql, Path baseDir, RunOptions options) {
        try {
            return runPlanned(sql, baseDir, options);
        } finally {
            closeBroker();
            runTables.close();
        }
    }

    private List<JobResult> runPlanned(String sql, Path baseDir, RunOptions options) {
        List<Object> steps = planScript(sql, baseDir, options.overrides());
        if (runsAtOnce(steps)) {
            return runConcurrently(steps, options);
        }
        List<JobResult> results = new ArrayList<>();
        for (Object step : steps) {
            if (stopped) {
                break;
            }
            if (!(step instanceof JobPlan jp)) {
                if (!(step instanceof Declaration)) {
                    out.print(step);
                }
                continue;
            }
            JobRunner runner = new JobRunner(jp, options.maxRecords(), options.untilIdleMillis(), options.showProgress() ? err : null);
            register(runner);
            try {
                runner.run();
            } finally {
                runners.remove(runner);
            }
            results.add(report(jp));
        }
        return results;
    }

    /**
     * A script with an unbounded source (a watched file; Kafka later) runs every job at once, each on
     * its own thread, until each ends or the script is stopped: a never-ending job must not starve the
     * ones after it. The first failure is rethrown once every job has stopped.
     */
    private List<JobResult> runConcurrently(List<Object> steps, RunOptions options) {
        List<JobPlan> plans = new ArrayList<>();
        for (Object step : steps) {
            if (step instanceof JobPlan jp) {
                plans.add(jp);
            } else if (!(step instanceof Declaration)) {
                out.print(step);
            }
        }
        for (JobPlan jp : plans) {
            if (jp.sink() instanceof io.velo.connector.kafka.KafkaSink topic) {
                topic.prepare(); // a later job reading the topic (a table of the run, say) finds it there from its start
            }
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (JobPlan jp : plans) {
            JobRunner runner = new JobRunner(jp, options.maxRecords(), options.untilIdleMillis(), null);
            register(runner);
            Thread t = new Thread(() -> {
                try {
                    runner.run();
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                    stop(); // one job failing stops the script, like a failure in a sequential run
                }
            }, "velo-job-" + jp.name());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
            }
        }
        runners.clear();
        List<JobResult> results = new ArrayList<>();
        for (JobPlan jp : plans) {
            results.add(report(jp));
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            if (first instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) first;
        }
        return results;
    }

    private JobResult report(JobPlan jp) {
        var m = jp.metrics();
        err.println(jp.name() + ": " + m.summary());
        if (m.unaccounted() != 0) {
            err.println(jp.name() + ": warning: " + m.unaccounted() + " input records unaccounted for (a bug: please report it)");
        }
        return new JobResult(jp.name(), m.summary(), m.recordsIn(), m.recordsOut(), m.failed());
    }

    /**
     * Makes a runner reachable by {@link #stop}. A stop that arrives while the runner is being
     * registered is not lost: either stop() finds it in the list, or it finds {@code stopped} set.
     */
    private void register(JobRunner runner) {
        runners.add(runner);
        if (stopped) {
            runner.stop();
        }
    }

    /** Stops the running job(s) cleanly (each flushes its sinks) and skips the jobs not started yet. */
    public void stop() {
        stopped = true;
        for (JobRunner r : runners) {
            r.stop();
        }
    }

    /**
     * A command-line override {@code key=value}: the highest-precedence property of every job it
     * applies to. Its position is the argument, so errors about it read {@code --set key=value: error: …}.
     */
    public static Statement.Property setting(String keyEqualsValue) {
        Pos at = Pos.argument("--set " + keyEqualsValue);
        int eq = keyEqualsValue.indexOf('=');
        if (eq < 0) {
            throw new SqlException(at, "expected key=value");
        }
        String key = keyEqualsValue.substring(0, eq).trim();
        if (key.isEmpty()) {
            throw new SqlException(at, "the property name before '=' is empty");
        }
        return new Statement.Property(at, key, at, keyEqualsValue.substring(eq + 1).trim());
    }
}
