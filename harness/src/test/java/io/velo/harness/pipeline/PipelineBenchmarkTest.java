package io.velo.harness.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine-only pipelines compute the same answers as the hand-written loops, and the result file
 * follows the contract. (Throughput is not asserted here: that is the benchmark's job, not a test's.)
 */
class PipelineBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void everyKindAgreesWithItsHandWrittenLoopAndWritesTheContract() throws Exception {
        PipelineBenchmark bench = new PipelineBenchmark(200_000, 4096, 0, 1, new PrintStream(new ByteArrayOutputStream()));
        List<PipelineBenchmark.Result> results = bench.run(Arrays.asList(PipelineKind.values()));
        for (PipelineBenchmark.Result r : results) {
            assertTrue(r.verified(), r.kind() + " disagrees: " + r.rows() + " rows vs " + r.expectedRows());
            assertTrue(r.rows() > 0, r.kind());
        }
        Path out = dir.resolve("p.json");
        PipelineBenchmark.write(results, out, 200_000);
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        for (PipelineKind k : PipelineKind.values()) {
            JsonNode n = root.get("kinds").get(k.id);
            for (String field : List.of("rps", "alloc_bytes_per_record", "handwritten_rps", "ratio", "verified")) {
                assertTrue(n.has(field), k.id + " lacks " + field);
            }
            assertTrue(n.get("verified").asBoolean());
            assertTrue(n.get("rps").asDouble() > 0);
        }
    }

    @Test
    void aWrongAnswerIsDetected() {
        TradeData data = new TradeData(10_000, 1);
        long[] right = PipelineKind.FILTER.handwritten(data);
        data.price[0] = data.price[0] > 1_500_000L ? 1 : 9_000_000L; // flip one record across the filter
        long[] changed = PipelineKind.FILTER.handwritten(data);
        assertTrue(right[0] != changed[0] && right[1] != changed[1]);
        assertEquals(PipelineKind.FILTER, PipelineKind.of("filter"));
    }
}
