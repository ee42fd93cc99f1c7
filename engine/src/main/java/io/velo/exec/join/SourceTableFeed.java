package io.velo.exec.join;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Source;
import io.velo.exec.TwoInputOperator;
import io.velo.failure.FailureHandler;
import io.velo.failure.JobFailedException;
import java.util.function.BooleanSupplier;

/**
 * A table read from a source: a bounded one (a file) is read to its end at bootstrap and closed; an
 * unbounded one is read until {@code caughtUp} says it reached where its input ended when it opened
 * (a topic's end offsets; for a watched file, until a poll finds nothing), then polled for changes at
 * each refresh. Records that fail to decode go to the table's own failure handler, counted in the
 * table's metrics; a FailBatch failure there stops the job.
 */
public final class SourceTableFeed implements TableFeed {
    private final Source source;
    private final BatchPool pool;
    private final BooleanSupplier caughtUp;
    private final FailureHandler failures;
    private boolean open;

    /** @param caughtUp for an unbounded source, whether it has read what its input held when it opened; null otherwise */
    /** After this long without a refresh (the stream was quiet) a refresh reads the table up to the topic's end as of now. */
    static final long QUIET_NANOS = 100_000_000L;

    private final Runnable markEnd;
    private long lastRefresh = System.nanoTime();

    /**
     * @param caughtUp whether an unbounded table has read to the end it waits for (null: when a poll brings nothing)
     * @param markEnd makes the topic's current end the one {@code caughtUp} waits for (null: none)
     */
    public SourceTableFeed(Source source, BatchPool pool, BooleanSupplier caughtUp, Runnable markEnd, FailureHandler failures) {
        this.source = source;
        this.pool = pool;
        this.caughtUp = caughtUp;
        this.markEnd = markEnd;
        this.failures = failures;
    }

    @Override
    public void bootstrap(TwoInputOperator join) {
        source.open();
        open = true;
        while (true) {
            long polled = pollOnce(join);
            if (polled < 0) {
                break;
            }
            if (!source.bounded() && (caughtUp != null ? caughtUp.getAsBoolean() : polled == 0)) {
                break;
            }
        }
        if (source.bounded()) {
            join.finish(TwoInputOperator.RIGHT);
            close();
        }
    }

    @Override
    public void refresh(TwoInputOperator join) {
        if (!open) {
            return;
        }
        long now = System.nanoTime();
        boolean quiet = now - lastRefresh >= QUIET_NANOS;
        lastRefresh = now;
        if (quiet && markEnd != null && caughtUp != null) {
            // the stream was quiet, and so was this consumer: the next stream row must see every change sent meanwhile
            markEnd.run();
            while (!caughtUp.getAsBoolean()) {
                pollOnce(join);
            }
            lastRefresh = System.nanoTime();
            return;
        }
        pollOnce(join);
    }

    /** One poll of the table's source into the join: the rows it brought, or -1 when the source has ended. */
    private long pollOnce(TwoInputOperator join) {
        RecordBatch b = pool.acquire();
        try {
            boolean more = source.poll(b);
            int added = b.size;
            push(join, b);
            return more ? added : -1;
        } finally {
            b.release();
        }
    }

    private void push(TwoInputOperator join, RecordBatch b) {
        failIfBatchFailed();
        if (b.size > 0) {
            join.push(TwoInputOperator.RIGHT, b);
            failIfBatchFailed(); // a table row without its key
        }
    }

    private void failIfBatchFailed() {
        String failure = failures.batchFailure();
        if (failure != null) {
            throw new JobFailedException("table '" + source.name() + "': " + failure);
        }
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            source.close();
        }
    }
}
