package io.velo.exec.agg;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Maps the current values of the key evaluators to a dense group id (0, 1, 2, …) with open
 * addressing. Keys are stored column-wise per key part, so a lookup of an existing group allocates
 * nothing; only a new group stores (and for text, references) its key. Decimal keys are compared by
 * value (1.50 = 1.5): they are normalised by stripping trailing zeros before hashing.
 */
public final class GroupTable implements Groups {
    private final Eval[] keys;
    private final DataType.Kind[] kinds;
    private long[][] longs;
    private int[][] scales;
    /** The scale a decimal key was first seen with (1.50 is written back as 1.50, not 1.5). */
    private int[][] firstScales;
    private Object[][] objects;
    private boolean[][] nulls;
    private int[] hashes;
    private int[] slots; // group id + 1; 0 = empty
    private int mask;
    private int size;
    private final Dec norm = new Dec();

    public GroupTable(Eval[] keys) {
        this.keys = keys;
        this.kinds = new DataType.Kind[keys.length];
        for (int i = 0; i < keys.length; i++) {
            kinds[i] = keys[i].type.kind;
        }
        int cap = 16;
        longs = new long[keys.length][cap];
        scales = new int[keys.length][cap];
        firstScales = new int[keys.length][cap];
        objects = new Object[keys.length][cap];
        nulls = new boolean[keys.length][cap];
        hashes = new int[cap];
        slots = new int[64];
        mask = slots.length - 1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long stateBytes() {
        long perGroup = 4L + (long) keys.length * (8 + 4 + 4 + 4 + 1);
        return (long) hashes.length * perGroup + 4L * slots.length;
    }

    @Override
    public void clear() {
        for (Object[] o : objects) {
            Arrays.fill(o, 0, size, null);
        }
        Arrays.fill(slots, 0);
        size = 0;
    }

    /** Evaluates the keys for {@code row} and returns its group id, creating the group if new. */
    public int findOrInsert(RecordBatch batch, int row, boolean[] isNew) {
        int h = 0x9E3779B9;
        for (int k = 0; k < keys.length; k++) {
            Eval e = keys[k];
            e.eval(batch, row);
            h = h * 31 + hashOf(e, kinds[k]);
        }
        h ^= h >>> 16;
        int i = h & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                isNew[0] = true;
                return insert(h, i);
            }
            int g = s - 1;
            if (hashes[g] == h && equalsGroup(g)) {
                isNew[0] = false;
                return g;
            }
            i = (i + 1) & mask;
        }
    }

    private int hashOf(Eval e, DataType.Kind kind) {
        if (e.isNull) {
            return 7;
        }
        switch (kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: return Long.hashCode(e.l * 0x9E3779B97F4A7C15L);
            case DOUBLE: return Long.hashCode(Double.doubleToLongBits(e.d == 0.0 ? 0.0 : e.d) * 0x9E3779B97F4A7C15L);
            case DECIMAL:
                normalize(e.dec, norm);
                return norm.big != null ? norm.big.hashCode() : Long.hashCode(norm.unscaled * 0x9E3779B97F4A7C15L) * 31 + norm.scale;
            default: return e.o.hashCode();
        }
    }

    private static void normalize(Dec in, Dec out) {
        if (in.big != null) {
            BigDecimal b = in.big.stripTrailingZeros();
            out.set(b.scale() < 0 ? b.setScale(0) : b);
            return;
        }
        long u = in.unscaled;
        int s = in.scale;
        while (s > 0 && u % 10 == 0) {
            u /= 10;
            s--;
        }
        out.set(u, s);
    }

    private boolean equalsGroup(int g) {
        for (int k = 0; k < keys.length; k++) {
            Eval e = keys[k];
            boolean storedNull = nulls[k][g];
            if (e.isNull || storedNull) {
                if (e.isNull != storedNull) {
                    return false;
                }
                continue;
            }
            switch (kinds[k]) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE:
                    if (longs[k][g] != e.l) {
                        return false;
                    }
                    break;
                case DOUBLE:
                    if (longs[k][g] != Double.doubleToLongBits(e.d == 0.0 ? 0.0 : e.d)) {
                        return false;
                    }
                    break;
                case DECIMAL:
                    normalize(e.dec, norm);
                    if (norm.big != null || objects[k][g] != null) {
                        if (norm.big == null || !norm.big.equals(objects[k][g])) {
                            return false;
                        }
                    } else if (longs[k][g] != norm.unscaled || scales[k][g] != norm.scale) {
                        return false;
                    }
                    break;
                default:
                    if (!e.o.equals(objects[k][g])) {
                        return false;
                    }
                    break;
            }
        }
        return true;
    }

    private int insert(int h, int slot) {
        int g = size;
        if (g == hashes.length) {
            grow();
        }
        hashes[g] = h;
        for (int k = 0; k < keys.length; k++) {
            Eval e = keys[k];
            nulls[k][g] = e.isNull;
            objects[k][g] = null;
            if (e.isNull) {
                continue;
            }
            switch (kinds[k]) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: longs[k][g] = e.l; break;
                case DOUBLE: longs[k][g] = Double.doubleToLongBits(e.d == 0.0 ? 0.0 : e.d); break;
                case DECIMAL:
                    normalize(e.dec, norm);
                    longs[k][g] = norm.unscaled;
                    scales[k][g] = norm.scale;
                    objects[k][g] = norm.big;
                    firstScales[k][g] = e.dec.scale;
                    break;
                default: objects[k][g] = e.o; break;
            }
        }
        slots[slot] = g + 1;
        size++;
        if (size * 2 > slots.length) {
            rehash();
        }
        return g;
    }

    private void grow() {
        int cap = hashes.length * 2;
        hashes = Arrays.copyOf(hashes, cap);
        for (int k = 0; k < keys.length; k++) {
            longs[k] = Arrays.copyOf(longs[k], cap);
            scales[k] = Arrays.copyOf(scales[k], cap);
            firstScales[k] = Arrays.copyOf(firstScales[k], cap);
            objects[k] = Arrays.copyOf(objects[k], cap);
            nulls[k] = Arrays.copyOf(nulls[k], cap);
        }
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        mask = slots.length - 1;
        for (int g = 0; g < size; g++) {
            int i = hashes[g] & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = g + 1;
        }
    }

    @Override
    public void writeKey(int k, int g, Column out, int row, Dec scratch) {
        if (nulls[k][g]) {
            out.setNull(row);
            return;
        }
        switch (kinds[k]) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: out.setLong(row, longs[k][g]); break;
            case DOUBLE: out.setDouble(row, Double.longBitsToDouble(longs[k][g])); break;
            case DECIMAL: {
                int normScale = scales[k][g];
                int origScale = firstScales[k][g];
                if (objects[k][g] != null) {
                    scratch.set((BigDecimal) objects[k][g]);
                } else {
                    scratch.set(longs[k][g], normScale);
                }
                if (origScale > scratch.scale) {
                    io.velo.types.decimal.DecimalMath.rescale(scratch, origScale, io.velo.types.decimal.DecimalRounding.HALF_UP);
                }
                out.setDecimal(row, scratch);
                break;
            }
            default: out.setObject(row, objects[k][g]); break;
        }
    }

    @Override
    public int keyCount() {
        return keys.length;
    }

    /** Writes group {@code g}'s key for a checkpoint: the stored (normalised) parts as they are. */
    @Override
    public void writeKeyState(int g, io.velo.exec.state.StateOut out) {
        for (int k = 0; k < keys.length; k++) {
            boolean isNull = nulls[k][g];
            out.writeBoolean(isNull);
            if (isNull) {
                continue;
            }
            switch (kinds[k]) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: case DOUBLE: out.writeLong(longs[k][g]); break;
                case DECIMAL:
                    out.writeLong(longs[k][g]).writeInt(scales[k][g]).writeInt(firstScales[k][g]).writeBig((BigDecimal) objects[k][g]);
                    break;
                default: out.writeValue(objects[k][g]); break;
            }
        }
    }

    /**
     * Inserts a group whose key {@link #writeKeyState} wrote (a restore from a checkpoint) and returns
     * its id; the hash is the one {@link #findOrInsert} computes for the same key, so later records find it.
     */
    @Override
    public int insertRestored(io.velo.exec.state.StateIn in) {
        int g = size;
        if (g == hashes.length) {
            grow();
        }
        int h = 0x9E3779B9;
        for (int k = 0; k < keys.length; k++) {
            boolean isNull = in.readBoolean();
            nulls[k][g] = isNull;
            objects[k][g] = null;
            int part = 7;
            if (!isNull) {
                switch (kinds[k]) {
                    case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: case DOUBLE:
                        longs[k][g] = in.readLong();
                        part = Long.hashCode(longs[k][g] * 0x9E3779B97F4A7C15L);
                        break;
                    case DECIMAL: {
                        longs[k][g] = in.readLong();
                        scales[k][g] = in.readInt();
                        firstScales[k][g] = in.readInt();
                        BigDecimal big = in.readBig();
                        objects[k][g] = big;
                        part = big != null ? big.hashCode() : Long.hashCode(longs[k][g] * 0x9E3779B97F4A7C15L) * 31 + scales[k][g];
                        break;
                    }
                    default:
                        objects[k][g] = in.readValue();
                        part = objects[k][g].hashCode();
                        break;
                }
            }
            h = h * 31 + part;
        }
        h ^= h >>> 16;
        hashes[g] = h;
        int i = h & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = g + 1;
        size++;
        if (size * 2 > slots.length) {
            rehash();
        }
        return g;
    }
}
