package io.velo.exec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;

/**
 * The watermark of a windowed aggregation, a record at a time in input order: for each live row of a
 * batch it reads the window time, drops (and reports) a row without one or whose tumbling window
 * the watermark has already passed (late), and for every other row records its time and the
 * watermark in effect after it (max time seen − allowed out-of-orderness). The aggregation closes
 * windows at exactly those points, so the answer never depends on how the input was batched, and
 * when the rows are spread over several workers each worker closes its windows at the same records
 * as one thread would: the watermark travels with the rows as a signal ({@link RecordBatch#watermarks}).
 * A division happens only when a row leaves the window of the row before it.
 */
public final class WindowAssigner {
    private final long size;
    private final long outOfOrderness;
    private final Eval timeColumn;
    private final boolean lateToDeadLetter;
    private final RowErrors errors;
    private final JobMetrics metrics;
    private long watermark = Long.MIN_VALUE;
    private long maxEventTime = Long.MIN_VALUE;
    private int[] rows = new int[0];
    private long[] times = new long[0];
    private long[] after = new long[0];

    public WindowAssigner(long size, long outOfOrderness, Eval timeColumn, boolean lateToDeadLetter, RowErrors errors, JobMetrics metrics) {
        this.size = size;
        this.outOfOrderness = outOfOrderness;
        this.timeColumn = timeColumn;
        this.lateToDeadLetter = lateToDeadLetter;
        this.errors = errors;
        this.metrics = metrics;
    }

    /**
     * Assigns the live rows ({@code sel}, or 0..n-1) of {@code b}: returns how many survive, written to
     * {@link #rows()}; {@link #times()} and {@link #after()} are indexed by row.
     */
    public int assign(RecordBatch b, int[] sel, int n) {
        if (rows.length < b.capacity) {
            rows = new int[b.capacity];
            times = new long[b.capacity];
            after = new long[b.capacity];
        }
        final long[] ts;
        final boolean[] nulls;
        boolean computed = false;
        if (timeColumn == null) {
            ts = b.eventTime;
            nulls = null;
        } else if (timeColumn instanceof ColumnEval ce && b.columns[ce.index].longs != null) {
            Column c = b.columns[ce.index];
            ts = c.longs;
            nulls = c.nulls;
        } else {
            ts = null;
            nulls = null;
            computed = true;
        }
        final int[] out = rows;
        final long[] tOut = times;
        final long[] aOut = after;
        long wm = watermark;
        long maxTs = maxEventTime;
        long curStart = 0;
        long curEnd = Long.MIN_VALUE;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int row = sel == null ? i : sel[i];
            long t;
            if (computed) {
                try {
                    timeColumn.eval(b, row);
                } catch (RecordError | ArithmeticException e) {
                    errors.fail(b, row, e);
                    continue;
                }
                if (timeColumn.isNull) {
                    errors.fail(b, row, new RecordError(RecordError.MALFORMED_INPUT, "window time column is NULL"));
                    continue;
                }
                t = timeColumn.l;
            } else {
                if (nulls != null && nulls[row]) {
                    errors.fail(b, row, new RecordError(RecordError.MALFORMED_INPUT, "window time column is NULL"));
                    continue;
                }
                t = ts[row];
            }
            if (t < curStart || t >= curEnd) {
                curStart = Math.floorDiv(t, size) * size;
                curEnd = curStart + size;
            }
            if (wm != Long.MIN_VALUE && curEnd <= wm) {
                watermark = wm;
                late(b, row, t);
                continue;
            }
            if (t > maxTs) {
                maxTs = t;
                long w = t - outOfOrderness;
                if (w > wm) {
                    wm = w;
                }
            }
            out[k++] = row;
            tOut[row] = t;
            aOut[row] = wm;
        }
        watermark = wm;
        maxEventTime = maxTs;
        return k;
    }

    private void late(RecordBatch b, int row, long ts) {
        metrics.addLate(1);
        if (lateToDeadLetter) {
            String why = "late record: event time " + io.velo.types.Values.formatTimestamp(ts) + " is behind the watermark "
                    + io.velo.types.Values.formatTimestamp(watermark);
            if (b.partitioned) {
                errors.handler().onKafkaLate(b.sourceName, b.partition[row], b.offset[row], b.key[row], b.raw[row], why);
            } else {
                errors.handler().onLate(b.sourceName, b.offset[row], b.raw[row], why);
            }
        }
    }

    /** The surviving rows of the last {@link #assign}, in input order. */
    public int[] rows() {
        return rows;
    }

    /** Each surviving row's window time, by row. */
    public long[] times() {
        return times;
    }

    /** The watermark in effect after each surviving row, by row. */
    public long[] after() {
        return after;
    }

    public long watermark() {
        return watermark;
    }

    public long maxEventTime() {
        return maxEventTime;
    }

    /** A watermark signal: moves the watermark to {@code wm} if that is later, so rows of windows it closed are late. */
    public void advance(long wm) {
        if (wm > watermark) {
            watermark = wm;
        }
    }

    /** Continues from a restored checkpoint. */
    public void restore(long watermark, long maxEventTime) {
        this.watermark = watermark;
        this.maxEventTime = maxEventTime;
    }
}
