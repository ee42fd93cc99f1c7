package io.velo.exec.join;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Source;
import io.velo.exec.TwoInputOperator;
import io.velo.metrics.JobMetrics;
import io.velo.types.Schema;

/**
 * The two stream sources of a stream–stream join, read as one: the job's runner polls it like any
 * source and gets the left stream's rows to push into the join's {@link TwoInputOperator#LEFT} side;
 * the right stream's rows it pushes into the {@link TwoInputOperator#RIGHT} side itself, in between.
 *
 * <p>Two bounded inputs (files) are merged by event time: the next row is the left's or the right's,
 * whichever has the earlier time (ties to the left), each input read in its own order — so the join
 * sees one order of rows whatever the batch size, and its output is the same. Each side's buffer is
 * refilled before the next row is chosen, and a run handed on stops where the other side's next row
 * comes first. When either input is unbounded (a topic) there is no such order to wait for: whatever
 * either side has read goes on as it comes. A side that ends tells the join at once, so its rows stop
 * holding the other side's state back.
 *
 * <p>Since polling pushes into the operators it runs on the operator thread ({@link #feedsOperators}).
 */
public final class TwoStreamSource implements Source {
    private final Source[] sources;
    private final int[] timeColumns;
    private final TwoInputOperator join;
    private final BatchPool[] pools;
    private final JobMetrics metrics;
    private final boolean merge;
    private final RecordBatch[] buffers = new RecordBatch[2];
    private final int[] pos = new int[2];
    private final boolean[] ended = new boolean[2];
    private final RecordBatch rightView;
    private int[] sel = new int[0];

    /**
     * @param leftTime  the left rows' time column, or -1 for their event time; {@code rightTime} likewise
     * @param capacity  rows per read of each side
     */
    public TwoStreamSource(Source left, int leftTime, Source right, int rightTime, TwoInputOperator join, int capacity, JobMetrics metrics) {
        this.sources = new Source[] {left, right};
        this.timeColumns = new int[] {leftTime, rightTime};
        this.join = join;
        this.pools = new BatchPool[] {new BatchPool(left.schema(), capacity, 2), new BatchPool(right.schema(), capacity, 2)};
        this.metrics = metrics;
        this.merge = left.bounded() && right.bounded();
        this.rightView = RecordBatch.view(right.schema());
    }

    @Override
    public boolean feedsOperators() {
        return true;
    }

    @Override
    public String name() {
        return sources[0].name();
    }

    @Override
    public Schema schema() {
        return sources[0].schema();
    }

    @Override
    public boolean bounded() {
        return merge;
    }

    @Override
    public void open() {
        sources[0].open();
        try {
            sources[1].open();
        } catch (RuntimeException | Error e) {
            sources[0].close();
            throw e;
        }
    }

    @Override
    public boolean poll(RecordBatch batch) {
        while (true) {
            fill(TwoInputOperator.LEFT);
            fill(TwoInputOperator.RIGHT);
            if (!has(TwoInputOperator.LEFT) && !has(TwoInputOperator.RIGHT)) {
                return !(ended[0] && ended[1]);
            }
            if (step(batch)) {
                return true;
            }
        }
    }

