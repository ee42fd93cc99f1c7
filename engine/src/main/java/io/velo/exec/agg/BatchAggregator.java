package io.velo.exec.agg;

import io.velo.batch.Column;

/**
 * An aggregate that can take a whole column of a batch for one group at once (global aggregates:
 * no GROUP BY, no window, EMIT FINAL). {@link #canAddColumn} is asked of every aggregate of a query
 * before any {@link #addColumn}, so a batch is either taken whole by all of them or row by row.
 */
public interface BatchAggregator {
    /** @param column the argument column, or null for COUNT(*) */
    boolean canAddColumn(Column column, int[] sel, int n);

    void addColumn(int group, Column column, int[] sel, int n);
}
