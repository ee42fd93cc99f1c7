package io.velo.harness.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code velo bench pipelines}: for each query kind, generated batches go straight into the compiled
 * query and a counting sink (no Kafka, no codec), and a hand-written loop computes the same answer on
 * the same data. Reports records/s for both (median of the measured repetitions, after warm-up), the
 * ratio engine/hand-written, bytes allocated per record by the engine run, and whether the answers
 * agree. A disagreement makes the run fail: a fast wrong answer is no result.
 */
public final class PipelineBenchmark {
    /** One kind's figures. */
    public record Result(String kind, double rps, double allocBytesPerRecord, double handwrittenRps, double ratio,
                         boolean verified, long rows, long expectedRows) { }

    private final int records;
    private final int batchSize;
    private final int warmups;
    private final int repetitions;
    private final PrintStream log;

    public PipelineBenchmark(int records, int batchSize, int warmups, int repetitions, PrintStream log) {
        this.records = records;
        this.batchSize = batchSize;
        this.warmups = warmups;
        this.repetitions = repetitions;
        this.log = log;
    }

    public List<Result> run(List<PipelineKind> kinds) {
        TradeData data = new TradeData(records, 42);
        List<Result> out = new ArrayList<>();
        for (PipelineKind k : kinds) {
            out.add(run(k, data));
        }
        return out;
    }

    Result run(PipelineKind kind, TradeData data) {
        long[] expected = kind.handwritten(data);
        double[] handRps = new double[repetitions];
        for (int i = 0; i < warmups + repetitions; i++) {
            long t0 = System.nanoTime();
            long[] r = kind.handwritten(data);
            long t1 = System.nanoTime();
            if (r[0] != expected[0] || r[1] != expected[1]) {
                throw new IllegalStateException("hand-written loop is not deterministic");
            }
            if (i >= warmups) {
                handRps[i - warmups] = data.size / ((t1 - t0) / 1e9);
            }
        }
        double[] engineRps = new double[repetitions];
        double[] alloc = new double[repetitions];
        boolean verified = true;
        long rows = 0;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < warmups + repetitions; i++) {
            CountingSink sink = new CountingSink();
            JobPlan plan = new Planner(new Catalog(), Path.of("."), log, log).planInMemory(kind.sql, "trades", TradeData.SCHEMA, sink);
            BatchPool pool = data.pool(batchSize);
            long a0 = mx.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int from = 0; from < data.size; from += batchSize) {
                RecordBatch b = pool.acquire();
                data.fill(b, from, Math.min(batchSize, data.size - from));
                plan.pipeline().push(b);
                b.release();
            }
            plan.pipeline().finish();
            long t1 = System.nanoTime();
            long a1 = mx.getThreadAllocatedBytes(tid);
            boolean ok = sink.rows() == expected[0] && sink.checksum() == expected[1];
            verified &= ok;
            rows = sink.rows();
            if (i >= warmups) {
                engineRps[i - warmups] = data.size / ((t1 - t0) / 1e9);
                alloc[i - warmups] = (a1 - a0) / (double) data.size;
            }
        }
        double e = median(engineRps);
        double h = median(handRps);
        Result r = new Result(kind.id, e, median(alloc), h, e / h, verified, rows, expected[0]);
        log.printf("%-16s engine %,14.0f rec/s  hand-written %,14.0f rec/s  ratio %5.2f  alloc %7.1f B/rec  %s%n",
                kind.id, e, h, e / h, r.allocBytesPerRecord(), verified ? "verified" : "WRONG ANSWER (" + rows + " rows, expected " + expected[0] + ")");
        return r;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Writes the contract JSON: {"kinds": {"filter": {"rps", "alloc_bytes_per_record", "handwritten_rps", "ratio", "verified"}, …}}. */
    public static void write(List<Result> results, Path out, int records) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ObjectNode kinds = root.putObject("kinds");
        for (Result r : results) {
            ObjectNode k = kinds.putObject(r.kind());
            k.put("rps", Math.round(r.rps() * 10) / 10.0);
            k.put("alloc_bytes_per_record", Math.round(r.allocBytesPerRecord() * 100) / 100.0);
            k.put("handwritten_rps", Math.round(r.handwrittenRps() * 10) / 10.0);
            k.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
            k.put("verified", r.verified());
        }
        root.put("records", records);
        root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        m.writeValue(out.toFile(), root);
    }
}
