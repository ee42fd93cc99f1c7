package io.velo.harness.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.batch.RecordBatch;
import io.velo.harness.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed kinds (1M BIGINT keys, a DECIMAL key), the retained-state figures, the prebuilt input
 * batches, the fill figure, the meter and the one-JVM-vs-forked comparison.
 */
class PipelineKeyedKindsTest {
    private static final List<PipelineKind> KEYED = List.of(PipelineKind.GROUP_BY_1M, PipelineKind.GROUP_BY_DECIMAL);

    @TempDir
    Path dir;

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void theKeyedKindsAgreeWithTheirReferencesAndReportTheirState() {
        TradeData data = new TradeData(60_000, 7, true);
        PipelineBenchmark bench = new PipelineBenchmark(data.size, 1024, 0, 1, false, quiet());
        for (PipelineKind k : KEYED) {
            JsonNode n = bench.measure(k, data);
            assertTrue(n.get("verified").asBoolean(), k.id + ": " + n.get("problems"));
            assertEquals(n.get("handwritten_checksum").asLong(), n.get("checksum").asLong(), k.id);
            assertEquals(k == PipelineKind.GROUP_BY_1M ? 60_000 : TradeData.LIMIT_PRICES, n.get("rows").asLong(), k.id);
            assertTrue(n.get("fill_rps").asDouble() > 0, k.id);
            for (String side : new String[] {"", "handwritten_"}) {
                assertTrue(n.get(side + "state_bytes").asLong() > 0, k.id + " " + side + n);
                assertEquals(n.get("rows").asLong(), n.get(side + "state_keys").asLong(), k.id);
                assertEquals(n.get(side + "state_bytes").asDouble() / n.get("rows").asLong(),
                        n.get(side + "state_bytes_per_key").asDouble(), 0.01, k.id);
                assertEquals(PipelineBenchmark.STATE_MEASUREMENTS, n.get("samples").get(side + "state_bytes").size(), k.id);
            }
        }
    }

    /** 60,000 keys in an open-addressing table of longs take at least 24 bytes each on either side. */
    @Test
    void theManyKeyStateIsAtLeastItsKeysAndSums() {
        TradeData data = new TradeData(60_000, 8, true);
        JsonNode n = new PipelineBenchmark(data.size, 1024, 0, 1, false, quiet()).measure(PipelineKind.GROUP_BY_1M, data);
        assertTrue(n.get("handwritten_state_bytes_per_key").asDouble() >= 24, n.toString());
        assertTrue(n.get("state_bytes_per_key").asDouble() >= 16, n.toString());
        assertTrue(n.get("state_bytes").asLong() >= 60_000L * 16, n.toString());
    }

    @Test
    void theStatefulKindsReportStateAndTheOthersDoNot() {
        TradeData data = new TradeData(30_000, 9);
        PipelineBenchmark bench = new PipelineBenchmark(data.size, 1024, 0, 1, false, quiet());
        JsonNode tumbling = bench.measure(PipelineKind.TUMBLING, data);
        assertTrue(tumbling.get("state_bytes").asLong() > 0, tumbling.toString());
        assertTrue(tumbling.get("handwritten_state_bytes").asLong() > 0, tumbling.toString());
        assertFalse(tumbling.has("state_bytes_per_key"));
        JsonNode groupBy = bench.measure(PipelineKind.GROUP_BY, data);
        assertEquals(1_000, groupBy.get("state_keys").asLong());
        JsonNode filter = bench.measure(PipelineKind.FILTER, data);
        assertFalse(filter.has("state_bytes"));
        assertTrue(filter.get("fill_rps").asDouble() > 0);
    }

    @Test
    void aWrongEngineAnswerMakesTheKeyedKindsUnverified() {
        TradeData data = new TradeData(40_000, 10, true);
        PipelineBenchmark bench = new PipelineBenchmark(data.size, 1024, 0, 1, true, quiet());
        for (PipelineKind k : KEYED) {
            JsonNode n = bench.measure(k, data);
            assertFalse(n.get("verified").asBoolean(), k.id + " was verified though its SQL is wrong");
            assertTrue(n.get("problems").get(0).asText().contains("differs from the reference"), k.id);
        }
    }

