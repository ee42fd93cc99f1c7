package io.velo.connector.spi;

import io.velo.batch.RecordBatch;
import io.velo.types.Schema;

/**
 * Produces records into batches. A bounded source (files) ends; an unbounded one (Kafka, watched
 * files) runs until the job stops it. Records that cannot be decoded go to the failure handler the
 * source was opened with and never enter a batch.
 */
public interface Source extends AutoCloseable {
    String name();

    Schema schema();

    boolean bounded();

    void open();

    /**
     * Appends records to {@code batch} (starting at its current size) until the batch strategy's
     * limits are reached or no input is available right now. Returns false once a bounded source is
     * exhausted and nothing was added.
     */
    boolean poll(RecordBatch batch);

    /** Fraction of a bounded input read so far (0..1), or -1 when unknown: feeds the ETA. */
    default double progress() {
        return -1;
    }

    /**
     * Caps the rows a batch is filled to below the strategy's maximum (adaptive batching): a poll stops
     * adding once the batch holds {@code n} rows (the runner polls into an empty batch, so this is the
     * records per poll).
     */
    default void limitRecords(int n) {
    }

    /**
     * Reads at most {@code records} records in all, counting the ones that fail to decode
     * ({@code --max-records}): the job then reads exactly that many, whatever the batch size.
     * Once they are read, {@link #poll} returns false.
     */
    default void limitTotal(long records) {
    }

    /**
     * Puts into {@code batch} rows this source has read but not handed out yet, without reading more
     * (a source that merges two inputs by time holds some back); false when it holds none. The runner
     * takes them before a transactional commit, whose positions cover every row read.
     */
    default boolean pollHeld(RecordBatch batch) {
        return false;
    }

    /**
     * The job is ending because its input has been idle: the next poll may deliver what the source
     * held back waiting for more (a watched file's last line without its newline). Returns whether
     * there may be such a record, so that one more poll is worth making.
     */
    default boolean releaseHeldBack() {
        return false;
    }

    /**
     * Whether records are known to be waiting to be read (a Kafka partition's lag as of the last
     * fetch): a job ending on idle input waits on while this holds, since its quiet spell was the
     * job's own (a slow commit, a fetch under load), not the input's.
     */
    default boolean behind() {
        return false;
    }

    /**
     * Commits the positions of every record handed to a batch so far (Kafka offsets). The runner calls
     * it only after the sink has flushed those records' results (at-least-once); a file has nothing to commit.
     */
    default void commit() {
    }

    /**
     * The positions after every record handed to a batch since the last commit, for a transactional
     * sink to commit inside its transaction; null when the source has none (files). The runner calls
     * {@link #committed} once the transaction holding them has committed.
     */
    default SourcePositions positions() {
        return null;
    }

    /** The positions last returned by {@link #positions} are committed (inside the sink's transaction). */
    default void committed() {
    }

    /**
     * Registers what the source runs before it gives up some of its input to another instance (a
     * consumer-group rebalance): the runner commits what has been processed so far, so the next owner
     * starts exactly after it. Records read but not yet in a batch for the input given up are dropped
     * (the next owner reads them).
     */
    default void onHandOver(Runnable commitNow) {
    }

    /**
     * The job keeps state that is not split by input partition (an aggregation): the source must be
     * the only reader of its input in its group, and refuses to open beside another instance
     * ({@code why} says what it keeps). Called before {@link #open}.
     */
    default void readAlone(String why) {
    }

    /**
     * Goes back to the positions of the last commit (a replay after a sink failure): the records
     * handed out since then are read again, and count again towards {@link #limitTotal}. Returns false
     * when the source cannot (a file has nothing committed to go back to).
     */
    default boolean rewind() {
        return false;
    }

    /** Nanoseconds spent waiting for input (a Kafka consumer's poll), or -1 where the source does not time it. */
    default long waitNanos() {
        return -1;
    }

    /** Nanoseconds spent decoding input into batches, or -1 where the source does not time it. */
    default long decodeNanos() {
        return -1;
    }

    /**
     * Whether {@link #poll} itself pushes batches into the operators (the second input of a
     * stream–stream join, read beside the first): it must then be polled on the operator thread, so
     * the runner reads it without a decode thread.
     */
    default boolean feedsOperators() {
        return false;
    }

    @Override
    void close();

    /** A one-line description for plans. */
    String describe();
}
