package io.velo.batch;

import io.velo.types.Schema;

/**
 * A columnar batch of records plus the system columns every record carries. A batch belongs to the
 * {@link BatchPool} it came from; whoever acquired it releases it once the downstream call that
 * received it has returned (operators never keep a batch they were handed: they copy what they keep —
 * unless its owner marked it {@link #retainable}, when one may {@link #retain} it and release it later).
 *
 * <p>{@code sel}/{@code selCount}: the rows still live after filters (a selection vector), so a
 * filter never moves data; {@code sel == null} means all {@code size} rows.
 */
public final class RecordBatch {
    public final Schema schema;
    public Column[] columns;
    public int capacity;
    public int size;

    public long[] timestamp;
    public long[] eventTime;
    public Object[] key;
    public int[] partition;
    /** Kafka offset, or the 1-based line number for file sources. */
    public long[] offset;
    /** The original record text or bytes, kept for error reports and the dead-letter queue. */
    public Object[] raw;
    /**
     * Each record's headers in the form its source keeps them (a Kafka source: the consumer's
     * {@code Headers}), read through {@link #headerReader}; null for records without headers (files,
     * aggregation results).
     */
    public Object[] headers;
    /** How to read {@link #headers}; set by a source that stores headers, null otherwise. */
    public HeaderReader headerReader;
    /**
     * Changelog rows of an aggregation: true marks a retraction (a tombstone: the group left the
     * result). Null (no row deleted) outside EMIT CHANGES aggregations that can retract.
     */
    public boolean[] deleted;
    /** The result group a changelog row belongs to (set by the aggregation, read by the change gate). */
    public long[] group;
    /** Where the records came from (a file path or topic); used in error positions. */
    public String sourceName;
    /**
     * Whether the records came from a partitioned log (Kafka): positions are then
     * {@code sourceName/partition@offset} and dead letters keep the key ({@code key}) too.
     */
    public boolean partitioned;

    public int[] sel;
    public int selCount;

    /**
     * The watermark signal of a windowed aggregation, set by whoever assigned it upstream (see
     * {@link io.velo.exec.WindowAssigner}) when the rows are spread over workers: each live row's window
     * time and the watermark in effect after it (by row), and the watermark and largest event time
     * after the whole batch. Null when the aggregation assigns them itself.
     */
    public long[] windowTimes;
    public long[] watermarks;
    public long watermark = Long.MIN_VALUE;
    public long maxEventTime = Long.MIN_VALUE;

    /**
     * Where a parallel stage's rows came from, so their outputs can be put back in one thread's order:
     * {@link #seqBase} numbers the input batch (a row's position in the stream is {@code seqBase + row});
     * an aggregation's result rows carry {@link #orderMajor} (the window's start, or 0) and {@link #order}
     * (the stream position of its group's first row, or of the row whose change it is), by which the
     * workers' outputs are merged. {@link #ordered} says whether the two arrays hold this batch's rows.
     */
    public long seqBase;
    public long[] order;
    public long[] orderMajor;
    public boolean ordered;

