package io.velo.harness.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.harness.cli.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench kafka} on the embedded broker: both sides verified and the result file follows the
 * contract; a sabotaged engine side comes out unverified with exit 1. (Throughput is not asserted.)
 */
class KafkaBenchmarkTest {
    private static final List<String> CONTRACT = List.of("records", "raw_pipe_rps", "engine_rps", "ratio",
            "engine_alloc_bytes_per_record", "verified");

    @TempDir
    Path dir;

    @Test
    void bothSidesAreVerifiedAndTheResultFollowsTheContract() throws Exception {
        Path out = dir.resolve("kafka.json");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = BenchCommand.execute(new String[] {"kafka", "--records", "20000", "--out", out.toString()},
                new PrintStream(stdout, true), new PrintStream(stderr, true));
        assertEquals(0, exit, stderr.toString(StandardCharsets.UTF_8));
        JsonNode r = new ObjectMapper().readTree(out.toFile());
        for (String field : CONTRACT) {
            assertTrue(r.has(field), "lacks " + field + ": " + r);
        }
        assertTrue(r.get("verified").asBoolean(), String.valueOf(r.get("problems")));
        assertEquals(20_000, r.get("records").asLong());
        assertTrue(r.get("raw_pipe_rps").asDouble() > 0 && r.get("engine_rps").asDouble() > 0, r.toString());
        assertEquals(r.get("engine_rps").asDouble() / r.get("raw_pipe_rps").asDouble(), r.get("ratio").asDouble(), 0.01);
        assertTrue(r.get("engine_alloc_bytes_per_record").asDouble() > 0, "the engine JVM allocates something per record");
        assertEquals(20_000, r.get("raw_pipe_records_out").asLong());
        long expected = r.get("expected_records_out").asLong();
        assertTrue(expected > 15_000 && expected < 20_000, "about 90% pass quantity > 100: " + expected);
        assertEquals(expected, r.get("engine_records_out").asLong());
        // the raw pipe used the engine's suggested settings, and the result says which
        assertTrue(r.get("client_settings").get("producer").get("linger.ms").asText().contains("suggested by"), r.toString());
        assertTrue(r.get("client_settings").get("consumer").has("max.poll.records"), r.toString());
        // the same JSON goes to standard output
        assertEquals(r.get("records"), new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8)).get("records"));
    }

    @Test
    void anEngineThatDropsOneRecordIsNotVerifiedAndExitsOne() throws Exception {
        Path out = dir.resolve("sabotaged.json");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = BenchCommand.execute(new String[] {"kafka", "--records", "5000", "--sabotage", "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true));
        assertEquals(1, exit, stderr.toString(StandardCharsets.UTF_8));
        JsonNode r = new ObjectMapper().readTree(out.toFile());
        assertFalse(r.get("verified").asBoolean());
        assertEquals(r.get("expected_records_out").asLong() - 1, r.get("engine_records_out").asLong());
        assertTrue(r.get("problems").get(0).asText().contains("the engine's output"), r.toString());
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("NOT VERIFIED"));
    }

    @Test
    void badOptionsExitTwo() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, BenchCommand.execute(new String[] {"kafka", "--records", "0"}, quiet, quiet));
        assertEquals(2, BenchCommand.execute(new String[] {"kafka", "--kafka", "no port"}, quiet, quiet));
    }

    @Test
    void aBrokerThatDoesNotAnswerIsAnErrorWithoutFigures() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = BenchCommand.execute(new String[] {"kafka", "--records", "10", "--kafka", "127.0.0.1:1", "--out",
                dir.resolve("none.json").toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true));
        assertEquals(1, exit);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("velo bench kafka: error:"), stderr.toString(StandardCharsets.UTF_8));
        assertFalse(dir.resolve("none.json").toFile().exists());
    }

    @Test
    void theExpectedOutputIsTheQueryAppliedToEachTrade() {
        TradeMessages t = new TradeMessages(1);
        for (int i = 0; i < 1000; i++) {
            String in = new String(t.next(), StandardCharsets.UTF_8);
            assertTrue(in.matches("\\{\"trade_id\":\\d+,\"symbol\":\"[A-Z]+\",\"price\":\"\\d+\\.\\d{4}\",\"quantity\":\\d+,"
                    + "\"side\":\"(BUY|SELL)\",\"event_time\":\\d+}"), in);
            if (t.selected()) {
                String outMsg = new String(t.expectedOutput(), StandardCharsets.UTF_8);
                java.math.BigDecimal price = new java.math.BigDecimal(in.replaceAll(".*\"price\":\"([0-9.]+)\".*", "$1"));
                long qty = Long.parseLong(in.replaceAll(".*\"quantity\":(\\d+),.*", "$1"));
                assertTrue(qty > 100);
                assertTrue(outMsg.endsWith(",\"notional\":\"" + price.multiply(java.math.BigDecimal.valueOf(qty)).toPlainString() + "\"}"), outMsg);
            }
        }
    }
}
