package io.velo.exec;

import io.velo.batch.RecordBatch;

/**
 * A step of a compiled query. {@link #push} receives a batch that stays owned by the caller: an
 * operator may narrow its selection vector and pass it on, or copy rows into a batch it acquired from
 * its own pool, push that downstream and release it when the push returns. Nothing keeps a reference
 * to a batch after push returns — except a batch marked {@link RecordBatch#retainable}, which an
 * operator may {@link RecordBatch#retain} and release later (a parallel stage's lanes).
 *
 * <p>Besides batches, a {@link #watermark} signal can travel down the chain between them: stateless
 * operators pass it on, a windowed aggregation closes the windows it completes. An operator with two
 * inputs is a {@link TwoInputOperator}.
 */
public interface Operator {
    void push(RecordBatch batch);

    /** End of input: flush whatever state is left (close windows, emit FINAL rows, sort). */
    void finish();

    /**
     * The watermark reached {@code wm} (epoch millis) between batches: no row with an earlier event
     * time is expected any more. Stateless operators pass it on; a windowed aggregation closes (EMIT
     * FINAL: emits) every window ending at or before it, and a later row for such a window is late.
     * The default ignores it: an end of the chain, or an operator that holds rows until the input ends.
     */
    default void watermark(long wm) {
    }

    /** True when no more input is wanted (LIMIT reached). */
    default boolean done() {
        return false;
    }
}
