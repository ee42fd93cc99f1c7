package io.velo.harness.pipeline;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;

/**
 * The end of an engine-only pipeline. Inside the timed section it pays only the cheap fold the
 * hand-written loops pay too: it counts rows and sums one long per row of the fold column (a BIGINT
 * value, or a decimal's unscaled value). With {@code full}, used outside the timed section, it also
 * folds every value of every column into an order-independent checksum (sum of per-row hashes), so a
 * run's whole answer can be compared with the reference's without storing the rows. Decimals hash by
 * value (trailing zeros stripped), so equal amounts agree whatever their scale.
 */
public final class CountingSink implements Sink {
    private final int foldColumn;
    private final boolean full;
    private long rows;
    private long fold;
    private long checksum;
    private final Dec scratch = new Dec();
    private long[] hashes = new long[0];

    public CountingSink(int foldColumn, boolean full) {
        this.foldColumn = foldColumn;
        this.full = full;
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public void open() {
    }

    @Override
    public int write(RecordBatch b) {
        int n = b.liveCount();
        rows += n;
        fold += fold(b.columns[foldColumn], b.sel, n);
        if (full) {
            checksum += rowHashes(b, n);
        }
        return n;
    }

    private static long fold(Column c, int[] sel, int n) {
        DataType.Kind kind = c.type.kind;
        if (kind == DataType.Kind.DECIMAL && c.anyBig) {
            return foldPromoted(c, sel, n);
        }
        if (kind != DataType.Kind.DECIMAL && !c.type.isLongBacked()) {
            throw new IllegalStateException("fold column must be BIGINT or DECIMAL, not " + c.type);
        }
        final long[] v = c.longs;
        final boolean[] nulls = c.nulls;
        long s = 0;
        if (sel == null) {
            for (int i = 0; i < n; i++) {
                s += nulls[i] ? 0 : v[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                int row = sel[i];
                s += nulls[row] ? 0 : v[row];
            }
        }
        return s;
    }

    /** A decimal promoted past 64 bits folds the low 64 bits of its unscaled value. */
    private static long foldPromoted(Column c, int[] sel, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            int row = sel == null ? i : sel[i];
            if (c.nulls[row]) {
                continue;
            }
            BigDecimal big = c.bigs[row];
            s += big != null ? big.unscaledValue().longValue() : c.longs[row];
        }
        return s;
    }

    /** Column at a time: one type dispatch per column, a tight loop per column over the live rows. */
    private long rowHashes(RecordBatch b, int n) {
        if (hashes.length < n) {
            hashes = new long[b.capacity];
        }
        final long[] h = hashes;
        java.util.Arrays.fill(h, 0, n, 1L);
        final int[] sel = b.sel;
        for (Column c : b.columns) {
            final boolean[] nulls = c.nulls;
            switch (c.type.kind) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: {
                    final long[] v = c.longs;
                    for (int i = 0; i < n; i++) {
                        int row = sel == null ? i : sel[i];
                        h[i] = h[i] * 1_000_003L + (nulls[row] ? 0 : v[row]);
                    }
                    break;
                }
                default:
                    for (int i = 0; i < n; i++) {
                        int row = sel == null ? i : sel[i];
                        h[i] = h[i] * 1_000_003L + valueHash(c, row);
                    }
                    break;
            }
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += h[i];
        }
        return sum;
    }

    private long valueHash(Column c, int row) {
        if (c.nulls[row]) {
            return 0;
        }
        switch (c.type.kind) {
            case DOUBLE: return Double.doubleToLongBits(c.doubles[row]);
            case DECIMAL: {
                c.getDecimal(row, scratch);
                return decimalHash(scratch.unscaled, scratch.scale, scratch.big);
            }
            case STRING: case ARRAY: case MAP: return c.objects[row].hashCode();
            default: return c.longs[row];
        }
    }

    /** Value hash of a decimal: the same for 1.50 and 1.5. */
    public static long decimalHash(long unscaled, int scale, BigDecimal big) {
        if (big != null) {
            BigDecimal s = big.stripTrailingZeros();
            if (s.unscaledValue().bitLength() > 63) {
                return s.hashCode();
            }
            unscaled = s.unscaledValue().longValue();
            scale = s.scale();
        }
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        return unscaled * 31 + scale;
    }

    public static long rowHash(long a, long b) {
        return (1_000_003L + a) * 1_000_003L + b;
    }

    public static long rowHash(long a, long b, long c) {
        return rowHash(a, b) * 1_000_003L + c;
    }

    public static long rowHash(long a, long b, long c, long d) {
        return rowHash(a, b, c) * 1_000_003L + d;
    }

    public static long rowHash(long a, long b, long c, long d, long e) {
        return rowHash(a, b, c, d) * 1_000_003L + e;
    }

    /** This sink's answer so far (late and failed come from the job's counters, not from the sink). */
    void answerInto(Answer a) {
        a.rows = rows;
        a.fold = fold;
        a.checksum = checksum;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "counting sink";
    }
}
