package io.velo.exec.agg;

import io.velo.expr.eval.Eval;
import io.velo.types.DataType;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * MIN / MAX that can take a value back ({@link #remove}): an aggregation over a keyed table, whose key
 * replaced by a later row takes its old row out of its group. Each group keeps its values with their
 * counts in order (a sorted multiset), so removing the extreme value uncovers the next one exactly.
 * State grows with the distinct values of a group (a table's current rows, not the stream's), which
 * the plain {@link BasicAggregators.MinMax} used over streams never needs.
 */
public final class RemovableMinMax extends Aggregator {
    private final boolean min;
    private final DataType argType;
    @SuppressWarnings("unchecked")
    private TreeMap<Object, long[]>[] values = new TreeMap[0];

    public RemovableMinMax(boolean min, DataType argType) {
        super(argType);
        this.min = min;
        this.argType = argType;
    }

    @Override
    protected void grow(int n) {
        values = Arrays.copyOf(values, n);
    }

    @Override
    public void reset(int g) {
        values[g] = null;
    }

    /** The value of {@code arg} as a key ordered as SQL compares it (decimals by value: 1.0 and 1.00 are one key). */
    private Object key(Eval arg) {
        switch (argType.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: return arg.l;
            case DOUBLE: return arg.d;
            case DECIMAL: return arg.dec.toBigDecimal();
            default: return arg.o;
        }
    }

    private static TreeMap<Object, long[]> newMap() {
        return new TreeMap<>((a, b) -> compare(a, b));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        return ((Comparable) a).compareTo(b);
    }

    @Override
    public void add(int g, Eval arg) {
        if (arg.isNull) {
            return;
        }
        if (values[g] == null) {
            values[g] = newMap();
        }
        values[g].computeIfAbsent(key(arg), k -> new long[1])[0]++;
    }

    @Override
    public boolean canRemove() {
        return true;
    }

    @Override
    public void remove(int g, Eval arg) {
        if (arg.isNull) {
            return;
        }
        TreeMap<Object, long[]> m = values[g];
        Object k = key(arg);
        long[] c = m == null ? null : m.get(k);
        if (c == null) {
            throw new IllegalStateException((min ? "MIN" : "MAX") + " takes back " + k + ", which it never took");
        }
        if (--c[0] == 0) {
            m.remove(k);
        }
    }

    @Override
    public void result(int g, Eval out) {
        TreeMap<Object, long[]> m = values[g];
        if (m == null || m.isEmpty()) {
            out.isNull = true;
            return;
        }
        Object v = min ? m.firstKey() : m.lastKey();
        out.isNull = false;
        switch (argType.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: out.l = (Long) v; break;
            case DOUBLE: out.d = (Double) v; break;
            case DECIMAL: out.dec.set((BigDecimal) v); break;
            default: out.o = v; break;
        }
    }

    @Override
    public void writeState(int g, io.velo.exec.state.StateOut out) {
        TreeMap<Object, long[]> m = values[g];
        out.writeInt(m == null ? 0 : m.size());
        if (m != null) {
            for (Map.Entry<Object, long[]> e : m.entrySet()) {
                out.writeValue(e.getKey()).writeLong(e.getValue()[0]);
            }
        }
    }

    @Override
    public void readState(int g, io.velo.exec.state.StateIn in) {
        int n = in.readInt();
        values[g] = n == 0 ? null : newMap();
        for (int i = 0; i < n; i++) {
            Object k = in.readValue();
            values[g].put(k, new long[] {in.readLong()});
        }
    }

    @Override
    public long stateBytes() {
        long b = 4L * values.length;
        for (TreeMap<Object, long[]> m : values) {
            b += m == null ? 0 : 64L * m.size(); // a tree entry, its key and its count
        }
        return b;
    }

    @Override
    public Aggregator copyEmpty() {
        return new RemovableMinMax(min, argType);
    }
}