    final BatchPool pool;
    /** Back in (or dropped by) its pool; guarded by the pool's lock. */
    boolean released;
    /**
     * Set by an owner that releases this batch once its push returns and changes nothing in it before
     * the last release: an operator may then {@link #retain} it beyond its push (a parallel stage hands
     * whole batches to its workers). Cleared when the batch goes back to its pool.
     */
    public boolean retainable;
    /** Holds taken by {@link #retain} and not yet given back (all on the thread that pushes the batch). */
    private int holds;

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
        this.headers = new Object[capacity];
    }

    /**
     * Gives this batch the changelog columns ({@link #deleted}, {@link #group}); only batches that carry
     * an aggregation's changelog need them, so other batches do not pay for them.
     */
    public void ensureChangeColumns() {
        if (deleted == null) {
            deleted = new boolean[capacity];
            group = new long[capacity];
        }
    }

    /** Gives this batch the merge-order columns ({@link #order}, {@link #orderMajor}) and marks them valid. */
    public void ensureOrder() {
        if (order == null || order.length < capacity) {
            order = new long[capacity];
            orderMajor = new long[capacity];
        }
        ordered = true;
    }

    /** Whether row {@code row} is a retraction. */
    public boolean isDeleted(int row) {
        return deleted != null && deleted[row];
    }

    private RecordBatch(Schema schema) {
        this.schema = schema;
        this.pool = null;
        this.columns = new Column[schema.size()];
    }

    /**
     * A batch that owns no arrays: {@link #showColumns} points it at another batch's columns, so a
     * projection that only picks columns passes data on without copying. Valid only while the batch it
     * shows is.
     */
    public static RecordBatch view(Schema schema) {
        return new RecordBatch(schema);
    }

    /** Makes this view show columns {@code columnMap} of {@code from}, with its rows and selection. */
    public void showColumns(RecordBatch from, int[] columnMap) {
        for (int c = 0; c < columnMap.length; c++) {
            columns[c] = from.columns[columnMap[c]];
        }
        showRows(from);
    }

    /**
     * Makes this view show the rows of {@code from}: its size, selection, system columns and source;
     * the caller points {@link #columns} at the data (the input's columns, or vectors computed for it).
     */
    public void showRows(RecordBatch from) {
        capacity = from.capacity;
        size = from.size;
        sel = from.sel;
        selCount = from.selCount;
        timestamp = from.timestamp;
        eventTime = from.eventTime;
        key = from.key;
        partition = from.partition;
        offset = from.offset;
        raw = from.raw;
        headers = from.headers;
        headerReader = from.headerReader;
        deleted = from.deleted;
        group = from.group;
        windowTimes = from.windowTimes;
        watermarks = from.watermarks;
        watermark = from.watermark;
        maxEventTime = from.maxEventTime;
        seqBase = from.seqBase;
        order = from.order;
        orderMajor = from.orderMajor;
        ordered = from.ordered;
        sourceName = from.sourceName;
        partitioned = from.partitioned;
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
        headers[toRow] = from.headers[fromRow];
        if (from.headerReader != null) {
            headerReader = from.headerReader;
        }
    }

    /** Gathers the system columns of rows {@code rows[0..n)} (or 0..n-1) of {@code from} into rows 0..n-1. */
    public void gatherSystemColumns(RecordBatch from, int[] rows, int n) {
        if (from.ordered) {
            ensureOrder();
            for (int i = 0; i < n; i++) {
                int r = rows == null ? i : rows[i];
                order[i] = from.order[r];
                orderMajor[i] = from.orderMajor[r];
            }
        } else {
            ordered = false;
        }
        if (rows == null) {
            System.arraycopy(from.timestamp, 0, timestamp, 0, n);
            System.arraycopy(from.eventTime, 0, eventTime, 0, n);
            System.arraycopy(from.key, 0, key, 0, n);
            System.arraycopy(from.partition, 0, partition, 0, n);
            System.arraycopy(from.offset, 0, offset, 0, n);
            System.arraycopy(from.raw, 0, raw, 0, n);
            System.arraycopy(from.headers, 0, headers, 0, n);
            headerReader = from.headerReader;
            return;
        }
        headerReader = from.headerReader;
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            timestamp[i] = from.timestamp[r];
            eventTime[i] = from.eventTime[r];
            key[i] = from.key[r];
            partition[i] = from.partition[r];
            offset[i] = from.offset[r];
            raw[i] = from.raw[r];
            headers[i] = from.headers[r];
        }
    }

    public void reset() {
        for (Column c : columns) {
            c.clear(size);
        }
        java.util.Arrays.fill(key, 0, size, null);
        java.util.Arrays.fill(raw, 0, size, null);
        java.util.Arrays.fill(headers, 0, size, null);
        headerReader = null;
        if (deleted != null) {
            java.util.Arrays.fill(deleted, 0, size, false);
        }
        size = 0;
        sel = null;
        selCount = 0;
        windowTimes = null;
        watermarks = null;
        ordered = false;
        seqBase = 0;
        sourceName = null;
        partitioned = false;
        retainable = false;
    }

    /**
     * Destroys a released batch for good (poisoning mode): the arrays a stale reference reaches through
     * the batch are gone, and values still seen through a view of its columns are poison — a string,
     * decimal or array read from it fails its cast, numbers read as {@code 0xBAD…}.
     */
    void poison() {
        for (Column c : columns) {
            c.poison(capacity);
        }
        java.util.Arrays.fill(key, RELEASED);
        java.util.Arrays.fill(raw, RELEASED);
        java.util.Arrays.fill(headers, RELEASED);
        java.util.Arrays.fill(timestamp, POISON_LONG);
        java.util.Arrays.fill(eventTime, POISON_LONG);
        java.util.Arrays.fill(offset, POISON_LONG);
        java.util.Arrays.fill(partition, -1);
        columns = null;
        timestamp = null;
        eventTime = null;
        key = null;
        partition = null;
        offset = null;
        raw = null;
        headers = null;
        headerReader = null;
        sel = null;
        sourceName = "<released batch>";
    }

    static final long POISON_LONG = 0xBADBADBADBADL;

    /** What a poisoned batch holds where a value was: it is no String, BigDecimal or List, so a use fails its cast. */
    static final Object RELEASED = new Object() {
        @Override
        public String toString() {
            throw new IllegalStateException("a value of a released batch was used");
        }
    };

    /**
     * Keeps a {@link #retainable} batch beyond the push that received it: its next {@link #release}
     * gives the hold back instead of returning it to the pool. Called and released on the pushing thread.
     */
    public void retain() {
        if (!retainable) {
            throw new IllegalStateException("this batch's owner may change it once push returns: it cannot be retained");
        }
        holds++;
    }

    /** Returns this batch to its pool (or drops it when it was allocated without one); a retained batch gives back one hold. */
    public void release() {
        if (holds > 0) {
            holds--;
            return;
        }
        if (pool != null) {
            pool.release(this);
        }
    }
}
