package io.velo.exec;

import io.velo.batch.RecordBatch;

/**
 * A step of a compiled query. {@link #push} receives a batch that stays owned by the caller: an
 * operator may narrow its selection vector and pass it on, or copy rows into a batch it acquired from
 * its own pool, push that downstream and release it when the push returns. Nothing keeps a reference
 * to a batch after push returns.
 */
public interface Operator {
    void push(RecordBatch batch);

    /** End of input: flush whatever state is left (close windows, emit FINAL rows, sort). */
    void finish();

    /** True when no more input is wanted (LIMIT reached). */
    default boolean done() {
        return false;
    }
}
