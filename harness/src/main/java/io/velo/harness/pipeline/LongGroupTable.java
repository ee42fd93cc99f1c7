package io.velo.harness.pipeline;

import java.util.Arrays;

/**
 * COUNT(*) and an overflow-checked SUM(BIGINT) per BIGINT key, in primitive open addressing (linear
 * probing, power-of-two capacity, load at most one half, Fibonacci hashing): the keyed state the
 * hand-written references keep instead of {@code HashMap<Long, …>}, which would measure boxing rather
 * than the job. A slot is free while its count is 0, so every long is a valid key and no sentinel
 * value is needed.
 */
public final class LongGroupTable {
    public long[] keys;
    public long[] counts;
    public long[] sums;
    private int mask;
    private int shift;
    private int size;

    public LongGroupTable(int expectedKeys) {
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, expectedKeys) * 2 - 1) << 1));
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        counts = new long[capacity];
        sums = new long[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Whether {@link #add} of {@code value} to {@code key} would succeed (its sum not overflow); changes nothing. */
    public boolean canAdd(long key, long value) {
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        while (true) {
            if (counts[h] == 0) {
                return true;
            }
            if (keys[h] == key) {
                long s = sums[h];
                long r = s + value;
                return ((s ^ r) & (value ^ r)) >= 0;
            }
            h = (h + 1) & mask;
        }
    }

    /**
     * Counts one record of {@code key} and adds {@code value} to its sum; false (and nothing changed)
     * when the sum would overflow, which fails the record as the engine's SUM does.
     */
    public boolean add(long key, long value) {
        final long[] ks = keys;
        final long[] cs = counts;
        int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        while (true) {
            long c = cs[h];
            if (c == 0) {
                ks[h] = key;
                cs[h] = 1;
                sums[h] = value;
                if (++size * 2 > ks.length) {
                    grow();
                }
                return true;
            }
            if (ks[h] == key) {
                long s = sums[h];
                long r = s + value;
                if (((s ^ r) & (value ^ r)) < 0) {
                    return false;
                }
                sums[h] = r;
                cs[h] = c + 1;
                return true;
            }
            h = (h + 1) & mask;
        }
    }

    private void grow() {
        long[] ks = keys;
        long[] cs = counts;
        long[] ss = sums;
        allocate(ks.length * 2);
        for (int i = 0; i < ks.length; i++) {
            if (cs[i] != 0) {
                int h = (int) ((ks[i] * 0x9E3779B97F4A7C15L) >>> shift);
                while (counts[h] != 0) {
                    h = (h + 1) & mask;
                }
                keys[h] = ks[i];
                counts[h] = cs[i];
                sums[h] = ss[i];
            }
        }
    }

    public int size() {
        return size;
    }

    /** Empties the table and keeps its capacity, so a reused table does not allocate again. */
    public void clear() {
        Arrays.fill(counts, 0);
        size = 0;
    }
}
