package io.velo.exec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;

/**
 * Which worker owns a row's group: a hash of the GROUP BY key by value — equal keys (1.5 and 1.50,
 * −0.0 and 0.0) always go to the same worker — reduced to a worker index. One plain BIGINT-like
 * column key, the common case, is hashed in one loop over the column; any other key is evaluated a
 * row at a time. A row whose key fails to evaluate goes to worker 0, whose aggregation then reports
 * the failure as one thread would.
 */
public final class KeyPartitioner {
    private final Eval[] keys;
    private final int longColumn;
    private final Dec dec = new Dec();

    /** @param keys the GROUP BY evaluators, compiled for this partitioner alone */
    public KeyPartitioner(Eval[] keys) {
        this.keys = keys;
        this.longColumn = keys.length == 1 && keys[0] instanceof ColumnEval ce && ce.type.isLongBacked() ? ce.index : -1;
    }

    /**
     * Writes the live rows ({@code rows[i]}, or i) that belong to worker {@code w} of {@code workers}
     * into {@code out}, in order, and returns how many: each worker picks its own rows, so the hashing
     * runs on every worker at once instead of on the thread that shares out the batch.
     */
    public int select(RecordBatch b, int[] rows, int n, int workers, int w, int[] out) {
        if (longColumn >= 0) { // hashed and picked in one pass: no worker vector written and read back
            Column c = b.columns[longColumn];
            final long[] v = c.longs;
            final boolean[] nulls = c.nulls;
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                out[k] = row;
                k += worker(nulls[row] ? 7 : mix(v[row]), workers) == w ? 1 : 0;
            }
            return k;
        }
        int[] parts = scratch(n);
        partition(b, rows, n, workers, parts);
        int k = 0;
        for (int i = 0; i < n; i++) {
            out[k] = rows == null ? i : rows[i];
            k += parts[i] == w ? 1 : 0;
        }
        return k;
    }

    private int[] parts = new int[0];

    private int[] scratch(int n) {
        if (parts.length < n) {
            parts = new int[Math.max(n, 1024)];
        }
        return parts;
    }

    /** Writes the worker ({@code 0 .. workers-1}) of each live row {@code rows[i]} (or i) into {@code out[i]}. */
    public void partition(RecordBatch b, int[] rows, int n, int workers, int[] out) {
        if (longColumn >= 0) {
            Column c = b.columns[longColumn];
            final long[] v = c.longs;
            final boolean[] nulls = c.nulls;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                out[i] = worker(nulls[row] ? 7 : mix(v[row]), workers);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int row = rows == null ? i : rows[i];
            long h = 0x9E3779B97F4A7C15L;
            try {
                for (Eval e : keys) {
                    e.eval(b, row);
                    h = h * 31 + part(e);
                }
            } catch (RecordError | ArithmeticException ex) {
                out[i] = 0;
                continue;
            }
            out[i] = worker(mix(h), workers);
        }
    }

    /** A hash's worker: its high 32 bits scaled to {@code 0 .. workers-1} (a multiply and a shift, no division per row). */
    private static int worker(long h, int workers) {
        return (int) (((h >>> 32) * workers) >>> 32);
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /** A key part's hash by value. */
    private long part(Eval e) {
        if (e.isNull) {
            return 7;
        }
        DataType.Kind k = e.type.kind;
        switch (k) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: return mix(e.l);
            case DOUBLE: return mix(Double.doubleToLongBits(e.d == 0.0 ? 0.0 : e.d));
            case DECIMAL: {
                dec.set(e.dec);
                if (dec.big == null) {
                    long u = dec.unscaled;
                    int s = dec.scale;
                    while (s > 0 && u % 10 == 0) {
                        u /= 10;
                        s--;
                    }
                    return mix(u) * 31 + s;
                }
                BigDecimal b = dec.big.stripTrailingZeros();
                if (b.scale() < 0) {
                    b = b.setScale(0);
                }
                if (b.unscaledValue().bitLength() <= 63) {
                    return mix(b.unscaledValue().longValue()) * 31 + b.scale();
                }
                return b.hashCode();
            }
            default: return e.o.hashCode();
        }
    }
}