    /** The DECIMAL-keyed reference (keyed by unscaled long) against a model keyed by BigDecimal value. */
    @Test
    void theDecimalKeyedReferenceMatchesABigDecimalModel() {
        TradeData data = new TradeData(50_000, 12, true);
        Map<BigDecimal, long[]> model = new HashMap<>();
        for (int i = 0; i < data.size; i++) {
            BigDecimal key = BigDecimal.valueOf(data.limitPrice[i], TradeData.LIMIT_PRICE_SCALE).stripTrailingZeros();
            key = key.scale() < 0 ? key.setScale(0) : key;
            long[] m = model.computeIfAbsent(key, x -> new long[2]);
            m[0]++;
            m[1] += data.quantity[i];
        }
        long checksum = 0;
        long fold = 0;
        for (Map.Entry<BigDecimal, long[]> e : model.entrySet()) {
            BigDecimal k = e.getKey();
            checksum += CountingSink.rowHash(CountingSink.decimalHash(k.unscaledValue().longValueExact(), k.scale(), null),
                    e.getValue()[0], e.getValue()[1]);
            fold += e.getValue()[1];
        }
        Answer a = new Answer();
        HandWritten.groupByDecimal(data, a, true, null);
        assertEquals(model.size(), a.rows);
        assertEquals(TradeData.LIMIT_PRICES, a.rows);
        assertEquals(fold, a.fold);
        assertEquals(checksum, a.checksum);
        // values with trailing zeros at the column's scale are among the keys (the engine strips them)
        assertTrue(model.keySet().stream().anyMatch(b -> b.scale() < TradeData.LIMIT_PRICE_SCALE));
    }

    /** Each block of CUSTOMERS records visits every key once: a run that long has exactly 1M groups. */
    @Test
    void theCustomerColumnHasAMillionDistinctSpreadKeys() {
        TradeData data = new TradeData(TradeData.CUSTOMERS + 200_000, 13, true);
        LongGroupTable first = new LongGroupTable(TradeData.CUSTOMERS);
        for (int i = 0; i < TradeData.CUSTOMERS; i++) {
            first.add(data.customer[i], 1);
        }
        assertEquals(TradeData.CUSTOMERS, first.size());
        LongGroupTable all = new LongGroupTable(TradeData.CUSTOMERS);
        long negative = 0;
        for (int i = 0; i < data.size; i++) {
            all.add(data.customer[i], 1);
            negative += data.customer[i] < 0 ? 1 : 0;
        }
        assertEquals(TradeData.CUSTOMERS, all.size());
        assertTrue(negative > data.size / 3 && negative < data.size * 2 / 3, "keys spread over the long range: " + negative);
        // the base columns are the base shape's
        TradeData base = new TradeData(TradeData.CUSTOMERS + 200_000, 13);
        assertArrayEquals(base.quantity, data.quantity);
        assertArrayEquals(base.ts, data.ts);
        assertNull(base.customer);
    }

    /** Every kind reads the same prebuilt batches; afterwards they still hold the data, with no selection left. */
    @Test
    void theSharedInputBatchesAreNotChangedByAnyKind() {
        TradeData data = new TradeData(20_000, 14, true);
        PipelineBenchmark bench = new PipelineBenchmark(data.size, 1000, 0, 2, false, quiet());
        for (PipelineKind k : PipelineKind.values()) {
            JsonNode n = bench.measure(k, data);
            assertTrue(n.get("verified").asBoolean(), k.id + ": " + n.get("problems"));
        }
        RecordBatch[] batches = data.batches(1000);
        assertEquals(20, batches.length);
        for (int i = 0; i < batches.length; i++) {
            RecordBatch b = batches[i];
            assertNull(b.sel);
            assertEquals(1000, b.size);
            int from = i * 1000;
            assertArrayEquals(Arrays.copyOfRange(data.quantity, from, from + 1000), Arrays.copyOf(b.columns[3].longs, 1000));
            assertArrayEquals(Arrays.copyOfRange(data.customer, from, from + 1000), Arrays.copyOf(b.columns[6].longs, 1000));
            assertArrayEquals(Arrays.copyOfRange(data.limitPrice, from, from + 1000), Arrays.copyOf(b.columns[7].longs, 1000));
            assertArrayEquals(Arrays.copyOfRange(data.ts, from, from + 1000), Arrays.copyOf(b.eventTime, 1000));
            for (int r = 0; r < 1000; r++) {
                assertEquals(TradeData.LIMIT_PRICE_SCALE, b.columns[7].scales[r]);
            }
        }
    }

    @Test
    void withoutARecordCountEachKindRunsItsDefault() {
        PipelineBenchmark defaults = new PipelineBenchmark(0, 1024, 0, 1, false, quiet());
        assertEquals(2 * TradeData.CUSTOMERS, defaults.recordsFor(PipelineKind.GROUP_BY_1M));
        assertEquals(PipelineKind.DEFAULT_RECORDS, defaults.recordsFor(PipelineKind.GROUP_BY_DECIMAL));
        assertEquals(PipelineKind.DEFAULT_RECORDS, defaults.recordsFor(PipelineKind.SELECT));
        PipelineBenchmark given = new PipelineBenchmark(30_000, 1024, 0, 1, false, quiet());
        for (PipelineKind k : PipelineKind.values()) {
            assertEquals(30_000, given.recordsFor(k), k.id);
        }
    }

