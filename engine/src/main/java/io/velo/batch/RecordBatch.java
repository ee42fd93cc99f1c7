package io.velo.batch;

import io.velo.types.Schema;

/**
 * A columnar batch of records plus the system columns every record carries. A batch belongs to the
 * {@link BatchPool} it came from; whoever acquired it releases it once the downstream call that
 * received it has returned (operators never keep a batch they were handed: they copy what they keep).
 *
 * <p>{@code sel}/{@code selCount}: the rows still live after filters (a selection vector), so a
 * filter never moves data; {@code sel == null} means all {@code size} rows.
 */
public final class RecordBatch {
    public final Schema schema;
    public final Column[] columns;
    public final int capacity;
    public int size;

    public final long[] timestamp;
    public final long[] eventTime;
    public final Object[] key;
    public final int[] partition;
    /** Kafka offset, or the 1-based line number for file sources. */
    public final long[] offset;
    /** The original record text or bytes, kept for error reports and the dead-letter queue. */
    public final Object[] raw;
    /** Where the records came from (a file path or topic); used in error positions. */
    public String sourceName;

    public int[] sel;
    public int selCount;

    final BatchPool pool;

    public RecordBatch(Schema schema, int capacity, BatchPool pool) {
        this.schema = schema;
        this.capacity = capacity;
        this.pool = pool;
        this.columns = new Column[schema.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column(schema.field(i).type(), capacity);
        }
        this.timestamp = new long[capacity];
        this.eventTime = new long[capacity];
        this.key = new Object[capacity];
        this.partition = new int[capacity];
        this.offset = new long[capacity];
        this.raw = new Object[capacity];
    }

    public Column column(int i) {
        return columns[i];
    }

    public boolean isFull() {
        return size == capacity;
    }

    /** Number of live rows (after filters). */
    public int liveCount() {
        return sel == null ? size : selCount;
    }

    /** The i-th live row index. */
    public int liveRow(int i) {
        return sel == null ? i : sel[i];
    }

    public void copySystemColumns(RecordBatch from, int fromRow, int toRow) {
        timestamp[toRow] = from.timestamp[fromRow];
        eventTime[toRow] = from.eventTime[fromRow];
        key[toRow] = from.key[fromRow];
        partition[toRow] = from.partition[fromRow];
        offset[toRow] = from.offset[fromRow];
        raw[toRow] = from.raw[fromRow];
    }

    public void reset() {
        for (Column c : columns) {
            c.clear(size);
        }
        java.util.Arrays.fill(key, 0, size, null);
        java.util.Arrays.fill(raw, 0, size, null);
        size = 0;
        sel = null;
        selCount = 0;
        sourceName = null;
    }

    /** Returns this batch to its pool (or drops it when it was allocated without one). */
    public void release() {
        if (pool != null) {
            pool.release(this);
        }
    }
}
