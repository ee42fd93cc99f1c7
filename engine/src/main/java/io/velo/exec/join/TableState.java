package io.velo.exec.join;

import io.velo.batch.Column;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import java.util.Arrays;
import java.util.HashMap;

/**
 * The current rows of a keyed table: one row per key, a later row for a key replacing the earlier
 * one, a delete removing it. Rows live column-wise in slots (a deleted row's slot is reused); a key
 * finds its slot through a hash index — open addressing over the key itself for keys held as a long
 * (BIGINT, BOOLEAN, TIMESTAMP, DATE), a hash map over the canonical value otherwise (text; decimals by
 * value, so 1.5 finds 1.50; doubles with −0.0 as 0.0). A lookup never scans the rows. One thread.
 */
public final class TableState {
    private final Schema schema;
    private final int keyColumn;
    private final Index index;
    private Column[] rows;
    private int capacity;
    /** Slots ever used; slots below it are live unless on the free list. */
    private int used;
    private int[] free = new int[16];
    private int freeCount;
    private int size;

    /** @param keyColumn the column of {@code schema} that is the table's PRIMARY KEY */
    public TableState(Schema schema, int keyColumn) {
        this.schema = schema;
        this.keyColumn = keyColumn;
        DataType keyType = schema.field(keyColumn).type();
        this.index = keyType.isLongBacked() && keyType.kind != DataType.Kind.DECIMAL ? new LongIndex() : new ObjectIndex();
        allocate(16);
    }

    private void allocate(int cap) {
        Column[] grown = new Column[schema.size()];
        for (int c = 0; c < grown.length; c++) {
            grown[c] = new Column(schema.field(c).type(), cap);
            if (rows != null) {
                grown[c].gatherFrom(rows[c], null, used);
            }
        }
        rows = grown;
        capacity = cap;
    }

    public Schema schema() {
        return schema;
    }

    public int keyColumn() {
        return keyColumn;
    }

    /** The number of keys in the table. */
    public int size() {
        return size;
    }

    /** Column {@code c} of the rows, read at a slot that {@link #find} returned. */
    public Column column(int c) {
        return rows[c];
    }

    /**
     * Stores row {@code row} of {@code columns} (laid out as the table's schema) as its key's current
     * row, replacing the one before. Returns false, storing nothing, when its key is NULL.
     */
    public boolean upsert(Column[] columns, int row) {
        Column key = columns[keyColumn];
        if (key.isNull(row)) {
            return false;
        }
        int slot = index.find(key, row);
        if (slot < 0) {
            if (freeCount == 0 && used == capacity) {
                allocate(capacity * 2);
            }
            slot = freeCount > 0 ? free[--freeCount] : used++;
            index.put(key, row, slot);
            size++;
        }
        for (int c = 0; c < rows.length; c++) {
            rows[c].copyFrom(columns[c], row, slot);
        }
        return true;
    }

    /** Removes the row of the key in row {@code row} of {@code key} (a tombstone); false when there was none. */
    public boolean delete(Column key, int row) {
        if (key.isNull(row)) {
            return false;
        }
        int slot = index.remove(key, row);
        if (slot < 0) {
            return false;
        }
        for (Column c : rows) {
            c.setNull(slot); // drops references (text) the slot held
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
        return true;
    }

    /** The slot of the row whose key equals row {@code row} of {@code key} (any type of the same kind), or -1 (also for NULL). */
    public int find(Column key, int row) {
        return key.isNull(row) ? -1 : index.find(key, row);
    }

    /**
     * The slots of rows {@code rows[0..n)} (rows 0..n-1 when null) of {@code key} into {@code out[0..n)},
     * -1 where the key is NULL or has no row: one loop per batch, with the long index probed inline.
     */
    public void findAll(Column key, int[] rows, int n, int[] out) {
        if (index instanceof LongIndex li) {
            li.findAll(key, rows, n, out);
            return;
        }
        for (int i = 0; i < n; i++) {
            out[i] = find(key, rows == null ? i : rows[i]);
        }
    }

    /** The slots ever used: the live rows are the slots below it that {@link #live} says hold one. */
    public int slots() {
        return used;
    }

    /** Whether slot {@code slot} (below {@link #slots}) holds a current row: a live row always has its key. */
    public boolean live(int slot) {
        return !rows[keyColumn].isNull(slot);
    }

    /**
     * Applies a batch of table changes laid out as the table's schema: upserts and tombstones, in row
     * order. A row flagged deleted, or whose {@code deletedColumn} (-1: none) is true, is a tombstone; a
     * row without its key is a record error of the table ({@code errors}).
     */
    public void apply(io.velo.batch.RecordBatch b, int deletedColumn, io.velo.exec.RowErrors errors) {
        Column[] cols = b.columns;
        Column key = cols[keyColumn];
        Column deletedCol = deletedColumn >= 0 ? cols[deletedColumn] : null;
        int n = b.liveCount();
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            if (key.isNull(row)) {
                errors.fail(b, row, new io.velo.failure.RecordError(io.velo.failure.RecordError.MALFORMED_INPUT, "a table row needs its key: '"
                        + schema.field(keyColumn).name() + "' (the PRIMARY KEY) is NULL"));
                continue;
            }
            boolean tombstone = b.isDeleted(row) || (deletedCol != null && !deletedCol.isNull(row) && deletedCol.longs[row] != 0);
            if (tombstone) {
                delete(key, row);
            } else {
                upsert(cols, row);
            }
        }
    }

