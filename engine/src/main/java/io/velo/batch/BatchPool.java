package io.velo.batch;

import io.velo.types.Schema;
import java.util.ArrayDeque;

/**
 * A pool of batches of one schema (synchronized: with {@code batch.parallel} a decode thread acquires
 * and the operator thread releases; uncontended it costs a few nanoseconds per batch). Counts hits and misses so the harness can report
 * the pool hit rate (the seeds aim at 90% or more).
 */
public final class BatchPool {
    private final Schema schema;
    private final int capacity;
    private final int maxPooled;
    private final ArrayDeque<RecordBatch> free = new ArrayDeque<>();
    private long hits;
    private long misses;

    public BatchPool(Schema schema, int capacity, int maxPooled) {
        this.schema = schema;
        this.capacity = capacity;
        this.maxPooled = maxPooled;
    }

    public synchronized RecordBatch acquire() {
        RecordBatch b = free.pollFirst();
        if (b != null) {
            hits++;
            return b;
        }
        misses++;
        return new RecordBatch(schema, capacity, this);
    }

    synchronized void release(RecordBatch b) {
        b.reset();
        if (free.size() < maxPooled) {
            free.addFirst(b);
        }
    }

    public Schema schema() {
        return schema;
    }

    public int batchCapacity() {
        return capacity;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
