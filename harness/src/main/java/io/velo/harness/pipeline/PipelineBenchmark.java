package io.velo.harness.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.exec.Operator;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code velo bench pipelines}: for each query kind, generated batches go straight into the compiled
 * query and a counting sink (no Kafka, no codec), and a hand-written reference ({@link HandWritten})
 * computes the same answer on the same data.
 *
 * <p>Method. Each kind runs in its own fresh JVM (as JMH forks: profiles of different queries must not
 * merge into one JIT state), unless {@code inProcess}. In that JVM the full answers — rows and an
 * order-independent checksum over every output column, plus late and failed counts — are computed
 * outside any timed section and compared. Then warm-up runs and measured runs alternate the reference
 * and the engine (so both see the same machine load); each timed section ends in the same cheap fold
 * (rows and one long per output row), which must match the full answer's. Reported per kind: median,
 * minimum and maximum records/s of the measured runs on the wall clock, records per CPU-second of the
 * measuring thread (steadier on a shared machine), bytes allocated per record, and the ratio
 * engine/reference. A disagreement anywhere makes the kind unverified: a fast wrong answer is no result.
 */
public final class PipelineBenchmark {
    /** The line prefix a forked JVM writes its result after. */
    static final String RESULT_MARKER = "velo-pipeline-result ";
    static final long SEED = 42;

