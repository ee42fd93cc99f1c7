package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.exec.join.LiveTable;

/**
 * At the head of a query whose subqueries read tables: before each stream batch goes on, every such
 * table takes the changes that arrived since (a Kafka table; a file table is loaded once), so a
 * subquery sees its table as it is when the batch is processed. Passes batches, ends and watermarks on
 * unchanged.
 */
public final class TableRefreshOperator implements Operator {
    private final LiveTable[] tables;
    private final Operator next;

    public TableRefreshOperator(java.util.List<LiveTable> tables, Operator next) {
        this.tables = tables.toArray(new LiveTable[0]);
        this.next = next;
    }

    @Override
    public void push(RecordBatch batch) {
        for (LiveTable t : tables) {
            t.refresh();
        }
        next.push(batch);
    }

    @Override
    public void finish() {
        for (LiveTable t : tables) {
            t.bootstrap(); // an empty stream still reads its tables (their bad rows are reported either way)
        }
        next.finish();
    }

    @Override
    public void watermark(long wm) {
        next.watermark(wm);
    }

    @Override
    public boolean done() {
        return next.done();
    }
}
