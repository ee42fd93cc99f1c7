package io.velo.harness.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.velo.connector.kafka.KafkaBrokers;
import io.velo.harness.kafka.TradeMessages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peer comparison on the embedded broker: both queries verified on both sides, and a Kafka
 * Streams side that drops one trade comes out unverified. (Throughput is not asserted.)
 */
class PeerComparisonTest {
    private static final List<String> FIELDS = List.of("velo_rps", "peer_rps", "ratio", "velo_rps_min", "velo_rps_max", "peer_rps_min",
            "peer_rps_max", "velo_cpu_ns_per_record", "peer_cpu_ns_per_record", "velo_alloc_bytes_per_record",
            "peer_alloc_bytes_per_record", "velo_startup_ms", "peer_startup_ms", "verified", "problems");
    private static KafkaBrokers.Broker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBrokers.open("embedded");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void bothQueriesAreVerifiedOnBothSides() {
        JsonNode r = PeerComparison.run(broker.bootstrapServers(), 20_000, 1, null);
        assertEquals(20_000, r.get("records").asLong());
        assertEquals("Kafka Streams 4.1.1", r.get("peer").asText());
        long input = r.get("input_records").asLong();
        for (String query : List.of("filter_projection", "tumbling_count")) {
            JsonNode q = r.get(query);
            for (String f : FIELDS) {
                assertTrue(q.has(f), query + " lacks " + f + ": " + q);
            }
            assertTrue(q.get("verified").asBoolean(), query + ": " + q.get("problems"));
            assertEquals(0, q.get("problems").size());
            assertTrue(q.get("velo_rps").asDouble() > 0 && q.get("peer_rps").asDouble() > 0, q.toString());
            assertEquals(q.get("velo_rps").asDouble() / q.get("peer_rps").asDouble(), q.get("ratio").asDouble(), 0.01);
            assertTrue(q.get("velo_alloc_bytes_per_record").asDouble() > 0 && q.get("peer_alloc_bytes_per_record").asDouble() > 0);
            assertTrue(q.get("velo_startup_ms").asDouble() > 0 && q.get("peer_startup_ms").asDouble() > 0);
            JsonNode run = q.get("runs").get(0);
            // warm: the first 20% of the trades are the warm-up, the rest (from a batch boundary on Velo's side) is measured
            assertEquals(input - 4_000, run.get("peer_measured_records").asLong());
            long velo = run.get("velo_measured_records").asLong();
            assertTrue(velo > input - 4_000 - 10_000 && velo <= input - 4_000, "Velo measured " + velo + " of " + input);
        }
        assertEquals(4_000, r.get("warmup_records").asLong());
        // the closing tail: the clock runs on until the last trade's window ended the grace (60 s) before
        assertEquals(20_000 + 62_000, input);
        // 20 s of event time over 8 symbols: every (symbol, second) has trades, and the 21st second one trade
        assertEquals(8 * 20 + 1, r.get("expected_windows").asLong());
        assertEquals("2", r.get("settings").get("kafka_streams").get("filter_projection").get("num.stream.threads").asText());
        assertEquals("1", r.get("settings").get("kafka_streams").get("tumbling_count").get("num.stream.threads").asText());
        assertTrue(r.get("settings").get("velo").get("filter_projection").get("producer").has("linger.ms"), r.get("settings").toString());
    }

    @Test
    void aStreamsSideThatDropsOneTradeIsNotVerified() {
        JsonNode r = PeerComparison.run(broker.bootstrapServers(), 5_000, 1, null,
                new PeerComparison.Options(Map.of(), true, "suppress"));
        for (String query : List.of("filter_projection", "tumbling_count")) {
            JsonNode q = r.get(query);
            assertFalse(q.get("verified").asBoolean(), query + " came out verified though a trade was dropped: " + q);
            assertTrue(q.get("problems").toString().contains("Kafka Streams"), q.get("problems").toString());
            assertFalse(q.get("problems").toString().contains("Velo"), "Velo was not sabotaged: " + q.get("problems"));
        }
        assertEquals("kafka_streams", r.get("sabotaged").asText());
    }

    @Test
    void theStreamsProjectionIsByteIdenticalToTheExpectedOutput() {
        TradeMessages trades = new TradeMessages(7);
        int kept = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m = trades.next();
            byte[] got = StreamsFork.project(m, 0);
            if (trades.selected()) {
                assertArrayEquals(trades.expectedOutput(), got, new String(m, StandardCharsets.UTF_8));
                kept++;
            } else {
                assertNull(got);
            }
            assertEquals(trades.eventTime(), StreamsFork.eventTime(m));
        }
        assertTrue(kept > 15_000 && kept < 20_000, "about 90% pass: " + kept);
    }

    @Test
    void theClosingSymbolsReachEveryRepartitionPartition() {
        List<String> closing = PeerComparison.closingSymbols();
        assertEquals(3, closing.size());
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        for (String s : closing) {
            assertTrue(s.startsWith("~"), s);
            slots.add(org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % 3);
        }
        assertEquals(java.util.Set.of(0, 1, 2), slots);
    }

    @Test
    void windowRowsOfEitherSideReadTheSame() {
        String velo = "{\"symbol\":\"AAPL\",\"trades\":12,\"window_start\":\"2023-11-14T22:13:20.000Z\"}";
        byte[] streams = StreamsFork.countRow("AAPL", 1_700_000_000_000L, 12);
        assertEquals("AAPL|1700000000000|12", PeerComparison.windowRow(velo.getBytes(StandardCharsets.UTF_8)));
        assertEquals("AAPL|1700000000000|12", PeerComparison.windowRow(streams));
        assertNull(PeerComparison.windowRow("{\"symbol\":\"AAPL\",\"trades\":12}".getBytes(StandardCharsets.UTF_8)));
        assertNull(PeerComparison.windowRow("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