    private final int records;
    private final int batchSize;
    private final int warmups;
    private final int repetitions;
    private final boolean sabotage;
    private final PrintStream log;
    private final PrintStream planLog;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * @param sabotage run each kind's deliberately wrong SQL on the engine side (the self-check that a
     *                 wrong answer is caught)
     */
    public PipelineBenchmark(int records, int batchSize, int warmups, int repetitions, boolean sabotage, PrintStream log) {
        this(records, batchSize, warmups, repetitions, sabotage, log, log);
    }

    private PipelineBenchmark(int records, int batchSize, int warmups, int repetitions, boolean sabotage,
                              PrintStream log, PrintStream planLog) {
        this.records = records;
        this.batchSize = batchSize;
        this.warmups = warmups;
        this.repetitions = repetitions;
        this.sabotage = sabotage;
        this.log = log;
        this.planLog = planLog;
    }

    // ---------------------------------------------------------------- orchestration

    /** Each kind in its own JVM (or all in this one); prints a line per kind; returns the contract JSON. */
    public ObjectNode run(List<PipelineKind> kinds, boolean inProcess) {
        log.printf("bench pipelines: %,d records, batch %,d, %d warm-up + %d measured runs per side, %s%s%n",
                records, batchSize, warmups, repetitions, inProcess ? "all kinds in this JVM" : "each kind in a fresh JVM",
                sabotage ? " — SABOTAGED: the engine runs deliberately wrong SQL" : "");
        Instant started = Instant.now();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode byKind = root.putObject("kinds");
        TradeData data = inProcess ? new TradeData(records, SEED) : null;
        for (PipelineKind k : kinds) {
            ObjectNode r = inProcess ? measure(k, data) : fork(k);
            byKind.set(k.id, r);
            log.println(summaryLine(k.id, r));
        }
        root.put("records", records);
        root.put("batch_size", batchSize);
        root.put("warmups", warmups);
        root.put("repetitions", repetitions);
        root.put("forked", !inProcess);
        if (sabotage) {
            root.put("sabotaged", true);
        }
        root.put("started_at", started.toString());
        root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.set("jvm_args", MAPPER.valueToTree(childJvmArgs()));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("cpu", cpuModel());
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return root;
    }

    /** The CPU model as Linux names it (part of the machine class); "unknown" elsewhere. */
    public static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static boolean allVerified(JsonNode root) {
        for (JsonNode k : root.get("kinds")) {
            if (!k.path("verified").asBoolean(false)) {
                return false;
            }
        }
        return true;
    }

    public static void write(JsonNode root, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Runs one kind in a child JVM with this JVM's class path and options; its last stdout line is the result. */
    private ObjectNode fork(PipelineKind kind) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(childJvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PipelineFork.class.getName());
        cmd.addAll(List.of(kind.id, Integer.toString(records), Integer.toString(batchSize), Integer.toString(warmups),
                Integer.toString(repetitions), Boolean.toString(sabotage)));
        String result = null;
        int exit;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(RESULT_MARKER)) {
                        result = line.substring(RESULT_MARKER.length());
                    } else {
                        log.println(line);
                    }
                }
            }
            exit = p.waitFor();
        } catch (IOException e) {
            return failed(kind, "could not start a JVM for the kind: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(kind, "interrupted");
        }
        if (result == null || exit != 0) {
            return failed(kind, "the kind's JVM exited with code " + exit + (result == null ? " and no result" : ""));
        }
        try {
            return (ObjectNode) MAPPER.readTree(result);
        } catch (IOException e) {
            return failed(kind, "unreadable result from the kind's JVM: " + e.getMessage());
        }
    }

    /**
     * The options this JVM was started with (heap, GC, -D…), as JMH gives its forks, minus debugger and
     * agent options, which a child must not inherit.
     */
    public static List<String> childJvmArgs() {
        List<String> args = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!(a.startsWith("-agentlib") || a.startsWith("-agentpath") || a.startsWith("-javaagent")
                    || a.startsWith("-Xdebug") || a.startsWith("-Xrunjdwp"))) {
                args.add(a);
            }
        }
        return args;
    }

    static ObjectNode failed(PipelineKind kind, String problem) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("verified", false);
        r.putArray("problems").add(problem);
        r.put("sql", kind.sql);
        return r;
    }

    // ---------------------------------------------------------------- one kind, in this JVM

    /** One timed run: wall and thread-CPU nanoseconds, bytes allocated by the thread, and what it produced. */
    private record Sample(long wallNanos, long cpuNanos, long allocatedBytes, Answer answer) { }

    /** Measures one kind in this JVM and returns its contract object. */
    public ObjectNode measure(PipelineKind kind, TradeData data) {
        Set<String> problems = new LinkedHashSet<>();
        String sql = sabotage ? kind.wrongSql : kind.sql;
        boolean direct = kind.hasDirectArrayCeiling();

        // the full answers, outside any timed section
        Answer expected = reference(kind, data, true, false).answer();
        Answer engine = engine(kind, sql, data, true).answer();
        if (!engine.sameFull(expected)) {
            problems.add("the engine's answer (" + engine + ") differs from the reference's (" + expected + ")");
        }
        if (direct) {
            Answer ceiling = reference(kind, data, true, true).answer();
            if (!ceiling.sameFull(expected)) {
                problems.add("the direct-array loop's answer (" + ceiling + ") differs from the reference's (" + expected + ")");
            }
        }

        double[][] handRuns = new double[3][repetitions];
        double[][] engineRuns = new double[3][repetitions];
        double[][] directRuns = new double[3][repetitions];
        for (int i = 0; i < warmups + repetitions; i++) {
            int m = i - warmups;
            Sample h = reference(kind, data, false, false);
            check(h, expected, "a timed reference run", problems);
            record(h, handRuns, m, data.size);
            Sample e = engine(kind, sql, data, false);
            check(e, engine, "a timed engine run", problems);
            record(e, engineRuns, m, data.size);
            if (direct) {
                Sample c = reference(kind, data, false, true);
                check(c, expected, "a timed direct-array run", problems);
                record(c, directRuns, m, data.size);
            }
        }

        ObjectNode r = MAPPER.createObjectNode();
        double rps = median(engineRuns[0]);
        double handRps = median(handRuns[0]);
        rates(r, "", engineRuns);
        rates(r, "handwritten_", handRuns);
        r.put("ratio", round(rps / handRps, 4));
        r.put("cpu_ratio", round(median(engineRuns[1]) / median(handRuns[1]), 4));
        if (direct) {
            rates(r, "direct_array_", directRuns);
            r.put("direct_array_ratio", round(rps / median(directRuns[0]), 4));
        }
        r.put("rows", engine.rows);
        r.put("checksum", engine.checksum);
        r.put("late", engine.late);
        r.put("failed", engine.failed);
        r.put("handwritten_rows", expected.rows);
        r.put("handwritten_checksum", expected.checksum);
        r.put("verified", problems.isEmpty());
        if (!problems.isEmpty()) {
            ArrayNode p = r.putArray("problems");
            problems.forEach(p::add);
        }
        r.put("sql", sql);
        ObjectNode samples = r.putObject("samples");
        samples.set("rps", rounded(engineRuns[0]));
        samples.set("cpu_rps", rounded(engineRuns[1]));
        samples.set("handwritten_rps", rounded(handRuns[0]));
        samples.set("handwritten_cpu_rps", rounded(handRuns[1]));
        return r;
    }

    private static void check(Sample s, Answer full, String what, Set<String> problems) {
        if (!s.answer().sameFold(full)) {
            problems.add(what + " produced " + s.answer().rows + " rows, fold " + s.answer().fold + " instead of "
                    + full.rows + " rows, fold " + full.fold);
        }
    }

    /** Measured runs only: runs[0] wall rate, runs[1] CPU rate, runs[2] bytes per record. */
    private static void record(Sample s, double[][] runs, int m, int records) {
        if (m < 0) {
            return;
        }
        runs[0][m] = records / (Math.max(1, s.wallNanos()) / 1e9);
        runs[1][m] = records / (Math.max(1, s.cpuNanos()) / 1e9);
        runs[2][m] = s.allocatedBytes() / (double) records;
    }

    private static void rates(ObjectNode r, String prefix, double[][] runs) {
        r.put(prefix + "rps", round(median(runs[0]), 1));
        r.put(prefix + "rps_min", round(Arrays.stream(runs[0]).min().orElse(0), 1));
        r.put(prefix + "rps_max", round(Arrays.stream(runs[0]).max().orElse(0), 1));
        r.put(prefix + "cpu_rps", round(median(runs[1]), 1));
        r.put(prefix + "alloc_bytes_per_record", round(median(runs[2]), 3));
    }

    private Sample reference(PipelineKind kind, TradeData data, boolean full, boolean directArray) {
        Answer a = new Answer();
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        if (directArray) {
            kind.directArray(data, a, full);
        } else {
            kind.handwritten(data, a, full);
        }
        long t1 = System.nanoTime();
        long a1 = threads.getCurrentThreadAllocatedBytes();
        long c1 = threads.getCurrentThreadCpuTime();
        return new Sample(t1 - t0, c1 - c0, a1 - a0, a);
    }

    /** One engine run: planning and the first batch outside the timed section, then every record through the query. */
    private Sample engine(PipelineKind kind, String sql, TradeData data, boolean full) {
        CountingSink sink = new CountingSink(kind.foldColumn, full);
        JobPlan plan = new Planner(new Catalog(), Path.of("."), planLog, planLog).planInMemory(sql, "trades", TradeData.SCHEMA, sink);
        Operator pipeline = plan.pipeline();
        BatchPool pool = data.pool(batchSize);
        pool.acquire().release();
        final int n = data.size;
        final int size = batchSize;
        long c0 = threads.getCurrentThreadCpuTime();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += size) {
            RecordBatch b = pool.acquire();
            data.fill(b, from, Math.min(size, n - from));
            pipeline.push(b);
            b.release();
        }
        pipeline.finish();
        long t1 = System.nanoTime();
        long a1 = threads.getCurrentThreadAllocatedBytes();
        long c1 = threads.getCurrentThreadCpuTime();
        Answer a = new Answer();
        sink.answerInto(a);
        a.late = plan.metrics().late();
        a.failed = plan.metrics().failed();
        return new Sample(t1 - t0, c1 - c0, a1 - a0, a);
    }

    // ---------------------------------------------------------------- figures

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static ArrayNode rounded(double[] v) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double x : v) {
            a.add(round(x, 1));
        }
        return a;
    }

    static String summaryLine(String kind, JsonNode r) {
        StringBuilder sb = new StringBuilder(String.format("%-16s", kind));
        if (r.has("rps")) {
            sb.append(String.format("engine %s rec/s [%s..%s] cpu %s/s %6.1f B/rec | hand-written %s rec/s [%s..%s] cpu %s/s | ratio %.3f (cpu %.3f)",
                    mega(r.get("rps")), mega(r.get("rps_min")), mega(r.get("rps_max")), mega(r.get("cpu_rps")),
                    r.get("alloc_bytes_per_record").asDouble(), mega(r.get("handwritten_rps")), mega(r.get("handwritten_rps_min")),
                    mega(r.get("handwritten_rps_max")), mega(r.get("handwritten_cpu_rps")), r.get("ratio").asDouble(),
                    r.get("cpu_ratio").asDouble()));
            if (r.has("direct_array_rps")) {
                sb.append(String.format(" | direct array %s rec/s", mega(r.get("direct_array_rps"))));
            }
            sb.append(String.format(" | %,d rows", r.get("rows").asLong()));
        }
        sb.append(r.path("verified").asBoolean(false) ? "  verified" : "  NOT VERIFIED");
        for (JsonNode p : r.path("problems")) {
            sb.append(System.lineSeparator()).append("                 ").append(p.asText());
        }
        return sb.toString();
    }

    private static String mega(JsonNode v) {
        return String.format("%7.1fM", v.asDouble() / 1e6);
    }
}