    /** The rows read and not passed on yet, without reading more: the right's into the join, the left's into {@code batch}. */
    @Override
    public boolean pollHeld(RecordBatch batch) {
        while (has(TwoInputOperator.LEFT) || has(TwoInputOperator.RIGHT)) {
            if (step(batch)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Passes on the next run of rows in time order: the left's into {@code batch} (true), or the
     * right's into the join (false). One side at least has rows.
     */
    private boolean step(RecordBatch batch) {
        boolean leftHas = has(TwoInputOperator.LEFT);
        boolean rightHas = has(TwoInputOperator.RIGHT);
        int side;
        int end;
        if (leftHas && rightHas) {
            long l = time(TwoInputOperator.LEFT, pos[0]);
            long r = time(TwoInputOperator.RIGHT, pos[1]);
            side = l <= r ? TwoInputOperator.LEFT : TwoInputOperator.RIGHT;
            RecordBatch b = buffers[side];
            end = pos[side];
            if (side == TwoInputOperator.LEFT) {
                while (end < b.size && time(side, end) <= r) {
                    end++;
                }
            } else {
                while (end < b.size && time(side, end) < l) {
                    end++;
                }
            }
        } else {
            side = leftHas ? TwoInputOperator.LEFT : TwoInputOperator.RIGHT;
            end = buffers[side].size;
        }
        if (side == TwoInputOperator.LEFT) {
            copyLeft(batch, end);
            return true;
        }
        pushRight(end);
        return false;
    }

    private boolean has(int side) {
        return buffers[side] != null && pos[side] < buffers[side].size;
    }

    private long time(int side, int row) {
        RecordBatch b = buffers[side];
        int c = timeColumns[side];
        if (c < 0) {
            return b.eventTime[row];
        }
        Column col = b.columns[c];
        return col.isNull(row) ? Long.MIN_VALUE : col.longs[row]; // the join fails the row; it goes first
    }

    /** Reads the next rows of {@code side} when its buffer is used up: for a merge, until there are some or the side ends. */
    private void fill(int side) {
        if (has(side) || ended[side]) {
            return;
        }
        if (buffers[side] == null) {
            buffers[side] = pools[side].acquire();
        }
        RecordBatch b = buffers[side];
        while (true) {
            b.reset();
            pos[side] = 0;
            boolean more = sources[side].poll(b);
            if (b.size > 0) {
                return;
            }
            if (!more) {
                ended[side] = true;
                b.release();
                buffers[side] = null;
                join.finish(side);
                return;
            }
            if (!merge) {
                return; // nothing right now
            }
        }
    }

    private void copyLeft(RecordBatch out, int end) {
        RecordBatch b = buffers[0];
        int n = Math.min(end - pos[0], out.capacity - out.size);
        Column[] from = b.columns;
        for (int i = 0; i < n; i++) {
            int row = pos[0] + i;
            int to = out.size + i;
            for (int c = 0; c < from.length; c++) {
                out.columns[c].copyFrom(from[c], row, to);
            }
            out.copySystemColumns(b, row, to);
        }
        out.size += n;
        out.sourceName = b.sourceName;
        out.partitioned = b.partitioned;
        pos[0] += n;
    }

    private void pushRight(int end) {
        RecordBatch b = buffers[1];
        int n = end - pos[1];
        if (sel.length < n) {
            sel = new int[Math.max(n, b.capacity)];
        }
        for (int i = 0; i < n; i++) {
            sel[i] = pos[1] + i;
        }
        rightView.showRows(b);
        System.arraycopy(b.columns, 0, rightView.columns, 0, b.columns.length);
        rightView.sel = sel;
        rightView.selCount = n;
        pos[1] = end;
        join.push(TwoInputOperator.RIGHT, rightView);
    }

    @Override
    public double progress() {
        double l = sources[0].progress();
        double r = sources[1].progress();
        return l < 0 || r < 0 ? -1 : Math.min(l, r);
    }

    @Override
    public void limitRecords(int n) {
        sources[0].limitRecords(n);
        sources[1].limitRecords(n);
    }

    @Override
    public void limitTotal(long records) {
        sources[0].limitTotal(records);
        sources[1].limitTotal(records);
    }

    @Override
    public boolean behind() {
        return sources[0].behind() || sources[1].behind();
    }

    @Override
    public boolean releaseHeldBack() {
        boolean l = sources[0].releaseHeldBack();
        return sources[1].releaseHeldBack() || l;
    }

    @Override
    public void commit() {
        sources[0].commit();
        sources[1].commit();
    }

    @Override
    public io.velo.connector.spi.SourcePositions positions() {
        return io.velo.connector.spi.SourcePositions.of(sources);
    }

    @Override
    public void committed() {
        sources[0].committed();
        sources[1].committed();
    }

    @Override
    public void onHandOver(Runnable commitNow) {
        sources[0].onHandOver(commitNow);
        sources[1].onHandOver(commitNow);
    }

    @Override
    public void readAlone(String why) {
        sources[0].readAlone(why);
        sources[1].readAlone(why);
    }

    @Override
    public long waitNanos() {
        return sum(sources[0].waitNanos(), sources[1].waitNanos());
    }

    @Override
    public long decodeNanos() {
        return sum(sources[0].decodeNanos(), sources[1].decodeNanos());
    }

    private static long sum(long a, long b) {
        return a < 0 && b < 0 ? -1 : Math.max(0, a) + Math.max(0, b);
    }

    @Override
    public void close() {
        try {
            for (int side = 0; side < 2; side++) {
                if (has(side)) {
                    metrics.addUnprocessedAtStop(buffers[side].size - pos[side]); // read, never joined: the job stopped early
                }
                if (buffers[side] != null) {
                    buffers[side].release();
                    buffers[side] = null;
                }
            }
        } finally {
            try {
                sources[1].close();
            } finally {
                sources[0].close();
            }
        }
    }

    @Override
    public String describe() {
        return sources[0].describe();
    }
}
