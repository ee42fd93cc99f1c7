package io.velo.exec.join;

import io.velo.exec.TwoInputOperator;

/**
 * Where a joined table's changes come from: its current contents first ({@link #bootstrap}), then,
 * for a table that keeps changing (a Kafka topic), the changes since ({@link #refresh}). Both push
 * batches of table rows into the join's {@link TwoInputOperator#RIGHT} side.
 */
public interface TableFeed extends AutoCloseable {
    /** Pushes the table's whole current contents (a file read to its end, a topic to its end offsets) into {@code join}. */
    void bootstrap(TwoInputOperator join);

    /** Pushes the changes that have arrived since, without waiting for any; nothing for a table that does not change. */
    void refresh(TwoInputOperator join);

    @Override
    void close();
}
