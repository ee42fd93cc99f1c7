package io.velo.batch;

import io.velo.types.Schema;
import java.util.ArrayDeque;

/**
 * A pool of batches of one schema (synchronized: with {@code batch.parallel} a decode thread acquires
 * and the operator thread releases; uncontended it costs a few nanoseconds per batch). Counts hits and misses so the harness can report
 * the pool hit rate (the seeds aim at 90% or more).
 *
 * <p>Releasing a batch twice is an error (two later acquires would share it). With poisoning on (the
 * system property {@code velo.batch.poison=true}, which the test suite sets, or the constructor flag)
 * a released batch is never handed out again and its contents are destroyed, so whoever still uses
 * it fails at once instead of reading another job's rows.
 */
public final class BatchPool {
    /** Poisoning for every pool, off unless asked for: it allocates a batch per acquire. */
    public static final boolean POISON_BY_DEFAULT = Boolean.getBoolean("velo.batch.poison");

    private final Schema schema;
    private final int capacity;
    private final int maxPooled;
    private final boolean poison;
    private final ArrayDeque<RecordBatch> free = new ArrayDeque<>();
    private long hits;
    private long misses;

    public BatchPool(Schema schema, int capacity, int maxPooled) {
        this(schema, capacity, maxPooled, POISON_BY_DEFAULT);
    }

    public BatchPool(Schema schema, int capacity, int maxPooled, boolean poison) {
        this.schema = schema;
        this.capacity = capacity;
        this.maxPooled = maxPooled;
        this.poison = poison;
    }

    public synchronized RecordBatch acquire() {
        RecordBatch b = free.pollFirst();
        if (b != null) {
            hits++;
            b.released = false;
            return b;
        }
        misses++;
        return new RecordBatch(schema, capacity, this);
    }

    synchronized void release(RecordBatch b) {
        if (b.released) {
            throw doubleRelease(b);
        }
        b.released = true;
        if (poison) {
            b.poison();
            return;
        }
        b.reset();
        if (free.size() < maxPooled) {
            free.addFirst(b);
        }
    }

    private IllegalStateException doubleRelease(RecordBatch b) {
        return new IllegalStateException("a batch of (" + schema + ") was released twice: it would be handed to two users");
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