    @Test
    void aKeyedKindNeedsTheKeyedShape() {
        PipelineBenchmark bench = new PipelineBenchmark(1000, 1024, 0, 1, false, quiet());
        TradeData base = new TradeData(1000, 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> bench.measure(PipelineKind.GROUP_BY_1M, base));
    }

    /** The settled heap sees what is allocated and held between two readings. */
    @Test
    void theSettledHeapSeesHeldArrays() {
        long before = PipelineBenchmark.settledHeap();
        long[][] held = new long[64][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new long[16_384]; // 128 KiB each, below any humongous threshold
        }
        long after = PipelineBenchmark.settledHeap();
        Reference.reachabilityFence(held);
        long expected = 64L * (16_384 * 8 + 16);
        assertTrue(before > 0, "explicit GC must run for this test");
        assertEquals(expected, after - before, expected * 0.05, "measured " + (after - before));
    }

    @Test
    void theMeterCountsTheThreadsItIsGiven() throws Exception {
        Object[] sink = new Object[1];
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch exit = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                started.countDown();
                go.await();
                for (int i = 0; i < 100; i++) {
                    sink[0] = new byte[100_000];
                }
                done.countDown();
                exit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        started.await();
        Meter both = Meter.threads(Thread.currentThread().getId(), worker.getId());
        Meter self = Meter.currentThread();
        both.start();
        self.start();
        go.countDown();
        done.await();
        self.stop();
        both.stop();
        exit.countDown();
        worker.join();
        assertTrue(both.allocatedBytes >= 100 * 100_000L, "both: " + both.allocatedBytes);
        assertTrue(self.allocatedBytes < 100_000L, "self: " + self.allocatedBytes);
        assertTrue(both.wallNanos > 0 && both.cpuNanos >= 0);
    }

    @Test
    void compareModesRunsEachKindBothWaysAndReportsTheRatio() throws Exception {
        Path out = dir.resolve("modes.json");
        int exit = BenchCommand.execute(new String[] {"pipelines", "--compare-modes", "--kinds", "filter,group_by_decimal",
                "--records", "20000", "--repetitions", "1", "--warmups", "0", "--out", out.toString()}, quiet(), quiet());
        assertEquals(0, exit);
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertTrue(root.get("forked").asBoolean());
        assertEquals(PipelineBenchmark.MODES_TOLERANCE, root.get("modes_tolerance").asDouble());
        assertTrue(root.get("modes_agree").isBoolean());
        for (String k : new String[] {"filter", "group_by_decimal"}) {
            JsonNode forked = root.get("kinds").get(k);
            JsonNode inProcess = root.get("in_process").get(k);
            JsonNode cmp = root.get("compare_modes").get(k);
            assertTrue(forked.get("verified").asBoolean(), k);
            assertEquals(20_000, forked.get("records").asLong(), k);
            assertTrue(inProcess.get("verified").asBoolean(), k);
            assertEquals(forked.get("checksum").asLong(), inProcess.get("checksum").asLong(), k);
            assertEquals(forked.get("rps").asDouble(), cmp.get("forked_rps").asDouble(), 0.1, k);
            assertEquals(inProcess.get("rps").asDouble(), cmp.get("in_process_rps").asDouble(), 0.1, k);
            double ratio = cmp.get("in_process_rps").asDouble() / cmp.get("forked_rps").asDouble();
            assertEquals(ratio, cmp.get("ratio").asDouble(), 1e-3, k);
            assertEquals(Math.abs(ratio - 1) <= PipelineBenchmark.MODES_TOLERANCE, cmp.get("agree").asBoolean(), k);
            assertEquals(cmp.get("ratio").asDouble(), forked.get("in_process_ratio").asDouble(), k);
            assertEquals(cmp.get("agree").asBoolean(), forked.get("modes_agree").asBoolean(), k);
            assertEquals(inProcess.get("cpu_rps").asDouble() / forked.get("cpu_rps").asDouble(), cmp.get("cpu_ratio").asDouble(), 1e-3, k);
            assertTrue(cmp.get("cpu_agree").isBoolean(), k);
        }
        assertEquals(2, BenchCommand.execute(new String[] {"pipelines", "--compare-modes", "--in-process"}, quiet(), quiet()));
    }

    /** allVerified looks at the in-process results of a comparison too. */
    @Test
    void anUnverifiedInProcessResultFailsTheRun() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode ok = m.readTree("{\"kinds\": {\"a\": {\"verified\": true}}, \"in_process\": {\"a\": {\"verified\": true}}}");
        JsonNode bad = m.readTree("{\"kinds\": {\"a\": {\"verified\": true}}, \"in_process\": {\"a\": {\"verified\": false}}}");
        assertTrue(PipelineBenchmark.allVerified(ok));
        assertFalse(PipelineBenchmark.allVerified(bad));
    }
}
