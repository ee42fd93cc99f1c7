package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An interval join over keys that each occur once (order ids): the key table is rebuilt many times as
 * keys leave the state, and no match may be lost across a rebuild. Two in-memory streams, pushed in
 * time order; the expected pairs are counted from the definition.
 */
class IntervalJoinManyKeysTest {
    private static final Schema ORDERS = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("ts", DataType.TIMESTAMP)));
    private static final Schema FILLS = new Schema(List.of(new Field("oid", DataType.BIGINT), new Field("fts", DataType.TIMESTAMP)));

    @Test
    void noMatchIsLostWhenTheKeyTableIsRebuilt() {
        int n = 60_000;
        int batch = 500;
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .planInMemoryJoin("SELECT o.id, f.fts FROM orders o JOIN fills f ON o.id = f.oid AND f.fts BETWEEN o.ts AND o.ts + INTERVAL '1' SECOND",
                        "orders", ORDERS, "fills", FILLS, sink);
        TwoInputOperator join = (TwoInputOperator) plan.pipeline();
        // order i at i ms; its fill (every other order) at i + (i * 37 % 1400) ms: matched when the delay is at most 1000
        long[] fillTime = new long[n];
        Set<Long> want = new HashSet<>();
        for (int i = 0; i < n; i++) {
            fillTime[i] = i % 2 == 0 ? i + (i * 37L % 1400) : -1;
            if (fillTime[i] >= 0 && fillTime[i] - i <= 1000) {
                want.add((long) i);
            }
        }
        // fills in time order
        long[] fills = java.util.stream.IntStream.range(0, n).filter(i -> fillTime[i] >= 0).mapToLong(i -> i)
                .boxed().sorted((a, b) -> Long.compare(fillTime[(int) (long) a], fillTime[(int) (long) b])).mapToLong(Long::longValue).toArray();
        int i = 0;
        int j = 0;
        while (i < n || j < fills.length) {
            boolean left = j == fills.length || (i < n && i <= fillTime[(int) fills[j]]);
            RecordBatch b = new RecordBatch(left ? ORDERS : FILLS, batch, null);
            for (int r = 0; r < batch && (left ? i < n : j < fills.length); r++) {
                long id = left ? i++ : fills[j++];
                b.columns[0].setLong(r, id);
                b.columns[1].setLong(r, left ? id : fillTime[(int) id]);
                b.size++;
            }
            join.push(left ? TwoInputOperator.LEFT : TwoInputOperator.RIGHT, b);
        }
        join.finish();
        Set<Long> got = new HashSet<>();
        for (List<Object> row : sink.rows) {
            assertTrue(got.add((Long) row.get(0)), "one match per order: " + row);
        }
        assertTrue(want.size() > 20_000);
        assertEquals(want, got);
    }
}
