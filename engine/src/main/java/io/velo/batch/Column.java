package io.velo.batch;

import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;

/**
 * One column of a {@link RecordBatch}. The storage is chosen by type: {@code longs} for BIGINT,
 * BOOLEAN (0/1), TIMESTAMP (epoch millis) and DATE (epoch days); {@code doubles} for DOUBLE;
 * {@code longs}+{@code scales} for DECIMAL, with {@code bigs} holding the rare values promoted past
 * 64 bits; {@code objects} for STRING, ARRAY and MAP. One class for every type keeps call sites
 * monomorphic.
 */
public final class Column {
    public final DataType type;
    public final long[] longs;
    public final double[] doubles;
    public final byte[] scales;
    public final Object[] objects;
    public final boolean[] nulls;
    /** Lazily created: non-null entries are decimal values promoted past 64 bits. */
    public BigDecimal[] bigs;
    public boolean anyBig;

    public Column(DataType type, int capacity) {
        this.type = type;
        DataType.Kind k = type.kind;
        this.longs = type.isLongBacked() || k == DataType.Kind.DECIMAL ? new long[capacity] : null;
        this.doubles = k == DataType.Kind.DOUBLE ? new double[capacity] : null;
        this.scales = k == DataType.Kind.DECIMAL ? new byte[capacity] : null;
        this.objects = type.isObjectBacked() ? new Object[capacity] : null;
        this.nulls = new boolean[capacity];
    }

    /**
     * Whether every live (non-NULL) value of rows {@code rows[0..n)} (rows 0..n-1 when null) is in the
     * long form at scale {@code scale}: one OR-reduction over the scale bytes, which lets a loop skip
     * them. A column without scales (BIGINT) is at scale 0; a column holding a promoted value is not.
     */
    public boolean allAtScale(int[] rows, int n, int scale) {
        if (anyBig) {
            return false;
        }
        if (scales == null) {
            return scale == 0;
        }
        final byte want = (byte) scale;
        final byte[] sc = scales;
        final boolean[] nl = nulls;
        int other = 0;
        if (rows == null) {
            for (int i = 0; i < n; i++) {
                other |= nl[i] ? 0 : sc[i] ^ want;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int row = rows[i];
                other |= nl[row] ? 0 : sc[row] ^ want;
            }
        }
        return other == 0;
    }

    public boolean isNull(int row) {
        return nulls[row];
    }

    public void setNull(int row) {
        nulls[row] = true;
        if (objects != null) {
            objects[row] = null;
        }
        if (anyBig) {
            bigs[row] = null;
        }
    }

    public void setLong(int row, long v) {
        nulls[row] = false;
        longs[row] = v;
    }

    public void setDouble(int row, double v) {
        nulls[row] = false;
        doubles[row] = v;
    }

    public void setObject(int row, Object v) {
        nulls[row] = v == null;
        objects[row] = v;
    }

    public void setDecimal(int row, Dec v) {
        nulls[row] = false;
        if (v.big != null) {
            setBig(row, v.big);
            return;
        }
        longs[row] = v.unscaled;
        scales[row] = (byte) v.scale;
        if (anyBig) {
            bigs[row] = null;
        }
    }

    public void setDecimal(int row, long unscaled, int scale) {
        nulls[row] = false;
        longs[row] = unscaled;
        scales[row] = (byte) scale;
        if (anyBig) {
            bigs[row] = null;
        }
    }

    private void setBig(int row, BigDecimal v) {
        if (bigs == null) {
            bigs = new BigDecimal[longs.length];
        }
        anyBig = true;
        bigs[row] = v;
        scales[row] = (byte) v.scale();
    }

    public void getDecimal(int row, Dec out) {
        if (anyBig && bigs[row] != null) {
            out.unscaled = 0;
            out.scale = bigs[row].scale();
            out.big = bigs[row];
        } else {
            out.unscaled = longs[row];
            out.scale = scales[row];
            out.big = null;
        }
    }

