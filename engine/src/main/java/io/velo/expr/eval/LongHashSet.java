package io.velo.expr.eval;

/**
 * A set of longs by open addressing with linear probing: the lookup table of a large constant IN
 * list, probed per record without boxing. Built once at compile time; read-only afterwards.
 */
public final class LongHashSet {
    private static final long EMPTY = 0;
    private long[] keys;
    private int mask;
    private int size;
    private boolean hasEmptyKey;

    public LongHashSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[cap];
        mask = cap - 1;
    }

    private static int slot(long x, int mask) {
        long h = x * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    public void add(long x) {
        if (x == EMPTY) {
            hasEmptyKey = true;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(x, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == x) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = x;
        size++;
    }

    public boolean contains(long x) {
        if (x == EMPTY) {
            return hasEmptyKey;
        }
        final long[] k = keys;
        final int m = mask;
        int i = slot(x, m);
        while (true) {
            long y = k[i];
            if (y == x) {
                return true;
            }
            if (y == EMPTY) {
                return false;
            }
            i = (i + 1) & m;
        }
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (long x : old) {
            if (x != EMPTY) {
                add(x);
            }
        }
    }
}
