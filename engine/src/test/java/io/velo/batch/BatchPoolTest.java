package io.velo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchPoolTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("s", DataType.STRING),
            new Field("d", DataType.decimal(10, 2))));

    @Test
    void theTestSuiteRunsWithPoisoning() {
        assertTrue(BatchPool.POISON_BY_DEFAULT, "surefire sets -Dvelo.batch.poison=true so every test catches a use after release");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDoubleReleaseIsAnErrorAndNeverHandsOneBatchToTwoUsers(boolean poison) {
        BatchPool pool = new BatchPool(SCHEMA, 8, 4, poison);
        RecordBatch b = pool.acquire();
        b.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, b::release);
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        RecordBatch x = pool.acquire();
        RecordBatch y = pool.acquire();
        assertNotSame(x, y);
        x.release();
        y.release();
    }

    @Test
    void withoutPoisoningReleasedBatchesAreReusedAndStillCheckedWhenThePoolIsFull() {
        BatchPool pool = new BatchPool(SCHEMA, 8, 1, false);
        RecordBatch a = pool.acquire();
        RecordBatch b = pool.acquire();
        a.release();
        b.release(); // the pool is full: dropped, but still known as released
        assertThrows(IllegalStateException.class, b::release);
        assertSame(a, pool.acquire());
        assertEquals(1, pool.hits());
        a.release(); // released, reacquired, released: legal
    }

    @Test
    void aPoisonedBatchFailsLoudlyWhenUsedAfterRelease() {
        BatchPool pool = new BatchPool(SCHEMA, 8, 4, true);
        RecordBatch b = pool.acquire();
        b.columns[0].setLong(0, 42);
        b.columns[1].setObject(0, "kept by mistake");
        b.columns[2].setDecimal(0, 150, 2);
        b.size = 1;
        RecordBatch view = RecordBatch.view(SCHEMA);
        view.showColumns(b, new int[] {0, 1, 2});
        b.release();
        assertThrows(NullPointerException.class, () -> b.columns[0].isNull(0));
        assertThrows(NullPointerException.class, () -> b.offset[0]++);
        // a view still reaching the released columns reads poison, never the old (or another user's) rows
        assertThrows(ClassCastException.class, () -> ((String) view.columns[1].objects[0]).length());
        assertThrows(IllegalStateException.class, () -> String.valueOf(view.raw[0]));
        assertEquals(RecordBatch.POISON_LONG, view.columns[0].longs[0]);
        assertThrows(IllegalStateException.class, () -> new StringBuilder().append(view.key[0]));
        assertNotSame(b, pool.acquire(), "a poisoned batch is never handed out again");
    }
}
