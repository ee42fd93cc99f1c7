package io.velo.harness.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The references' open-addressing table against a HashMap model, on keys of any shape. */
class LongGroupTableTest {
    @Test
    void countsAndSumsLikeAMapForAnyKeys() {
        SplittableRandom r = new SplittableRandom(1);
        long[] special = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32};
        LongGroupTable t = new LongGroupTable(4);
        Map<Long, long[]> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            long key = i % 10 == 0 ? special[r.nextInt(special.length)] : r.nextLong() >> r.nextInt(64);
            long v = r.nextInt(1000) - 500;
            assertTrue(t.add(key, v));
            long[] m = model.computeIfAbsent(key, k -> new long[2]);
            m[0]++;
            m[1] += v;
        }
        assertEquals(model.size(), t.size());
        int seen = 0;
        for (int h = 0; h < t.counts.length; h++) {
            if (t.counts[h] != 0) {
                long[] m = model.get(t.keys[h]);
                assertEquals(m[0], t.counts[h]);
                assertEquals(m[1], t.sums[h]);
                seen++;
            }
        }
        assertEquals(model.size(), seen);
        t.clear();
        assertEquals(0, t.size());
    }

    @Test
    void anOverflowingSumRejectsTheRecordAndChangesNothing() {
        LongGroupTable t = new LongGroupTable(16);
        assertTrue(t.add(3, Long.MAX_VALUE - 1));
        assertFalse(t.add(3, 2));
        assertTrue(t.add(3, 1));
        for (int h = 0; h < t.counts.length; h++) {
            if (t.counts[h] != 0) {
                assertEquals(2, t.counts[h]);
                assertEquals(Long.MAX_VALUE, t.sums[h]);
            }
        }
    }
}
