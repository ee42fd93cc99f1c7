package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.api.Engine;
import io.velo.batch.RecordBatch;
import io.velo.exec.Operator;
import io.velo.plan.JobPlan;
import io.velo.runtime.JobRunner;
import io.velo.sql.ast.Statement;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main class of the engine's JVM in a scenario run: {@code EngineFork CONFIG-JSON}. It plans the
 * scenario's SQL with the run's overrides (topics, group, strategy), runs the job until a {@code stop}
 * line arrives on stdin (or the job ends), and reports on stdout: {@code velo-engine-tick {…}} once a
 * second (records in/out, bytes allocated, CPU time, heap, GC pauses — cumulative, so that the parent
 * can cut any window out of them), then {@code velo-engine-result {…}} with the totals, the time per
 * stage and the record-pool hit rate.
 *
 * <p>The harness's injections for the gate's self-test live here, never in the engine: a
 * {@code slowdown} fraction makes the job's thread burn that fraction more of the process's CPU time
 * per batch (a slower engine, as far as any measurement can tell).
 */
public final class EngineFork {
    static final String TICK = "velo-engine-tick ";
    static final String RESULT = "velo-engine-result ";
    static final String STARTED = "velo-engine-started ";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EngineFork() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode config = MAPPER.readTree(Files.readString(Path.of(args[0])));
        JvmMeter meter = new JvmMeter();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        ObjectNode result = MAPPER.createObjectNode();
        Object profiler = null;
        try {
            Path sqlFile = Path.of(config.get("sql_file").asText());
            List<Statement.Property> overrides = new ArrayList<>();
            config.path("overrides").fields().forEachRemaining(e -> overrides.add(Engine.setting(e.getKey() + "=" + e.getValue().asText())));
            Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), System.err).kafka(config.get("bootstrap").asText());
            engine.scriptFile(sqlFile);
            JobPlan job = null;
            for (Object step : engine.planScript(Files.readString(sqlFile), sqlFile.toAbsolutePath().getParent(), overrides)) {
                if (step instanceof JobPlan jp) {
                    if (job != null) {
                        throw new IllegalStateException("a scenario's SQL must run one job; " + sqlFile + " has more");
                    }
                    job = jp;
                }
            }
            if (job == null) {
                throw new IllegalStateException(sqlFile + " has no job (CREATE STREAM … AS SELECT)");
            }
            long heapBefore = meter.heapAfterGc();
            Probe probe = new Probe(job.pipeline(), config.path("inject").path("slowdown").asDouble(0));
            JobPlan measured = job.withPipeline(probe);
            JobRunner runner = new JobRunner(measured, 0, 0, null);
            Throwable[] failure = new Throwable[1];
            Thread jobThread = new Thread(() -> {
                try {
                    runner.run();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, "velo-job");
            if (config.hasNonNull("profile_dir")) {
                profiler = io.velo.harness.profile.Profiler.start(Path.of(config.get("profile_dir").asText()));
            }
            jobThread.start();
            out.println(STARTED + MAPPER.writeValueAsString(MAPPER.createObjectNode().put("pid", ProcessHandle.current().pid())
                    .put("transactional", job.transactional())));
            Thread stdin = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.trim().equals("stop")) {
                            break;
                        }
                    }
                } catch (Exception e) {
                    // parent gone: stop as well
                }
                runner.stop();
            }, "velo-stdin");
            stdin.setDaemon(true);
            stdin.start();
            var m = job.metrics();
            long tickMillis = config.path("tick_ms").asLong(1000);
            long heapPeak = 0;
            while (jobThread.isAlive()) {
                jobThread.join(tickMillis);
                heapPeak = Math.max(heapPeak, meter.heapUsed());
                out.println(TICK + MAPPER.writeValueAsString(tick(meter, m.recordsIn(), m.recordsOut())));
            }
            heapPeak = Math.max(heapPeak, meter.heapUsed());
            ObjectNode last = tick(meter, m.recordsIn(), m.recordsOut());
            if (profiler != null) {
                result.set("profile", ((io.velo.harness.profile.Profiler) profiler).stop());
                profiler = null;
            }
            if (failure[0] != null) {
                result.put("error", "the job failed: " + failure[0]);
            }
            result.setAll(last);
            result.put("failed", m.failed());
            result.put("filtered", m.filtered());
            result.put("late", m.late());
            result.put("dead_lettered", m.deadLettered());
            result.put("batches", m.batches());
            result.put("summary", m.summary());
            result.put("pool_hits", job.sourcePool().hits());
            result.put("pool_misses", job.sourcePool().misses());
            ObjectNode stages = result.putObject("stage_nanos");
            stages.put("queue_wait", job.source().waitNanos());
            stages.put("decode", job.source().decodeNanos());
            stages.put("pipeline", m.pipelineNanos());
            stages.put("sink", m.sinkNanos());
            stages.put("encode", job.sink().encodeNanos());
            result.put("heap_peak_bytes", heapPeak);
            result.put("heap_before_bytes", heapBefore);
            result.put("heap_after_gc_bytes", config.path("measure_state").asBoolean() ? meter.heapAfterGc() : -1);
            result.put("slowdown_spun_nanos", probe.spun);
            result.put("jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        } catch (Throwable t) {
            result.put("error", t.getClass().getSimpleName() + ": " + t.getMessage());
            if (profiler != null) {
                try {
                    ((io.velo.harness.profile.Profiler) profiler).stop();
                } catch (Exception ignored) {
                    // the error above is the one to report
                }
            }
        }
        out.println(RESULT + MAPPER.writeValueAsString(result));
        out.flush();
        System.exit(0);
    }

    private static ObjectNode tick(JvmMeter meter, long in, long out) {
        ObjectNode t = MAPPER.createObjectNode();
        t.put("epoch_ms", System.currentTimeMillis());
        t.put("records_in", in);
        t.put("records_out", out);
        t.put("alloc_bytes", meter.allocatedBytes());
        t.put("cpu_ns", meter.cpuNanos());
        t.put("heap_used", meter.heapUsed());
        t.put("gc_count", meter.pauseCount());
        t.put("gc_pause_us_total", meter.pauseMicrosTotal());
        ArrayNode p = t.putArray("pauses");
        for (long[] pause : meter.drainPauses()) {
            p.addArray().add(pause[0]).add(pause[1]);
        }
        return t;
    }

    /**
     * In front of the job's operators: the self-test's slowdown. Before each batch it spins on the job's
     * thread until the process has used {@code fraction} more CPU time than its work since the last batch
     * took — so CPU time per record rises by that fraction, and throughput falls by as much when the
     * engine is the limit.
     */
    static final class Probe implements Operator {
        private final Operator inner;
        private final double fraction;
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long lastCpu = -1;
        private long lastSpin;
        long spun;
        private volatile long sink;

        Probe(Operator inner, double fraction) {
            this.inner = inner;
            this.fraction = fraction;
        }

        @Override
        public void push(RecordBatch batch) {
            if (fraction > 0) {
                spin();
            }
            inner.push(batch);
        }

        private void spin() {
            long cpu = os.getProcessCpuTime();
            if (lastCpu >= 0) {
                long work = Math.max(0, cpu - lastCpu - lastSpin);
                long target = (long) (work * fraction);
                long start = threads.getCurrentThreadCpuTime();
                long x = sink;
                while (threads.getCurrentThreadCpuTime() - start < target) {
                    for (int i = 0; i < 200; i++) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                    }
                }
                sink = x;
                lastSpin = threads.getCurrentThreadCpuTime() - start;
                spun += lastSpin;
            }
            lastCpu = os.getProcessCpuTime();
        }

        @Override
        public void finish() {
            inner.finish();
        }

        @Override
        public boolean done() {
            return inner.done();
        }
    }
}
