package io.velo.harness.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.api.Engine;
import io.velo.batch.RecordBatch;
import io.velo.exec.Operator;
import io.velo.harness.measure.ProcessCounters;
import io.velo.plan.JobPlan;
import io.velo.runtime.JobRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main class of the JVM forked for one side of {@code bench kafka}: {@code raw|engine CONFIG-JSON}.
 * The result goes to stdout as one JSON line after {@link KafkaBenchmark#RESULT_MARKER}.
 *
 * <p>Why a JVM of its own per side: the broker (in the parent) allocates far more than either side,
 * and its threads cannot be told apart from a client's with certainty; in a process that holds only
 * the side under test, the sum over all of its threads is honest — the job thread and the Kafka
 * clients' network and heartbeat threads included — and JIT state does not carry from one side to the
 * other. The engine side runs the job as {@code velo run --max-records N} does ({@link Engine#planScript}
 * and a {@link JobRunner} with that limit), so that it can time the run and count its allocation.
 */
public final class PipeFork {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PipeFork() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode config = MAPPER.readTree(args[1]);
        ObjectNode result;
        try {
            result = args[0].equals("raw") ? raw(config) : engine(config);
        } catch (RuntimeException | OutOfMemoryError e) {
            result = MAPPER.createObjectNode();
            result.put("error", args[0] + " side failed: " + e);
        }
        System.out.println(KafkaBenchmark.RESULT_MARKER + MAPPER.writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }

    private static ObjectNode raw(JsonNode config) {
        ProcessCounters counters = new ProcessCounters();
        RawPipe.Outcome o = RawPipe.run(config.get("bootstrap").asText(), config.get("in").asText(), config.get("out").asText(),
                config.get("group").asText(), strings(config.get("consumer")), strings(config.get("producer")),
                config.get("records").asLong(), new RawPipe.Clock() {
                    @Override
                    public void first() {
                        counters.start();
                    }

                    @Override
                    public void last() {
                        counters.stop();
                    }
                }, config.get("progress").asBoolean() ? System.err : null);
        ObjectNode r = measured(o.lastAckNanos() - o.firstRecordNanos(), counters);
        r.put("records_in", o.forwarded());
        r.put("records_out", o.forwarded());
        return r;
    }

    private static ObjectNode engine(JsonNode config) {
        ProcessCounters counters = new ProcessCounters();
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), System.err).kafka(config.get("bootstrap").asText());
        JobPlan job = null;
        for (Object step : engine.planScript(config.get("sql").asText(), Path.of(".").toAbsolutePath(), List.of())) {
            if (step instanceof JobPlan jp) {
                job = jp;
            }
        }
        if (job == null) {
            throw new IllegalStateException("the benchmark's SQL has no job");
        }
        Timed timed = new Timed(job.pipeline(), counters, config.path("warmup_records").asLong(0));
        JobPlan measured = job.withPipeline(timed);
        new JobRunner(measured, config.get("records").asLong(), 0, config.get("progress").asBoolean() ? System.err : null).run();
        boolean finished = timed.last != 0;
        if (timed.first != 0 && !finished) {
            // a Kafka→Kafka aggregation keeps its open windows in its changelog and never calls finish(): its end is
            // the runner's return, after its last commit flushed the sink (and the clients closed)
            timed.last = System.nanoTime();
            counters.stop();
        }
        if (timed.first == 0 || timed.last == 0) {
            throw new IllegalStateException(timed.seen == 0 ? "the job read no records"
                    : "the job read " + timed.seen + " records, not more than its warm-up of " + timed.warmup);
        }
        var m = job.metrics();
        ObjectNode r = measured(timed.last - timed.first, counters);
        r.put("records_in", m.recordsIn());
        r.put("records_out", m.recordsOut());
        r.put("filtered", m.filtered());
        r.put("failed", m.failed());
        r.put("unaccounted", m.unaccounted());
        r.put("batches", m.batches());
        r.put("summary", m.summary());
        r.put("measured_records", timed.seen - timed.seenAtFirst);
        r.put("end", finished ? "finish" : "run_returned");
        r.put("startup_ms", timed.firstWallMillis - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        return r;
    }

    private static ObjectNode measured(long nanos, ProcessCounters counters) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("elapsed_nanos", nanos);
        r.put("alloc_bytes", counters.allocatedBytes());
        r.put("cpu_nanos", counters.cpuNanos());
        return r;
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    /**
     * Wraps the job's operator chain to time it: from the first batch pushed (the first poll's records
     * decoded — one batch of at most {@code max.poll.records} that the timed section leaves out, a
     * fraction of a percent of a run) to the end of {@code finish()}, which returns once the sink's
     * producer has every record acknowledged (the raw pipe's end too). With a warm-up of W records,
     * the clock starts instead at the first batch pushed after W records went through (the JIT has seen
     * the path by then), and {@code seen - seenAtFirst} records are measured.
     */
    private static final class Timed implements Operator {
        private final Operator inner;
        private final ProcessCounters counters;
        final long warmup;
        long first;
        long last;
        /** Records pushed so far, and when the clock started. */
        long seen;
        long seenAtFirst;
        /** Wall-clock time of the first record pushed (start-up ends there). */
        long firstWallMillis;

        Timed(Operator inner, ProcessCounters counters, long warmup) {
            this.inner = inner;
            this.counters = counters;
            this.warmup = warmup;
        }

        @Override
        public void push(RecordBatch batch) {
            if (seen == 0) {
                firstWallMillis = System.currentTimeMillis();
            }
            if (first == 0 && seen >= warmup) {
                first = System.nanoTime();
                seenAtFirst = seen;
                counters.start();
            }
            seen += batch.size;
            inner.push(batch);
        }

        @Override
        public void finish() {
            inner.finish();
            if (first != 0) {
                last = System.nanoTime();
                counters.stop();
            }
        }

        @Override
        public boolean done() {
            return inner.done();
        }
    }
}
