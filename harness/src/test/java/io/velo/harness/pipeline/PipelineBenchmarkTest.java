package io.velo.harness.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.harness.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine-only pipelines compute the same answers as the hand-written references, a wrong engine
 * answer fails the command, and the result file follows the contract. (Throughput is not asserted:
 * that is the benchmark's job, not a test's.)
 */
class PipelineBenchmarkTest {
    private static final List<String> CONTRACT = List.of("rps", "rps_min", "rps_max", "cpu_rps", "alloc_bytes_per_record",
            "handwritten_rps", "ratio", "rows", "checksum", "verified");

    @TempDir
    Path dir;

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void everyKindAgreesWithItsReferenceAndWritesTheContract() throws Exception {
        PipelineBenchmark bench = new PipelineBenchmark(100_000, 4096, 1, 3, false, quiet());
        JsonNode root = bench.run(Arrays.asList(PipelineKind.values()), true);
        PipelineBenchmark.write(root, dir.resolve("p.json"));
        root = new ObjectMapper().readTree(dir.resolve("p.json").toFile());
        for (PipelineKind k : PipelineKind.values()) {
            JsonNode n = root.get("kinds").get(k.id);
            for (String field : CONTRACT) {
                assertTrue(n.has(field), k.id + " lacks " + field);
            }
            assertTrue(n.get("verified").asBoolean(), k.id + ": " + n.get("problems"));
            assertTrue(n.get("rows").asLong() > 0, k.id);
            assertEquals(n.get("handwritten_checksum").asLong(), n.get("checksum").asLong(), k.id);
            assertTrue(n.get("rps_min").asDouble() <= n.get("rps").asDouble() && n.get("rps").asDouble() <= n.get("rps_max").asDouble(), k.id);
            assertTrue(n.get("cpu_rps").asDouble() > 0, k.id);
            assertEquals(3, n.get("samples").get("rps").size(), k.id);
            assertEquals(k == PipelineKind.GROUP_BY, n.has("direct_array_rps"), k.id);
        }
        assertEquals(1_000, root.get("kinds").get("group_by").get("rows").asLong());
        assertTrue(PipelineBenchmark.allVerified(root));
    }

    @Test
    void aWrongEngineAnswerIsNotVerifiedAndTheCommandExitsOne() throws Exception {
        Path out = dir.resolve("sabotaged.json");
        int exit = BenchCommand.execute(new String[] {"pipelines", "--in-process", "--sabotage", "--records", "50000",
                "--repetitions", "1", "--warmups", "0", "--out", out.toString()}, quiet(), quiet());
        assertEquals(1, exit);
        JsonNode kinds = new ObjectMapper().readTree(out.toFile()).get("kinds");
        for (PipelineKind k : PipelineKind.values()) {
            assertFalse(kinds.get(k.id).get("verified").asBoolean(), k.id + " was verified though its SQL is wrong");
            assertTrue(kinds.get(k.id).get("problems").get(0).asText().contains("differs from the reference"), k.id);
        }
        // select's wrong SQL keeps every row and changes one value per row: the checksum, not the count, catches it
        assertEquals(50_000, kinds.get("select").get("rows").asLong());
    }

    @Test
    void eachKindRunsInItsOwnJvmAndAWrongAnswerThereFailsTheCommand() throws Exception {
        Path good = dir.resolve("forked.json");
        int exit = BenchCommand.execute(new String[] {"pipelines", "--kinds", "tumbling", "--records", "20000",
                "--repetitions", "2", "--warmups", "1", "--out", good.toString()}, quiet(), quiet());
        assertEquals(0, exit);
        JsonNode root = new ObjectMapper().readTree(good.toFile());
        assertTrue(root.get("forked").asBoolean());
        assertEquals(1, root.get("kinds").size());
        for (JsonNode n : root.get("kinds")) {
            assertTrue(n.get("verified").asBoolean(), n.toString());
            assertTrue(n.get("rps").asDouble() > 0);
        }

        Path bad = dir.resolve("forked-wrong.json");
        exit = BenchCommand.execute(new String[] {"pipelines", "--kinds", "group_by", "--sabotage", "--records", "20000",
                "--repetitions", "1", "--warmups", "0", "--out", bad.toString()}, quiet(), quiet());
        assertEquals(1, exit);
        assertFalse(new ObjectMapper().readTree(bad.toFile()).get("kinds").get("group_by").get("verified").asBoolean());
    }

    @Test
    void badOptionsExitTwo() {
        assertEquals(2, BenchCommand.execute(new String[] {"pipelines", "--kinds", "nope"}, quiet(), quiet()));
        assertEquals(2, BenchCommand.execute(new String[] {"pipelines", "--repetitions", "0"}, quiet(), quiet()));
    }

    /** The generated disorder stays within the allowance: no record is late at any batch size, and the answer is one. */
    @Test
    void theTumblingAnswerDoesNotDependOnTheBatchSize() {
        TradeData data = new TradeData(30_000, 3);
        Long checksum = null;
        for (int batch : new int[] {1, 7, 1024}) {
            JsonNode n = new PipelineBenchmark(data.size, batch, 0, 1, false, quiet()).measure(PipelineKind.TUMBLING, data);
            assertTrue(n.get("verified").asBoolean(), "batch " + batch + ": " + n.get("problems"));
            assertEquals(0, n.get("late").asLong(), "batch " + batch);
            if (checksum == null) {
                checksum = n.get("checksum").asLong();
            }
            assertEquals(checksum, n.get("checksum").asLong(), "batch " + batch);
        }
    }

    /**
     * The tumbling reference handles lateness as the engine does: with disorder beyond the allowance and
     * batches of one record (the engine's watermark then moves per record), both drop the same records.
     */
    @Test
    void theTumblingReferenceDropsTheSameLateRecordsAsTheEngine() {
        TradeData data = new TradeData(20_000, 5, 40);
        Answer ref = new Answer();
        HandWritten.tumbling(data, ref, true);
        assertTrue(ref.late > 100, "the data should make records late: " + ref);
        JsonNode n = new PipelineBenchmark(data.size, 1, 0, 1, false, quiet()).measure(PipelineKind.TUMBLING, data);
        assertTrue(n.get("verified").asBoolean(), String.valueOf(n.get("problems")));
        assertEquals(ref.late, n.get("late").asLong());
    }

    /** Products beyond 64 bits are promoted to BigDecimal by the engine; the reference must do the same. */
    @Test
    void theSelectReferencePromotesOverflowingProductsAsTheEngineDoes() {
        TradeData data = new TradeData(5_000, 9);
        for (int i = 0; i < data.size; i += 97) {
            data.quantity[i] = (i % 2 == 0 ? 1 : -1) * (Long.MAX_VALUE / 1_000_000L + i);
        }
        JsonNode n = new PipelineBenchmark(data.size, 1024, 0, 1, false, quiet()).measure(PipelineKind.SELECT, data);
        assertTrue(n.get("verified").asBoolean(), String.valueOf(n.get("problems")));
    }

    @Test
    void aGroupSumThatWouldOverflowFailsItsRecordInBothReferences() {
        TradeData data = new TradeData(1_000, 11);
        data.account[10] = 7;
        data.quantity[10] = Long.MAX_VALUE;
        data.account[11] = 7;
        data.quantity[11] = 5;
        Answer open = new Answer();
        HandWritten.groupBy(data, open, true);
        Answer direct = new Answer();
        HandWritten.groupByDirectArray(data, direct, true);
        assertTrue(open.failed >= 1, open.toString());
        assertTrue(open.sameFull(direct), open + " vs " + direct);
    }
}
