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
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code velo bench pipelines}: for each query kind, generated records go straight into the compiled
 * query and a counting sink (no Kafka, no codec), and a hand-written reference ({@link HandWritten})
 * computes the same answer on the same data.
 *
 * <p>Method. Each kind runs in its own fresh JVM (as JMH forks: profiles of different queries must not
 * merge into one JIT state), unless {@code inProcess}; {@link #compareModes} runs every kind both ways
 * and reports, per kind, the engine's in-process rate over its forked rate and whether the two agree
 * within {@link #MODES_TOLERANCE} (a long-running server is many query shapes in one JVM). In the
 * kind's JVM both sides start from the data already in memory in their own layout: the reference reads
 * {@link TradeData}'s arrays, the engine is pushed batches built once from them before anything is
 * timed ({@link TradeData#batches}: every batch of the run, reused by every run). What building
 * batches costs — acquiring a pooled batch, copying the arrays into it and releasing it, as a source
 * would — is timed apart in the same runs and reported as {@code fill_rps}, so that the engine's rate
 * is not blurred by copying the reference does not do, and a reader still sees the cost.
 *
 * <p>The full answers — rows and an order-independent checksum over every output column, plus late
 * and failed counts — are computed outside any timed section and compared. Then warm-up runs and
 * measured runs alternate the reference, the engine and the fill (so all see the same machine load);
 * each timed section ends in the same cheap fold (rows and one long per output row), which must match
 * the full answer's — this also shows any run that changed the shared input batches. Reported per
 * kind: median, minimum and maximum records/s of the measured runs on the wall clock, records per
 * CPU-second of the measuring thread (steadier on a shared machine), bytes allocated per record, and
 * the ratio engine/reference. A disagreement anywhere makes the kind unverified: a fast wrong answer
 * is no result.
 *
 * <p>Retained state (stateful kinds: the group_by kinds and tumbling). A held run stops once all its
 * records are in and before it emits (the engine before {@code finish()}, the reference before its
 * emit loop); the heap settled by {@code System.gc()} (repeated until two readings agree) at that point,
 * minus the same reading taken just before the pair of held runs (with the data and batches already
 * allocated), is the run's state. The first {@link #STATE_MEASUREMENTS} warm-ups of such a kind are
 * held runs (the same code, untimed, so they warm up as well; held runs are added after the measured
 * runs when there are fewer warm-ups), and the median of the {@link #STATE_MEASUREMENTS} per side is
 * reported as {@code state_bytes} and {@code handwritten_state_bytes}, and per group (output row) as
 * {@code state_bytes_per_key} for the group_by kinds. It is what the heap holds, so under G1 an array
 * larger than half a region counts the whole regions it occupies. The engine's figure is all the
 * compiled query retains: its groups and also its fixed buffers (output batches, plan), which dominate
 * when the groups are few. No GC call is inside a timed section.
 *
 * <p>One thread drives each side today. The engine side is metered through {@link Meter}, which also
 * counts a set of threads (allocation summed over their ids, CPU as the process's CPU time), so an
 * engine side driven by several workers can later be measured the same way.
 */
public final class PipelineBenchmark {
    /** The line prefix a forked JVM writes its result after. */
    static final String RESULT_MARKER = "velo-pipeline-result ";
    static final long SEED = 42;
    /** How far the engine's in-process rate may be from its forked rate and still agree: |in/forked - 1|. */
    public static final double MODES_TOLERANCE = 0.20;
    /** Held runs per side whose retained state is measured; the median is reported. */
    static final int STATE_MEASUREMENTS = 3;

    /** Records per run for every kind; 0 for each kind's default ({@link PipelineKind#defaultRecords}). */
    private final int records;
    private final int batchSize;
    private final int warmups;
    private final int repetitions;
    private final boolean sabotage;
    private final PrintStream log;
    private final PrintStream planLog;

    /**
     * @param sabotage run each kind's deliberately wrong SQL on the engine side (the self-check that a
     *                 wrong answer is caught)
     */
    /** @param records records per run for every kind, or 0 for each kind's default */
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

    /** Worker threads of the engine side ({@code --threads}); 1 measures one thread. */
    private int threads = 1;

    /** Drives the engine side with {@code n} worker threads ('parallelism'), beside a one-thread engine run in the same run. */
    public PipelineBenchmark threads(int n) {
        this.threads = n;
        return this;
    }

    // ---------------------------------------------------------------- orchestration

    /** Each kind in its own JVM (or all in this one); prints a line per kind; returns the contract JSON. */
    public ObjectNode run(List<PipelineKind> kinds, boolean inProcess) {
        Instant started = Instant.now();
        ObjectNode root = MAPPER.createObjectNode();
        root.set("kinds", runKinds(kinds, inProcess));
        describe(root, started, !inProcess);
        return root;
    }

    /**
     * Every kind forked, then every kind in this one JVM: the contract's {@code kinds} are the forked
     * results, each with {@code in_process_rps}, {@code in_process_ratio} (in-process / forked engine
     * rate) and {@code modes_agree}; {@code in_process} holds the in-process results in full and
     * {@code compare_modes} the comparison per kind (also on records per CPU-second: {@code cpu_ratio},
     * {@code cpu_agree}). A disagreement is reported, not failed: it is a figure, not a wrong answer.
     */
    public ObjectNode compareModes(List<PipelineKind> kinds) {
        Instant started = Instant.now();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode forked = runKinds(kinds, false);
        ObjectNode inProcess = runKinds(kinds, true);
        root.set("kinds", forked);
        root.set("in_process", inProcess);
        ObjectNode cmp = root.putObject("compare_modes");
        boolean all = true;
        log.println("one JVM vs forked (engine rec/s, in-process / forked; agree within " + Math.round(MODES_TOLERANCE * 100) + "%):");
        for (PipelineKind k : kinds) {
            ObjectNode f = (ObjectNode) forked.get(k.id);
            JsonNode i = inProcess.get(k.id);
            double fr = f.path("rps").asDouble(0);
            double ir = i.path("rps").asDouble(0);
            double ratio = fr > 0 ? ir / fr : 0;
            boolean agree = fr > 0 && ir > 0 && Math.abs(ratio - 1) <= MODES_TOLERANCE;
            double fc = f.path("cpu_rps").asDouble(0);
            double ic = i.path("cpu_rps").asDouble(0);
            double cpuRatio = fc > 0 ? ic / fc : 0;
            all &= agree;
            ObjectNode c = cmp.putObject(k.id);
            c.put("forked_rps", round(fr, 1));
            c.put("in_process_rps", round(ir, 1));
            c.put("ratio", round(ratio, 4));
            c.put("agree", agree);
            // the same on records per CPU-second, which a busy machine disturbs less than the wall clock
            c.put("forked_cpu_rps", round(fc, 1));
            c.put("in_process_cpu_rps", round(ic, 1));
            c.put("cpu_ratio", round(cpuRatio, 4));
            c.put("cpu_agree", fc > 0 && ic > 0 && Math.abs(cpuRatio - 1) <= MODES_TOLERANCE);
            f.put("in_process_rps", round(ir, 1));
            f.put("in_process_ratio", round(ratio, 4));
            f.put("modes_agree", agree);
            log.printf("%-17s forked %s rec/s, in one JVM %s rec/s, ratio %.3f (cpu %.3f) %s%n", k.id, mega(f.path("rps")),
                    mega(i.path("rps")), ratio, cpuRatio, agree ? "agree" : "DISAGREE");
        }
        root.put("modes_agree", all);
        root.put("modes_tolerance", MODES_TOLERANCE);
        describe(root, started, true);
        root.put("compare_modes_run", true);
        return root;
    }

    /** The kinds' results by id, each kind forked or all in this JVM, a summary line each. */
    private ObjectNode runKinds(List<PipelineKind> kinds, boolean inProcess) {
        log.printf("bench pipelines: %s, batch %,d, %d warm-up + %d measured runs per side, %s%s%n",
                recordsText(kinds), batchSize, warmups, repetitions, inProcess ? "all kinds in this JVM" : "each kind in a fresh JVM",
                sabotage ? " — SABOTAGED: the engine runs deliberately wrong SQL" : "");
        ObjectNode byKind = MAPPER.createObjectNode();
        // in this JVM: one data set per shape and size, dropped once no later kind needs it
        Map<String, TradeData> data = new HashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            PipelineKind k = kinds.get(i);
            ObjectNode r;
            if (inProcess) {
                Set<String> needed = new HashSet<>();
                for (PipelineKind later : kinds.subList(i, kinds.size())) {
                    needed.add(dataKey(later));
                }
                data.keySet().retainAll(needed);
                TradeData d = data.computeIfAbsent(dataKey(k), x -> new TradeData(recordsFor(k), SEED, k.keyed()));
                r = measure(k, d);
            } else {
                r = fork(k);
            }
            byKind.set(k.id, r);
            log.println(summaryLine(k.id, r));
        }
        return byKind;
    }

    /** Records per run of {@code kind}: the given count, or the kind's default. */
    int recordsFor(PipelineKind kind) {
        return records > 0 ? records : kind.defaultRecords();
    }

    private String dataKey(PipelineKind k) {
        return k.keyed() + ":" + recordsFor(k);
    }

    private String recordsText(List<PipelineKind> kinds) {
        StringBuilder sb = new StringBuilder(String.format("%,d records", records > 0 ? records : PipelineKind.DEFAULT_RECORDS));
        for (PipelineKind k : kinds) {
            if (recordsFor(k) != (records > 0 ? records : PipelineKind.DEFAULT_RECORDS)) {
                sb.append(String.format(" (%s: %,d)", k.id, recordsFor(k)));
            }
        }
        return sb.toString();
    }

    private void describe(ObjectNode root, Instant started, boolean forked) {
        root.put("records", records > 0 ? records : PipelineKind.DEFAULT_RECORDS);
        root.put("batch_size", batchSize);
        root.put("warmups", warmups);
        root.put("repetitions", repetitions);
        root.put("threads", threads);
        root.put("forked", forked);
        if (sabotage) {
            root.put("sabotaged", true);
        }
        root.put("started_at", started.toString());
        root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.set("jvm_args", MAPPER.valueToTree(childJvmArgs()));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("cpu", cpuModel());
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
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

    /** Whether every kind is verified (in both modes after {@link #compareModes}). */
    public static boolean allVerified(JsonNode root) {
        for (String part : new String[] {"kinds", "in_process"}) {
            for (JsonNode k : root.path(part)) {
                if (!k.path("verified").asBoolean(false)) {
                    return false;
                }
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
        cmd.addAll(List.of(kind.id, Integer.toString(recordsFor(kind)), Integer.toString(batchSize), Integer.toString(warmups),
                Integer.toString(repetitions), Boolean.toString(sabotage), Integer.toString(threads)));
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

    /** One timed run: wall and CPU nanoseconds, bytes allocated, and what it produced (null for a fill). */
    private record Sample(long wallNanos, long cpuNanos, long allocatedBytes, Answer answer) {
        static Sample of(Meter m, Answer a) {
            return new Sample(m.wallNanos, m.cpuNanos, m.allocatedBytes, a);
        }
    }

    /** Measures one kind in this JVM and returns its contract object. */
    public ObjectNode measure(PipelineKind kind, TradeData data) {
        if (kind.keyed() && !data.keyed) {
            throw new IllegalArgumentException(kind.id + " needs the keyed shape of the trades");
        }
        if (kind != currentKind) {
            currentKind = kind;
            tableDdl = null;
        }
        Set<String> problems = new LinkedHashSet<>();
        String sql = sabotage ? kind.wrongSql : kind.sql;
        boolean direct = kind.hasDirectArrayCeiling();
        RecordBatch[] batches = data.batches(batchSize);

        // the full answers, outside any timed section
        Answer expected = reference(kind, data, true, false).answer();
        Answer engine = engine(sql, kind, data, batches, true).answer();
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
        double[][] fillRuns = new double[3][repetitions];
        double[][] oneRuns = new double[3][repetitions];
        double[] utilisation = new double[repetitions];
        long[][] state = kind.stateful() ? new long[2][STATE_MEASUREMENTS] : null;
        int held = 0;
        for (int i = 0; i < warmups + repetitions; i++) {
            int m = i - warmups;
            if (m < 0 && state != null && held < STATE_MEASUREMENTS) {
                // a warm-up of a stateful kind doubles as a held run (same code, untimed)
                heldRuns(kind, sql, data, batches, engine, expected, problems, state, held++);
                if (direct) {
                    check(reference(kind, data, false, true), expected, "a direct-array warm-up run", problems);
                }
                fill(data);
                continue;
            }
            Sample h = reference(kind, data, false, false);
            check(h, expected, "a timed reference run", problems);
            record(h, handRuns, m, data.size);
            Sample e = engine(sql, kind, data, batches, false);
            check(e, engine, "a timed engine run", problems);
            record(e, engineRuns, m, data.size);
            if (threads > 1) {
                if (m >= 0) {
                    utilisation[m] = e.cpuNanos() / (double) Math.max(1, e.wallNanos()) / threads;
                }
                Sample one = engine(sql, kind, data, batches, false, 1);
                check(one, engine, "a timed one-thread engine run", problems);
                record(one, oneRuns, m, data.size);
            }
            if (direct) {
                Sample c = reference(kind, data, false, true);
                check(c, expected, "a timed direct-array run", problems);
                record(c, directRuns, m, data.size);
            }
            record(fill(data), fillRuns, m, data.size);
        }
        while (state != null && held < STATE_MEASUREMENTS) {
            heldRuns(kind, sql, data, batches, engine, expected, problems, state, held++);
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
        if (threads > 1) {
            r.put("threads", threads);
            r.put("one_thread_rps", round(median(oneRuns[0]), 1));
            r.put("one_thread_cpu_rps", round(median(oneRuns[1]), 1));
            r.put("scaling", round(rps / median(oneRuns[0]), 4));
            r.put("cpu_utilisation", round(median(utilisation), 4));
        }
        r.put("fill_rps", round(median(fillRuns[0]), 1));
        r.put("fill_cpu_rps", round(median(fillRuns[1]), 1));
        r.put("records", data.size);
        r.put("rows", engine.rows);
        r.put("checksum", engine.checksum);
        r.put("late", engine.late);
        r.put("failed", engine.failed);
        r.put("handwritten_rows", expected.rows);
        r.put("handwritten_checksum", expected.checksum);
        if (state != null) {
            putState(r, "", state[0], kind.statePerKey() ? engine.rows : 0);
            putState(r, "handwritten_", state[1], kind.statePerKey() ? expected.rows : 0);
        }
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
        samples.set("fill_rps", rounded(fillRuns[0]));
        if (threads > 1) {
            samples.set("one_thread_rps", rounded(oneRuns[0]));
        }
        if (state != null) {
            samples.set("state_bytes", MAPPER.valueToTree(state[0]));
            samples.set("handwritten_state_bytes", MAPPER.valueToTree(state[1]));
        }
        return r;
    }

    private static void putState(ObjectNode r, String prefix, long[] samples, long keys) {
        long median = medianOf(samples);
        if (median < 0) {
            r.put(prefix + "state_note", "not measured: System.gc() ran no collection (explicit GC disabled?)");
            return;
        }
        r.put(prefix + "state_bytes", median);
        if (keys > 0) {
            r.put(prefix + "state_keys", keys);
            r.put(prefix + "state_bytes_per_key", round(median / (double) keys, 2));
        }
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
        Meter m = Meter.currentThread();
        m.start();
        if (directArray) {
            kind.directArray(data, a, full);
        } else {
            kind.handwritten(data, a, full, null);
        }
        m.stop();
        return Sample.of(m, a);
    }

    /** One engine run: planning outside the timed section, then every prebuilt batch through the query. */
    private Sample engine(String sql, PipelineKind kind, TradeData data, RecordBatch[] batches, boolean full) {
        return engine(sql, kind, data, batches, full, threads);
    }

    /**
     * One engine run on {@code workers} threads. With several, the meter counts the worker threads too:
     * allocation summed over their ids up to the last batch (they end with the stage), CPU as the process's.
     */
    private Sample engine(String sql, PipelineKind kind, TradeData data, RecordBatch[] batches, boolean full, int workers) {
        CountingSink sink = new CountingSink(kind.foldColumn, full);
        JobPlan plan = plan(sql, data, sink, workers);
        Operator pipeline = plan.pipeline();
        Meter m = Meter.currentThread();
        if (workers > 1 && pipeline instanceof io.velo.exec.ParallelOperator p) {
            p.startWorkers();
            long[] ids = p.workerThreadIds();
            long[] all = java.util.Arrays.copyOf(ids, ids.length + 1);
            all[ids.length] = Thread.currentThread().getId();
            m = Meter.threads(all);
        }
        RecordBatch[] right = kind.twoStreams() ? data.fillBatches(batchSize) : null;
        int[] order = kind.twoStreams() ? mergeOrder(batches, right) : null;
        m.start();
        if (right != null) {
            pushTwo((io.velo.exec.TwoInputOperator) pipeline, batches, right, order);
        } else {
            push(pipeline, batches);
        }
        m.allocationEndsHere();
        pipeline.finish();
        m.stop();
        return Sample.of(m, engineAnswer(sink, plan));
    }

    private JobPlan plan(String sql, TradeData data, CountingSink sink) {
        return plan(sql, data, sink, threads);
    }

    private JobPlan plan(String sql, TradeData data, CountingSink sink, int workers) {
        Planner planner = new Planner(new Catalog(), Path.of("."), planLog, planLog);
        String ddl = tableDdl();
        if (ddl != null) {
            planner.declare((io.velo.sql.ast.Statement.CreateSource) io.velo.sql.parser.Parser.parseScript(ddl).get(0)); // the join kinds' table, loaded when the query is planned
        }
        if (currentKind != null && currentKind.twoStreams()) {
            return planner.planInMemoryJoin(sql, "trades", data.schema(), "fills", TradeData.FILL_SCHEMA, sink);
        }
        return planner.planInMemory(sql, "trades", data.schema(), sink, workers);
    }

    private String tableDdl;
    private PipelineKind currentKind;
    private Path tableDir;

    /** The current kind's table declaration (its file written once per run), or null. */
    private String tableDdl() {
        if (tableDdl == null && currentKind != null) {
            try {
                if (tableDir == null) {
                    tableDir = java.nio.file.Files.createTempDirectory("velo-bench-tables");
                    tableDir.toFile().deleteOnExit();
                }
                tableDdl = currentKind.tableDdl(tableDir);
                if (tableDdl != null) {
                    java.nio.file.Files.list(tableDir).forEach(f -> f.toFile().deleteOnExit());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write the table of " + currentKind.id, e);
            }
        }
        return tableDdl;
    }

    /**
     * The engine side's timed loop: every batch of the run into the query, on the calling thread. (An
     * engine driven by N threads would hand these batches to its workers here and meter their ids.)
     */
    /**
     * The order in which a two-stream kind's batches go in, decided untimed: by their first row's
     * event time, ties to the left — as a source merging two time-ordered inputs would hand them over.
     * Entries are batch indexes, the right stream's offset by the left's count.
     */
    private static int[] mergeOrder(RecordBatch[] left, RecordBatch[] right) {
        int[] order = new int[left.length + right.length];
        int lt = left.length == 0 ? 0 : left[0].schema.indexOf("ts");
        int rt = right.length == 0 ? 0 : right[0].schema.indexOf("fts");
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < left.length || j < right.length) {
            if (j == right.length || (i < left.length && left[i].columns[lt].longs[0] <= right[j].columns[rt].longs[0])) {
                order[k++] = i++;
            } else {
                order[k++] = left.length + j++;
            }
        }
        return order;
    }

    private static void pushTwo(io.velo.exec.TwoInputOperator join, RecordBatch[] left, RecordBatch[] right, int[] order) {
        for (int o : order) {
            if (o < left.length) {
                join.push(io.velo.exec.TwoInputOperator.LEFT, left[o]);
            } else {
                join.push(io.velo.exec.TwoInputOperator.RIGHT, right[o - left.length]);
            }
        }
    }

    private static void push(Operator pipeline, RecordBatch[] batches) {
        for (RecordBatch b : batches) {
            pipeline.push(b);
        }
    }

    private static Answer engineAnswer(CountingSink sink, JobPlan plan) {
        Answer a = new Answer();
        sink.answerInto(a);
        a.late = plan.metrics().late();
        a.failed = plan.metrics().failed();
        return a;
    }

    /**
     * What building batches costs, timed apart: every record through a small pool — acquire, copy the
     * arrays in, release (which resets the batch) — as a source fills batches. The timed engine runs do
     * not pay it, since their batches were built once.
     */
    private Sample fill(TradeData data) {
        BatchPool pool = data.pool(batchSize);
        pool.acquire().release();
        final int n = data.size;
        final int size = batchSize;
        Meter m = Meter.currentThread();
        m.start();
        for (int from = 0; from < n; from += size) {
            RecordBatch b = pool.acquire();
            data.fill(b, from, Math.min(size, n - from));
            b.release();
        }
        m.stop();
        return Sample.of(m, null);
    }

    // ---------------------------------------------------------------- retained state

    /**
     * One held run per side, their retained state into {@code state[0][i]} (engine) and
     * {@code state[1][i]} (reference), in bytes over the heap settled just before (-1 where no
     * collection could be forced). Each held run's answer is checked too.
     */
    private void heldRuns(PipelineKind kind, String sql, TradeData data, RecordBatch[] batches, Answer engine,
                          Answer expected, Set<String> problems, long[][] state, int i) {
        long before = settledHeap();
        long e = engineHeld(kind, sql, data, batches, engine, problems);
        long r = referenceHeld(kind, data, expected, problems);
        state[0][i] = before < 0 || e < 0 ? -1 : e - before;
        state[1][i] = before < 0 || r < 0 ? -1 : r - before;
    }

    /** The settled heap while an engine run holds all its input, before {@code finish()}. */
    private long engineHeld(PipelineKind kind, String sql, TradeData data, RecordBatch[] batches, Answer full,
                            Set<String> problems) {
        CountingSink sink = new CountingSink(kind.foldColumn, false);
        JobPlan plan = plan(sql, data, sink);
        Operator pipeline = plan.pipeline();
        push(pipeline, batches);
        long held = settledHeap();
        pipeline.finish();
        Reference.reachabilityFence(pipeline);
        Answer a = engineAnswer(sink, plan);
        if (!a.sameFold(full)) {
            problems.add("a held engine run produced " + a + " instead of " + full);
        }
        return held;
    }

    /** The settled heap while a reference run holds all its input, before it emits. */
    private long referenceHeld(PipelineKind kind, TradeData data, Answer full, Set<String> problems) {
        long[] held = {-1};
        Answer a = new Answer();
        kind.handwritten(data, a, false, () -> held[0] = settledHeap());
        if (!a.sameFold(full)) {
            problems.add("a held reference run produced " + a + " instead of " + full);
        }
        return held[0];
    }

    /**
     * The heap in use after a forced collection, repeated until two readings agree within 1 KiB (at most
     * eight): the sum over heap pools of their usage just after the last collection, so what this thread
     * allocates after it (the readings themselves) is not counted. -1 when System.gc() collects nothing.
     */
    static long settledHeap() {
        long previous = -1;
        long reading = -1;
        for (int i = 0; i < 8; i++) {
            long collections = collections();
            System.gc();
            if (collections() == collections) {
                return -1;
            }
            reading = heapAfterLastCollection();
            if (previous >= 0 && Math.abs(reading - previous) <= 1024) {
                return Math.min(reading, previous);
            }
            previous = reading;
        }
        return reading;
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long heapAfterLastCollection() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage u = pool.getCollectionUsage();
                used += (u != null ? u : pool.getUsage()).getUsed();
            }
        }
        return used;
    }

    // ---------------------------------------------------------------- figures

    private static long medianOf(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[0] < 0 ? -1 : s[s.length / 2];
    }

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
        StringBuilder sb = new StringBuilder(String.format("%-18s", kind));
        if (r.has("rps")) {
            sb.append(String.format("engine %s rec/s [%s..%s] cpu %s/s %6.1f B/rec | hand-written %s rec/s [%s..%s] cpu %s/s | ratio %.3f (cpu %.3f)",
                    mega(r.get("rps")), mega(r.get("rps_min")), mega(r.get("rps_max")), mega(r.get("cpu_rps")),
                    r.get("alloc_bytes_per_record").asDouble(), mega(r.get("handwritten_rps")), mega(r.get("handwritten_rps_min")),
                    mega(r.get("handwritten_rps_max")), mega(r.get("handwritten_cpu_rps")), r.get("ratio").asDouble(),
                    r.get("cpu_ratio").asDouble()));
            if (r.has("scaling")) {
                sb.append(String.format(" | %d threads: %.2fx one thread (%s rec/s), CPU %.0f%%", r.get("threads").asInt(),
                        r.get("scaling").asDouble(), mega(r.get("one_thread_rps")), 100 * r.get("cpu_utilisation").asDouble()));
            }
            if (r.has("direct_array_rps")) {
                sb.append(String.format(" | direct array %s rec/s", mega(r.get("direct_array_rps"))));
            }
            sb.append(String.format(" | fill %s rec/s", mega(r.path("fill_rps"))));
            if (r.has("state_bytes") && r.has("handwritten_state_bytes")) {
                sb.append(String.format(" | state %s", bytes(r.get("state_bytes").asLong())));
                if (r.has("state_bytes_per_key")) {
                    sb.append(String.format(" (%.1f B/key)", r.get("state_bytes_per_key").asDouble()));
                }
                sb.append(String.format(" vs %s", bytes(r.get("handwritten_state_bytes").asLong())));
                if (r.has("handwritten_state_bytes_per_key")) {
                    sb.append(String.format(" (%.1f B/key)", r.get("handwritten_state_bytes_per_key").asDouble()));
                }
            }
            sb.append(String.format(" | %,d rows", r.get("rows").asLong()));
        }
        sb.append(r.path("verified").asBoolean(false) ? "  verified" : "  NOT VERIFIED");
        for (JsonNode p : r.path("problems")) {
            sb.append(System.lineSeparator()).append("                  ").append(p.asText());
        }
        return sb.toString();
    }

    private static String bytes(long b) {
        return b >= 10L << 20 ? String.format("%.1f MiB", b / 1048576.0) : String.format("%.1f KiB", b / 1024.0);
    }

    private static String mega(JsonNode v) {
        return String.format("%7.1fM", v.asDouble() / 1e6);
    }
}
