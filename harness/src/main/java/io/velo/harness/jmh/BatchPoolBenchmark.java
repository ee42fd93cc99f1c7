package io.velo.harness.jmh;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.harness.pipeline.TradeData;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Record batch pooling: one batch of the trade schema ({@link TradeData#SCHEMA}, six columns) taken
 * from a {@link BatchPool}, filled with {@link #capacity} generated trades and released (which resets
 * it: object references are dropped so the pool keeps no strings alive), against allocating a fresh
 * batch for every fill — what the engine would do without the pool. Figures: ns per batch; with
 * {@code -prof gc} the B/op shows what the pool saves (the fresh batch's arrays, ~50 bytes per row).
 * {@code acquireRelease} is the pool's own cost with no fill. Poisoning is off, as in production
 * (the test suite turns it on for every other pool).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchPoolBenchmark {
    @Param({"1024"})
    int capacity;

    TradeData data;
    BatchPool pool;

    @Setup
    public void setup() {
        data = new TradeData(capacity, 3);
        pool = new BatchPool(TradeData.SCHEMA, capacity, 4, false);
    }

    @Benchmark
    public void pooled(Blackhole bh) {
        RecordBatch b = pool.acquire();
        data.fill(b, 0, capacity);
        bh.consume(b);
        b.release();
    }

    @Benchmark
    public RecordBatch fresh() {
        RecordBatch b = new RecordBatch(TradeData.SCHEMA, capacity, null);
        data.fill(b, 0, capacity);
        return b;
    }

    @Benchmark
    public void acquireRelease(Blackhole bh) {
        RecordBatch b = pool.acquire();
        bh.consume(b);
        b.release();
    }
}
