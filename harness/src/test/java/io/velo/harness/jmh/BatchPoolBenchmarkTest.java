package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.velo.batch.RecordBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The pooled path reuses one batch and fills it with the trades; the fresh path fills a new batch each time. */
class BatchPoolBenchmarkTest {
    private static final Blackhole BH = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private static BatchPoolBenchmark bench() {
        BatchPoolBenchmark b = new BatchPoolBenchmark();
        b.capacity = 1024;
        b.setup();
        return b;
    }

    private static void assertHoldsTheTrades(BatchPoolBenchmark b, RecordBatch batch) {
        assertEquals(b.capacity, batch.size);
        for (int i = 0; i < b.capacity; i++) {
            assertEquals(b.data.id[i], batch.columns[0].longs[i]);
            assertEquals(b.data.account[i], batch.columns[1].longs[i]);
            assertEquals(b.data.price[i], batch.columns[2].longs[i]);
            assertEquals(4, batch.columns[2].scales[i]);
            assertEquals(b.data.quantity[i], batch.columns[3].longs[i]);
            assertSame(b.data.side[i], batch.columns[4].objects[i]);
            assertEquals(b.data.ts[i], batch.columns[5].longs[i]);
        }
    }

    @Test
    void pooledReusesOneBatchAndLeavesItReset() {
        BatchPoolBenchmark b = bench();
        List<RecordBatch> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordBatch batch = b.pool.acquire();
            seen.add(batch);
            batch.release();
            b.pooled(BH);
        }
        for (RecordBatch s : seen) {
            assertSame(seen.get(0), s, "the pool hands out the same batch");
        }
        assertEquals(1, b.pool.misses(), "one batch allocated in all");
        assertEquals(9, b.pool.hits());
        RecordBatch batch = seen.get(0);
        assertEquals(0, batch.size, "released batches are reset");
        assertNull(batch.columns[4].objects[0], "no string kept alive by the pool");

        // what pooled() fills is the trades: fill the pooled batch the same way and look
        RecordBatch filled = b.pool.acquire();
        b.data.fill(filled, 0, b.capacity);
        assertHoldsTheTrades(b, filled);
        filled.release();
        b.acquireRelease(BH);
        assertEquals(1, b.pool.misses());
    }

    @Test
    void freshAllocatesANewFilledBatchEachTime() {
        BatchPoolBenchmark b = bench();
        RecordBatch first = b.fresh();
        RecordBatch second = b.fresh();
        assertNotSame(first, second);
        assertNotSame(first.columns[0].longs, second.columns[0].longs);
        assertHoldsTheTrades(b, first);
        assertHoldsTheTrades(b, second);
    }
}
