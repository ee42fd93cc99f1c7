package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.harness.pipeline.LongGroupTable;
import org.junit.jupiter.api.Test;

/**
 * The engine's aggregation and the hand-written tables agree: the same groups with the same counts
 * and sums after the same batches, and — for the tumbling window — the same rows emitted as windows
 * close and when the input ends. Pushing the ring's batches again must still agree (the engine must
 * not change the batches it is given).
 */
class AggregationBenchmarkTest {
    private static AggregationBenchmark bench() {
        AggregationBenchmark b = new AggregationBenchmark();
        b.keys = 10_000;
        b.setup();
        return b;
    }

    /** rows and fold of a table's groups, as the fold sink folds (key, count, sum). */
    private static long[] fold(LongGroupTable t) {
        long rows = 0;
        long fold = 0;
        for (int h = 0; h < t.counts.length; h++) {
            if (t.counts[h] != 0) {
                rows++;
                fold += AggregationBenchmark.FoldSink.rowHash(AggregationBenchmark.FoldSink.rowHash(
                        AggregationBenchmark.FoldSink.rowHash(1, t.keys[h]), t.counts[h]), t.sums[h]);
            }
        }
        return new long[] {rows, fold};
    }

    @Test
    void groupByAgreesWithTheHandWrittenTable() {
        AggregationBenchmark b = bench();
        int calls = AggregationBenchmark.RING * 2 + 3;
        for (int i = 0; i < calls; i++) {
            b.groupByEngine();
        }
        b.next = 0;
        for (int i = 0; i < calls; i++) {
            b.groupByHandWritten();
        }
        assertEquals(0, b.groupBySink.rows, "EMIT FINAL emits nothing before the input ends");
        b.groupBy.finish();
        long[] want = fold(b.table);
        assertTrue(want[0] > 7_500, "about 80% of the 10,000 keys appear in the 16,384 records: " + want[0]);
        assertEquals(want[0], b.groupBySink.rows, "groups");
        assertEquals(want[1], b.groupBySink.fold, "fold over key, count, sum");
        assertEquals(0, b.failed);
        long records = 0;
        for (int h = 0; h < b.table.counts.length; h++) {
            records += b.table.counts[h];
        }
        assertEquals((long) calls * AggregationBenchmark.N, records);
    }

    @Test
    void tumblingAgreesWithTheHandWrittenWindows() {
        AggregationBenchmark b = bench();
        int calls = 60; // 61,440 records, about six windows
        for (int i = 0; i < calls; i++) {
            b.tumblingEngine();
        }
        b.next = 0;
        for (int i = 0; i < calls; i++) {
            b.tumblingHandWritten();
        }
        assertTrue(b.referenceRows > 4 * 6_000, "closed windows emitted rows: " + b.referenceRows);
        assertEquals(b.referenceRows, b.tumblingSink.rows, "rows emitted as windows closed");
        assertEquals(b.referenceFold, b.tumblingSink.fold, "fold over key, count, sum, window start");
        b.tumbling.finish();
        b.closeWindow();
        assertEquals(b.referenceRows, b.tumblingSink.rows, "rows once the input ended");
        assertEquals(b.referenceFold, b.tumblingSink.fold);
        assertEquals(0, b.referenceLate);
        assertEquals(0, b.failed);
    }
}