    /** Bytes held for the rows and the index (capacity), roughly. */
    public long stateBytes() {
        return (long) capacity * rows.length * 17 + index.bytes();
    }

    private abstract static class Index {
        abstract int find(Column key, int row);

        abstract void put(Column key, int row, int slot);

        abstract int remove(Column key, int row);

        abstract long bytes();
    }

    /** Open addressing with linear probing over the long key; removal shifts back the entries after it (no tombstones). */
    private static final class LongIndex extends Index {
        private long[] keys = new long[32];
        /** Slot + 1; 0 = free. */
        private int[] slots = new int[32];
        private int mask = 31;
        private int count;

        private int home(long k) {
            return (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }

        void findAll(Column key, int[] rows, int n, int[] out) {
            final long[] v = key.longs;
            final boolean[] nulls = key.nulls;
            final long[] ks = keys;
            final int[] ss = slots;
            final int m = mask;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                long k = v[row];
                int found = 0;
                for (int h = home(k); ; h = (h + 1) & m) {
                    int s = ss[h];
                    if (s == 0 || ks[h] == k) {
                        found = s;
                        break;
                    }
                }
                out[i] = nulls[row] ? -1 : found - 1;
            }
        }

        @Override
        int find(Column key, int row) {
            long k = key.longs[row];
            for (int i = home(k); ; i = (i + 1) & mask) {
                int s = slots[i];
                if (s == 0) {
                    return -1;
                }
                if (keys[i] == k) {
                    return s - 1;
                }
            }
        }

        @Override
        void put(Column key, int row, int slot) {
            if ((count + 1) * 2 > slots.length) {
                grow();
            }
            insert(key.longs[row], slot + 1);
            count++;
        }

        private void insert(long k, int s) {
            int i = home(k);
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            slots[i] = s;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldSlots = slots;
            keys = new long[oldKeys.length * 2];
            slots = new int[oldSlots.length * 2];
            mask = slots.length - 1;
            for (int i = 0; i < oldSlots.length; i++) {
                if (oldSlots[i] != 0) {
                    insert(oldKeys[i], oldSlots[i]);
                }
            }
        }

        @Override
        int remove(Column key, int row) {
            long k = key.longs[row];
            int i = home(k);
            while (true) {
                if (slots[i] == 0) {
                    return -1;
                }
                if (keys[i] == k) {
                    break;
                }
                i = (i + 1) & mask;
            }
            int removed = slots[i] - 1;
            // backward shift: move later entries of the probe run into the gap when their home allows it
            int gap = i;
            for (int j = (gap + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
                int h = home(keys[j]);
                if (((j - h) & mask) >= ((j - gap) & mask)) {
                    keys[gap] = keys[j];
                    slots[gap] = slots[j];
                    gap = j;
                }
            }
            slots[gap] = 0;
            count--;
            return removed;
        }

        @Override
        long bytes() {
            return 12L * slots.length;
        }
    }

    /** A hash map over canonical values: text as is, decimals stripped of trailing zeros, doubles with −0.0 as 0.0. */
    private static final class ObjectIndex extends Index {
        private final HashMap<Object, Integer> map = new HashMap<>();
        private final Dec dec = new Dec();

        private Object canonical(Column key, int row) {
            switch (key.type.kind) {
                case DECIMAL: {
                    key.getDecimal(row, dec);
                    java.math.BigDecimal b = dec.toBigDecimal();
                    return b.signum() == 0 ? java.math.BigDecimal.ZERO : b.stripTrailingZeros();
                }
                case DOUBLE: {
                    double d = key.doubles[row];
                    return d == 0.0 ? 0.0 : d;
                }
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE:
                    return key.longs[row];
                default:
                    return key.objects[row];
            }
        }

        @Override
        int find(Column key, int row) {
            Integer s = map.get(canonical(key, row));
            return s == null ? -1 : s;
        }

        @Override
        void put(Column key, int row, int slot) {
            map.put(canonical(key, row), slot);
        }

        @Override
        int remove(Column key, int row) {
            Integer s = map.remove(canonical(key, row));
            return s == null ? -1 : s;
        }

        @Override
        long bytes() {
            return 48L * map.size();
        }
    }
}