    /** The SQL text of a non-null value (as CAST(x AS STRING) writes it); for keys and messages, not hot paths. */
    public String text(int row) {
        switch (type.kind) {
            case BIGINT: return Long.toString(longs[row]);
            case BOOLEAN: return longs[row] != 0 ? "true" : "false";
            case DOUBLE: return io.velo.types.Values.formatDouble(doubles[row]);
            case DECIMAL: {
                Dec d = new Dec();
                getDecimal(row, d);
                return d.toString();
            }
            case TIMESTAMP: return io.velo.types.Values.formatTimestamp(longs[row]);
            case DATE: return io.velo.types.Values.formatDate(longs[row]);
            case STRING: return (String) objects[row];
            default: return io.velo.types.Values.jsonText(objects[row]);
        }
    }

    /** Copies one value from another column of the same storage kind. */
    public void copyFrom(Column src, int srcRow, int dstRow) {
        if (src.nulls[srcRow]) {
            setNull(dstRow);
            return;
        }
        nulls[dstRow] = false;
        if (longs != null) {
            longs[dstRow] = src.longs[srcRow];
        }
        if (doubles != null) {
            doubles[dstRow] = src.doubles[srcRow];
        }
        if (objects != null) {
            objects[dstRow] = src.objects[srcRow];
        }
        if (scales != null) {
            scales[dstRow] = src.scales[srcRow];
            if (src.anyBig && src.bigs[srcRow] != null) {
                setBig(dstRow, src.bigs[srcRow]);
            } else if (anyBig) {
                bigs[dstRow] = null;
            }
        }
    }

    /**
     * Copies rows {@code rows[0..n)} of {@code src} into rows 0..n-1 of this column (same storage
     * kind), one tight loop per array; with {@code rows == null} it copies rows 0..n-1 wholesale.
     */
    public void gatherFrom(Column src, int[] rows, int n) {
        if (rows == null) {
            System.arraycopy(src.nulls, 0, nulls, 0, n);
            if (longs != null) {
                System.arraycopy(src.longs, 0, longs, 0, n);
            }
            if (doubles != null) {
                System.arraycopy(src.doubles, 0, doubles, 0, n);
            }
            if (objects != null) {
                System.arraycopy(src.objects, 0, objects, 0, n);
            }
            if (scales != null) {
                System.arraycopy(src.scales, 0, scales, 0, n);
            }
        } else {
            final boolean[] sn = src.nulls;
            for (int i = 0; i < n; i++) {
                nulls[i] = sn[rows[i]];
            }
            if (longs != null) {
                final long[] sl = src.longs;
                for (int i = 0; i < n; i++) {
                    longs[i] = sl[rows[i]];
                }
            }
            if (doubles != null) {
                final double[] sd = src.doubles;
                for (int i = 0; i < n; i++) {
                    doubles[i] = sd[rows[i]];
                }
            }
            if (objects != null) {
                final Object[] so = src.objects;
                for (int i = 0; i < n; i++) {
                    objects[i] = so[rows[i]];
                }
            }
            if (scales != null) {
                final byte[] ss = src.scales;
                for (int i = 0; i < n; i++) {
                    scales[i] = ss[rows[i]];
                }
            }
        }
        if (src.anyBig) {
            for (int i = 0; i < n; i++) {
                BigDecimal b = src.bigs[rows == null ? i : rows[i]];
                if (b != null) {
                    setBig(i, b);
                } else if (anyBig) {
                    bigs[i] = null;
                }
            }
        } else if (anyBig) {
            java.util.Arrays.fill(bigs, 0, n, null);
        }
    }

    /** Overwrites rows [0, rows) with poison (see {@link RecordBatch#poison}). */
    void poison(int rows) {
        java.util.Arrays.fill(nulls, 0, rows, false);
        if (longs != null) {
            java.util.Arrays.fill(longs, 0, rows, RecordBatch.POISON_LONG);
        }
        if (doubles != null) {
            java.util.Arrays.fill(doubles, 0, rows, Double.NaN);
        }
        if (objects != null) {
            java.util.Arrays.fill(objects, 0, rows, RecordBatch.RELEASED);
        }
        if (scales != null) {
            java.util.Arrays.fill(scales, 0, rows, (byte) 0);
        }
        if (anyBig) {
            java.util.Arrays.fill(bigs, 0, rows, null);
        }
    }

    /** Forgets object references so a pooled batch does not keep strings alive. */
    public void clear(int size) {
        if (objects != null) {
            java.util.Arrays.fill(objects, 0, size, null);
        }
        if (anyBig) {
            java.util.Arrays.fill(bigs, 0, size, null);
            anyBig = false;
        }
    }
}
