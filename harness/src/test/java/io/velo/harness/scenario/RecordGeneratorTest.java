package io.velo.harness.scenario;

import static io.velo.harness.scenario.ScenarioLoaderTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordGeneratorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Scenario sustained() {
        return ScenarioLoader.load(resource("sustained-load.yaml"));
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        b.clear();
        return out;
    }

    /** The record's JSON, or null when it is not valid JSON. */
    static JsonNode parse(byte[] record) {
        try {
            return JSON.readTree(record);
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void anyProducerCountGeneratesTheSameRecordsBySequence() {
        Scenario s = sustained();
        int n = 3000;
        Map<Long, String> one = new HashMap<>();
        RecordGenerator g = new RecordGenerator(s.generator(), 42, 0, 1);
        ByteBuffer buf = ByteBuffer.allocate(g.maxRecordBytes());
        for (int i = 0; i < n; i++) {
            long seq = g.nextSequence();
            assertEquals(seq, g.next(seq * 7, buf));
            one.put(seq, new String(bytes(buf), StandardCharsets.UTF_8) + "|" + Arrays.toString(g.key()) + "|" + g.malformed());
        }
        assertEquals(n, one.size());
        assertEquals(Set.of(), Set.copyOf(one.keySet()).stream().filter(k -> k < 1 || k > n).collect(java.util.stream.Collectors.toSet()));

        RecordGenerator[] producers = new RecordGenerator[3];
        for (int k = 0; k < 3; k++) {
            producers[k] = new RecordGenerator(s.generator(), 42, k, 3);
        }
        Map<Long, String> three = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RecordGenerator p = producers[(i * 7) % 3]; // producers interleave in no particular order
            long seq = p.nextSequence();
            if (seq > n) {
                continue;
            }
            assertEquals((i * 7) % 3, (seq - 1) % 3, "producer k makes k+1, k+1+P, ...");
            p.next(seq * 7, buf);
            three.put(seq, new String(bytes(buf), StandardCharsets.UTF_8) + "|" + Arrays.toString(p.key()) + "|" + p.malformed());
        }
        for (RecordGenerator p : producers) {
            while (p.nextSequence() <= n) {
                long seq = p.nextSequence();
                p.next(seq * 7, buf);
                three.put(seq, new String(bytes(buf), StandardCharsets.UTF_8) + "|" + Arrays.toString(p.key()) + "|" + p.malformed());
            }
        }
        assertEquals(one, three);

        RecordGenerator other = new RecordGenerator(s.generator(), 43, 0, 1);
        other.next(7, buf);
        assertNotEquals(one.get(1L), new String(bytes(buf), StandardCharsets.UTF_8) + "|" + Arrays.toString(other.key()) + "|" + other.malformed(),
                "another seed, other records");
    }

    @Test
    void recordsAreTheJsonTheSpecDescribes() {
        Scenario s = sustained();
        RecordGenerator g = new RecordGenerator(s.generator(), 42, 0, 1);
        ByteBuffer buf = ByteBuffer.allocate(g.maxRecordBytes());
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        int valid = 0;
        for (int i = 1; i <= 20_000; i++) {
            g.next(1_000_000L + i, buf);
            byte[] rec = bytes(buf);
            JsonNode n = parse(rec);
            if (g.malformed()) {
                assertEquals(null, n, "a malformed record is invalid JSON: " + new String(rec, StandardCharsets.UTF_8));
                continue;
            }
            valid++;
            assertTrue(n != null, new String(rec, StandardCharsets.UTF_8));
            assertEquals(8, n.size());
            assertEquals(i, n.get("trade_id").asLong());
            assertTrue(Set.of("AAPL", "MSFT", "GOOG").contains(n.get("symbol").asText()));
            String account = n.get("account").asText();
            assertTrue(account.matches("acct-\\d+"), account);
            assertArrayEquals(account.getBytes(StandardCharsets.UTF_8), g.key(), "the key field is the Kafka key");
            assertTrue(n.get("price").isTextual(), "decimals are strings by default");
            BigDecimal price = new BigDecimal(n.get("price").asText());
            assertEquals(4, price.scale());
            assertTrue(price.compareTo(new BigDecimal("10")) >= 0 && price.compareTo(new BigDecimal("999.9999")) <= 0, price.toString());
            assertEquals(price.unscaledValue().longValueExact(), g.value(3));
            long q = n.get("quantity").asLong();
            assertTrue(q >= 1 && q <= 1000);
            assertTrue(Set.of("BUY", "SELL").contains(n.get("side").asText()));
            long et = n.get("event_time").asLong();
            long nominal = start + (i - 1);
            assertTrue(et <= nominal && et >= nominal - 500, "event time " + et + " of record " + i);
            assertEquals(1_000_000L + i, n.get("sent_us").asLong(), "the intended send time is written as given");
        }
        assertTrue(valid > 19_900, "valid " + valid);
    }

    @Test
    void distributionsAreRoughlyRight() {
        Scenario s = sustained();
        RecordGenerator g = new RecordGenerator(s.generator(), 42, 0, 1);
        int n = 100_000;
        int[] symbols = new int[3];
        Set<Long> accounts = new HashSet<>();
        int late = 0;
        int malformed = 0;
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long maxDelay = 0;
        double quantitySum = 0;
        for (long i = 1; i <= n; i++) {
            g.at(i);
            symbols[(int) g.value(1)]++;
            long account = g.value(2);
            assertTrue(account >= 0 && account < 1000);
            accounts.add(account);
            quantitySum += g.value(4);
            long delay = start + (i - 1) - g.value(6);
            if (delay > 0) {
                late++;
                maxDelay = Math.max(maxDelay, delay);
            }
            malformed += g.malformed() ? 1 : 0;
        }
        // weights 30:20:10 → 1/2, 1/3, 1/6; ±1 percentage point is > 6σ at 100k samples
        assertEquals(0.5, symbols[0] / (double) n, 0.01);
        assertEquals(1 / 3.0, symbols[1] / (double) n, 0.01);
        assertEquals(1 / 6.0, symbols[2] / (double) n, 0.01);
        assertEquals(1000, accounts.size(), "uniform over 1000 keys: all appear in 100k draws");
        assertEquals(500.5, quantitySum / n, 5);
        assertEquals(0.01, late / (double) n, 0.002, "out-of-order fraction");
        assertTrue(maxDelay <= 500 && maxDelay > 400, "max delay " + maxDelay);
        assertEquals(100, malformed, 45, "malformed fraction 0.001 of 100k");
    }

    @Test
    void zipfKeysNormalDecimalsAndTheMalformedFraction() {
        Scenario s = ScenarioLoader.load(resource("volume-per-account.yaml"));
        RecordGenerator g = new RecordGenerator(s.generator(), 7, 0, 1);
        int n = 200_000;
        long[] perKey = new long[50];
        double priceSum = 0;
        double priceSq = 0;
        int malformed = 0;
        ByteBuffer buf = ByteBuffer.allocate(g.maxRecordBytes());
        for (long i = 1; i <= n; i++) {
            g.next(0, buf);
            byte[] rec = bytes(buf);
            perKey[(int) g.value(1)]++;
            double p = g.value(2) / 1e4;
            assertTrue(p >= 1 && p <= 99.9999);
            priceSum += p;
            priceSq += p * p;
            if (g.malformed()) {
                malformed++;
                assertEquals(null, parse(rec));
            } else if (i % 97 == 0) {
                JsonNode node = parse(rec);
                assertEquals("acct-" + g.value(1), node.get("account").asText());
                assertEquals(Instant.ofEpochMilli(g.value(5)), Instant.parse(node.get("event_time").asText()), "iso event time");
            }
        }
        double ratio = perKey[0] / (double) perKey[1];
        assertEquals(Math.pow(2, 1.1), ratio, 0.12, "zipf: rank 1 / rank 2 = 2^s");
        // chi-square of all 50 ranks against p(k) = k^-1.1 / H: 85.4 is the 0.1% critical value at 49 degrees of freedom
        double h = 0;
        for (int k = 1; k <= 50; k++) {
            h += Math.pow(k, -1.1);
        }
        double chi2 = 0;
        for (int k = 1; k <= 50; k++) {
            double e = n * Math.pow(k, -1.1) / h;
            chi2 += (perKey[k - 1] - e) * (perKey[k - 1] - e) / e;
        }
        assertTrue(chi2 < 85.4, "zipf chi-square " + chi2);
        double mean = priceSum / n;
        assertEquals(50, mean, 0.2);
        assertEquals(10, Math.sqrt(priceSq / n - mean * mean), 0.3);
        assertEquals(2000, malformed, 200, "malformed fraction 0.01 of 200k");
    }

    @Test
    void isoTimesMatchJavaTime(@TempDir Path dir) throws Exception {
        // a step of 37 days + 13 ms from 1969 crosses leap years, the epoch and the Gregorian 100/400-year rules
        Scenario s = ScenarioLoaderTest.loadText(dir, "t", ScenarioLoaderTest.HEAD
                + "generator:\n  fields:\n    - {name: t, type: event_time, start: '1969-12-31T23:59:59.999Z', step: 3196800013ms, format: iso}\n"
                + "check: {type: none, reason: test}\n");
        RecordGenerator g = new RecordGenerator(s.generator(), 1, 0, 1);
        ByteBuffer buf = ByteBuffer.allocate(g.maxRecordBytes());
        for (int i = 0; i < 5000; i++) {
            g.next(0, buf);
            JsonNode n = parse(bytes(buf));
            assertEquals(Instant.ofEpochMilli(g.value(0)), Instant.parse(n.get("t").asText()));
        }
    }

    @Test
    void generatingAllocatesNothingPerRecord() {
        Scenario s = sustained();
        RecordGenerator g = new RecordGenerator(s.generator(), 42, 0, 1);
        ByteBuffer buf = ByteBuffer.allocateDirect(g.maxRecordBytes());
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long keyBytes = 0;
        for (int i = 0; i < 50_000; i++) { // warm up: JIT, and the low-cardinality key cache fills
            g.next(i, buf);
            keyBytes += g.key().length;
            buf.clear();
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            g.next(i, buf);
            keyBytes += g.key().length;
            buf.clear();
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(keyBytes > 0);
        assertTrue(allocated < n / 10, "allocated " + allocated + " bytes for " + n + " records");
    }

    @Test
    void misuseIsRefused() {
        Scenario s = sustained();
        assertThrows(IllegalArgumentException.class, () -> new RecordGenerator(s.generator(), 1, 3, 3));
        RecordGenerator g = new RecordGenerator(s.generator(), 1, 0, 1);
        assertThrows(IllegalStateException.class, () -> g.write(0, ByteBuffer.allocate(100)));
        assertThrows(IllegalArgumentException.class, () -> g.at(0));
        assertThrows(java.nio.BufferOverflowException.class, () -> g.next(0, ByteBuffer.allocate(10)));
        assertFalse(g.spec().fields().isEmpty());
    }
}
