package io.velo.exec.join;

import io.velo.batch.RecordBatch;
import io.velo.exec.RowErrors;
import io.velo.exec.TwoInputOperator;

/**
 * A keyed table read by subqueries: its current row per key ({@link TableState}), loaded from its
 * feed before the first stream row ({@link #bootstrap}) and, for a table that keeps changing (a Kafka
 * topic), refreshed between stream batches at most {@link #REFRESH_NANOS} apart ({@link #refresh}).
 * {@link #version} counts the batches of changes applied, so a result computed from the whole table
 * (an uncorrelated subquery's) knows when to compute it again. Its feed pushes the changes into side
 * {@link #RIGHT}; it has no stream side. One thread.
 */
public final class LiveTable implements TwoInputOperator, TableInput {
    /** The longest a stream batch waits behind a table refresh (as a join's). */
    static final long REFRESH_NANOS = 10_000_000L;

    private final String name;
    private final TableState state;
    private final int deletedColumn;
    private final RowErrors errors;
    private final TableFeed feed;
    private long version;
    private boolean bootstrapped;
    private boolean closed;
    private long lastRefresh;

    /**
     * @param deletedColumn the {@code _deleted} column of the table's rows, or -1
     * @param errors        table rows without a key
     * @param feed          the table's changes, or null when the caller pushes them to {@link #RIGHT}
     */
    public LiveTable(String name, TableState state, int deletedColumn, RowErrors errors, TableFeed feed) {
        this.name = name;
        this.state = state;
        this.deletedColumn = deletedColumn;
        this.errors = errors;
        this.feed = feed;
    }

    public String name() {
        return name;
    }

    public TableState state() {
        return state;
    }

    /** Changes applied so far: a result of the whole table is still valid while it stays the same. */
    public long version() {
        return version;
    }

    @Override
    public void bootstrap() {
        if (!bootstrapped) {
            bootstrapped = true;
            if (feed != null) {
                feed.bootstrap(this);
                lastRefresh = System.nanoTime();
            }
        }
    }

    /** Between stream batches: loads the table first if nothing did yet, then takes the changes since, when a refresh is due. */
    public void refresh() {
        bootstrap();
        if (feed != null) {
            long now = System.nanoTime();
            if (now - lastRefresh >= REFRESH_NANOS) {
                feed.refresh(this);
                lastRefresh = System.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (feed != null) {
                feed.close();
            }
        }
    }

    @Override
    public void push(int side, RecordBatch batch) {
        if (side != RIGHT) {
            throw new IllegalArgumentException("a table read by subqueries takes changes only (side RIGHT)");
        }
        state.apply(batch, deletedColumn, errors);
        version++;
    }

    @Override
    public void finish(int side) {
    }
}
