package io.velo.harness.pipeline;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;

/**
 * Counts rows and folds every value into an order-independent checksum (sum of per-row hashes), so a
 * run's answer can be compared with the hand-written loop's without storing the rows. Decimals hash by
 * value (trailing zeros stripped), so equal amounts agree whatever their scale.
 */
public final class CountingSink implements Sink {
    private long rows;
    private long checksum;
    private final Dec scratch = new Dec();

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public void open() {
    }

    private long[] hashes = new long[0];

    /** Column at a time: one type dispatch per column, a tight loop per column over the live rows. */
    @Override
    public int write(RecordBatch b) {
        int n = b.liveCount();
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
                case DECIMAL:
                    if (!c.anyBig) {
                        final long[] u = c.longs;
                        final byte[] sc = c.scales;
                        for (int i = 0; i < n; i++) {
                            int row = sel == null ? i : sel[i];
                            h[i] = h[i] * 1_000_003L + (nulls[row] ? 0 : decimalHash(u[row], sc[row], null));
                        }
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        int row = sel == null ? i : sel[i];
                        h[i] = h[i] * 1_000_003L + valueHash(c, row);
                    }
                    break;
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
        checksum += sum;
        rows += n;
        return n;
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

    public long rows() {
        return rows;
    }

    public long checksum() {
        return checksum;
    }

    public void reset() {
        rows = 0;
        checksum = 0;
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
