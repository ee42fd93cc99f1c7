package io.velo.exec.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchGroupsTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("d", DataType.DECIMAL), new Field("s", DataType.STRING)));

    private static RecordBatch batch(int n) {
        return new RecordBatch(SCHEMA, n, null);
    }

    private static BatchGroups table() {
        return BatchGroups.create(new DataType[] {DataType.DECIMAL, DataType.STRING});
    }

    /** One row looked up the way EMIT CHANGES does; {@code isNew[0]} tells whether it made a group. */
    private static int findOrInsert(BatchGroups t, RecordBatch b, int row, boolean[] isNew) {
        int before = t.size();
        int[] gid = new int[1];
        t.assign(b.columns, new int[] {row}, 1, gid);
        isNew[0] = t.size() > before;
        return gid[0];
    }

    @Test
    void decimalKeysGroupByValueNotBySpelling() {
        RecordBatch b = batch(4);
        b.columns[0].setDecimal(0, 150, 2);   // 1.50
        b.columns[0].setDecimal(1, 15, 1);    // 1.5
        b.columns[0].setDecimal(2, -15, 1);   // -1.5
        b.columns[0].setNull(3);
        for (int i = 0; i < 4; i++) {
            b.columns[1].setObject(i, "k");
        }
        b.size = 4;
        BatchGroups t = table();
        boolean[] isNew = new boolean[1];
        int g0 = findOrInsert(t, b, 0, isNew);
        assertTrue(isNew[0]);
        assertEquals(g0, findOrInsert(t, b, 1, isNew));
        assertFalse(isNew[0]);
        int g2 = findOrInsert(t, b, 2, isNew);
        assertTrue(isNew[0]);
        int g3 = findOrInsert(t, b, 3, isNew);
        assertTrue(isNew[0], "NULL is a group of its own");
        assertEquals(g3, findOrInsert(t, b, 3, isNew));
        assertEquals(3, t.size());
        assertTrue(g0 != g2);
        // the key is written back with the scale it was first seen with
        Column out = new Column(DataType.DECIMAL, 1);
        Dec d = new Dec();
        t.writeKey(0, g0, out, 0, d);
        out.getDecimal(0, d);
        assertEquals("1.50", d.toString());
    }

    @Test
    void growsToManyGroupsAndFindsEachAgain() {
        int n = 100_000;
        RecordBatch b = batch(n);
        for (int i = 0; i < n; i++) {
            b.columns[0].setDecimal(i, i % 1000, 2);
            b.columns[1].setObject(i, "s" + (i / 1000));
        }
        b.size = n;
        BatchGroups t = table();
        boolean[] isNew = new boolean[1];
        for (int i = 0; i < n; i++) {
            assertEquals(i, findOrInsert(t, b, i, isNew));
            assertTrue(isNew[0]);
        }
        for (int i = n - 1; i >= 0; i--) {
            assertEquals(i, findOrInsert(t, b, i, isNew));
            assertFalse(isNew[0]);
        }
        t.clear();
        assertEquals(0, t.size());
        assertEquals(0, findOrInsert(t, b, 5, isNew));
    }

    @Test
    void approximateDistinctCountIsWithinTwoStandardErrors() {
        DistinctAggregators.ApproxCountDistinct hll = new DistinctAggregators.ApproxCountDistinct();
        hll.ensure(1);
        hll.reset(0);
        Aggregator.Slot arg = new Aggregator.Slot(DataType.BIGINT);
        int distinct = 200_000;
        for (int rep = 0; rep < 2; rep++) {
            for (int i = 0; i < distinct; i++) {
                arg.isNull = false;
                arg.l = i * 7919L;
                hll.add(0, arg);
            }
        }
        Aggregator.Slot out = new Aggregator.Slot(DataType.BIGINT);
        hll.result(0, out);
        double error = Math.abs(out.l - distinct) / (double) distinct;
        assertTrue(error < 0.033, "HLL estimate " + out.l + " for " + distinct + " (error " + error + ")");
    }
}
