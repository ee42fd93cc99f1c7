package io.velo.connector.spi;

import io.velo.batch.RecordBatch;

/**
 * Consumes the live rows of batches; {@link #flush} makes everything written so far durable and visible.
 * A failed call may be retried ({@code RetryWithBackoff}) and the retry must not repeat rows: a failed
 * {@code write} has taken none of the batch's rows, and a flush (or close) after a failed one writes
 * each row not yet written exactly once.
 */
public interface Sink extends AutoCloseable {
    String name();

    void open();

    /** Takes all the live rows or, when it throws, none; returns how many. The batch stays the caller's. */
    int write(RecordBatch batch);

    void flush();

    /**
     * Whether this sink writes inside transactions ({@code 'mode' = 'transactional'}): the runner then
     * calls {@link #beginTransaction}, writes, and {@link #commitTransaction} with the source's
     * positions at each commit point, or {@link #abortTransaction} when the batch fails; nothing
     * written since the last commit becomes visible to {@code read_committed} readers until then.
     */
    default boolean transactional() {
        return false;
    }

    default void beginTransaction() {
    }

    /** Commits what was written since {@link #beginTransaction}, together with {@code positions} (may be null). */
    default void commitTransaction(SourcePositions positions) {
        flush();
    }

    /** Discards what was written since {@link #beginTransaction}. Never throws. */
    default void abortTransaction() {
    }

    /**
     * After a failed write, flush or commit ({@link io.velo.failure.SinkUnavailableException}): drops
     * whatever is pending (aborts the transaction, or replaces the client) so that the job can replay
     * from its last commit. Returns false when the sink cannot (the job then fails).
     */
    default boolean recover() {
        return false;
    }

    /** Nanoseconds spent encoding rows into messages, or -1 where the sink does not time it apart from writing. */
    default long encodeNanos() {
        return -1;
    }

    @Override
    void close();

    String describe();
}
