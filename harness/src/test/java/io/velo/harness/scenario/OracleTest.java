package io.velo.harness.scenario;

import static io.velo.harness.scenario.RecordGeneratorTest.bytes;
import static io.velo.harness.scenario.RecordGeneratorTest.parse;
import static io.velo.harness.scenario.ScenarioLoaderTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.velo.harness.scenario.Scenario.Condition;
import io.velo.harness.scenario.Scenario.Op;
import io.velo.harness.scenario.Verification.TotalMismatch;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle's expectations are checked against an independent computation: the generated records'
 * JSON parsed back with Jackson, filtered and summed here.
 */
class OracleTest {
    /** The valid input records 1..n as parsed JSON (malformed ones are left out: they do not parse). */
    static List<JsonNode> input(Scenario s, int n) {
        RecordGenerator g = new RecordGenerator(s.generator(), s.generator().seed(), 0, 1);
        ByteBuffer buf = ByteBuffer.allocate(g.maxRecordBytes());
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            g.next(0, buf);
            JsonNode node = parse(bytes(buf));
            if (node != null) {
                out.add(node);
            }
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void idsReportsExactlyTheLostDuplicatedAndUnexpected() {
        Scenario s = ScenarioLoader.load(resource("sustained-load.yaml"));
        int n = 5000;
        List<Long> expected = new ArrayList<>();
        List<Long> filteredOut = new ArrayList<>();
        for (JsonNode r : input(s, n)) {
            (r.get("quantity").asLong() > 100 ? expected : filteredOut).add(r.get("trade_id").asLong());
        }
        Oracle oracle = Oracle.expect(s, 1, n);
        assertEquals(expected.size(), oracle.expectedCount());

        List<byte[]> perfect = new ArrayList<>();
        for (long id : expected) {
            perfect.add(utf8("{\"trade_id\":" + id + ",\"symbol\":\"X\",\"price\":\"1.0000\"}"));
        }
        Verification ok = Oracle.expect(s, 1, n).verify(perfect);
        assertTrue(ok.verified(), ok.problems().toString());
        assertEquals(n, ok.recordsIn());
        assertEquals(expected.size(), ok.recordsOut());
        assertEquals(0, ok.lost() + ok.duplicates() + ok.unexpected() + ok.malformedOutputs());

        long lostId = expected.get(17);
        long dupId = expected.get(99);
        long strayId = filteredOut.get(3);
        List<byte[]> wrong = new ArrayList<>();
        for (long id : expected) {
            if (id != lostId) {
                wrong.add(utf8("{\"symbol\":\"X\",\"trade_id\":" + id + "}"));
            }
        }
        wrong.add(utf8("{\"trade_id\":\"" + dupId + "\"}")); // an id as a numeric string counts too
        wrong.add(utf8("{\"trade_id\":" + strayId + "}"));
        wrong.add(utf8("{\"trade_id\":" + (n + 1) + "}")); // never sent
        wrong.add(utf8("{\"trade_id\":12,")); // truncated
        Verification v = oracle.verify(wrong);
        assertFalse(v.verified());
        assertEquals(1, v.lost());
        assertEquals(1, v.duplicates());
        assertEquals(2, v.unexpected());
        assertEquals(1, v.malformedOutputs());
        assertEquals(expected.size() + 3, v.recordsOut());
        String problems = String.join("\n", v.problems());
        assertTrue(problems.contains("1 expected id(s) lost, e.g. " + lostId), problems);
        assertTrue(problems.contains("1 duplicate row(s), e.g. id " + dupId), problems);
        assertTrue(problems.contains(Long.toString(strayId)) && problems.contains(Long.toString(n + 1)), problems);
        assertEquals(4, v.problems().size(), problems);
        assertEquals(1, v.toJson().get("lost").asLong());
    }

    @Test
    void acceptingWhatEachProducerSentEqualsTheRange() {
        Scenario s = ScenarioLoader.load(resource("sustained-load.yaml"));
        Oracle byProducer = Oracle.of(s);
        byProducer.acceptProducer(0, 3, 334); // 1, 4, ..., 1000
        byProducer.acceptProducer(1, 3, 333); // 2, 5, ..., 998
        byProducer.acceptProducer(2, 3, 333); // 3, 6, ..., 999
        Oracle range = Oracle.expect(s, 1, 1000);
        assertEquals(range.expectedCount(), byProducer.expectedCount());
        assertEquals(range.result(), byProducer.result());

        Oracle partial = Oracle.of(s);
        partial.acceptProducer(0, 2, 10); // 1, 3, ..., 19: the even ones were never sent
        List<byte[]> out = new ArrayList<>();
        for (JsonNode r : input(s, 20)) {
            long id = r.get("trade_id").asLong();
            if (id % 2 == 1 && r.get("quantity").asLong() > 100) {
                out.add(utf8("{\"trade_id\":" + id + "}"));
            }
        }
        Verification v = partial.verify(out);
        assertTrue(v.verified(), v.problems().toString());
        assertEquals(10, v.recordsIn());
    }

    /** sum of quantity and price and the count of BUY trades per account, computed from the parsed input. */
    static Map<String, Object[]> buyTotals(Scenario s, int n) {
        Map<String, Object[]> per = new TreeMap<>();
        for (JsonNode r : input(s, n)) {
            if (!r.get("side").asText().equals("BUY")) {
                continue;
            }
            Object[] t = per.computeIfAbsent(r.get("account").asText(), k -> new Object[] {0L, 0L, BigDecimal.ZERO});
            t[0] = (Long) t[0] + 1;
            t[1] = (Long) t[1] + r.get("quantity").asLong();
            t[2] = ((BigDecimal) t[2]).add(new BigDecimal(r.get("price").asText()));
        }
        return per;
    }

    @Test
    void finalPerKeyTotalsAreExact() {
        Scenario s = ScenarioLoader.load(resource("volume-per-account.yaml"));
        int n = 20_000;
        Map<String, Object[]> per = buyTotals(s, n);
        long count = 0;
        long volume = 0;
        BigDecimal prices = BigDecimal.ZERO;
        List<byte[]> out = new ArrayList<>();
        boolean asNumber = false;
        for (Map.Entry<String, Object[]> e : per.entrySet()) {
            Object[] t = e.getValue();
            count += (Long) t[0];
            volume += (Long) t[1];
            prices = prices.add((BigDecimal) t[2]);
            // an earlier, partial row per key: only the last row counts
            out.add(utf8("{\"account\":\"" + e.getKey() + "\",\"trades\":1,\"volume\":5,\"price_total\":\"1.0000\"}"));
            String price = asNumber ? t[2].toString() : "\"" + t[2] + "\"";
            asNumber = !asNumber; // decimals as JSON strings and as numbers
            out.add(utf8("{\"account\":\"" + e.getKey() + "\",\"trades\":" + t[0] + ",\"volume\":" + t[1] + ",\"price_total\":" + price + "}"));
        }
        Oracle oracle = Oracle.expect(s, 1, n);
        assertEquals(count, oracle.expectedCount());
        assertEquals(BigDecimal.valueOf(volume), oracle.expectedSum(0));
        assertEquals(prices, oracle.expectedSum(1));
        Verification v = oracle.verify(out);
        assertTrue(v.verified(), v.problems().toString());

        // one key's volume off by one: the mismatch names both exact numbers
        String first = per.keySet().iterator().next();
        Object[] t = per.get(first);
        Oracle again = Oracle.expect(s, 1, n);
        again.verify(out);
        again.observe(utf8("{\"account\":\"" + first + "\",\"trades\":" + t[0] + ",\"volume\":" + ((Long) t[1] + 1)
                + ",\"price_total\":\"" + t[2] + "\"}"));
        Verification bad = again.result();
        assertFalse(bad.verified());
        assertEquals(List.of(new TotalMismatch("sum(quantity) = volume", BigDecimal.valueOf(volume), BigDecimal.valueOf(volume + 1))),
                bad.mismatches());
        assertEquals("total mismatch: sum(quantity) = volume: expected " + volume + ", output " + (volume + 1), bad.problems().get(0));
    }

    @Test
    void windowTotalsCountEveryRow(@TempDir Path dir) throws Exception {
        Scenario s = ScenarioLoaderTest.loadText(dir, "t", ScenarioLoaderTest.HEAD
                + "generator:\n  seed: 3\n  fields:\n    - {name: id, type: sequence}\n    - {name: q, type: long, min: -50, max: 50}\n"
                + "    - {name: p, type: decimal, scale: 2, min: '-5.00', max: '5.00'}\n"
                + "check:\n  type: totals\n  mode: windows\n  count: {output: n}\n  sums: [{input: q, output: sq}, {input: p, output: sp}]\n"
                + "  where: [{field: p, op: '>=', value: '-1.005'}]\n");
        int n = 1000;
        long count = 0;
        long sq = 0;
        BigDecimal sp = BigDecimal.ZERO;
        List<byte[]> out = new ArrayList<>();
        for (JsonNode r : input(s, n)) {
            BigDecimal p = new BigDecimal(r.get("p").asText());
            if (p.compareTo(new BigDecimal("-1.005")) >= 0) {
                count++;
                sq += r.get("q").asLong();
                sp = sp.add(p);
                // one "window" row per record
                out.add(utf8("{\"n\":1,\"sq\":" + r.get("q").asLong() + ",\"sp\":\"" + p + "\"}"));
            }
        }
        assertTrue(count > 300 && count < n);
        Verification v = Oracle.expect(s, 1, n).verify(out);
        assertTrue(v.verified(), v.problems().toString());
        assertEquals(count, v.expected());

        out.add(out.get(0)); // a window emitted twice
        Verification twice = Oracle.expect(s, 1, n).verify(out);
        assertFalse(twice.verified());
        assertEquals(new BigDecimal(count + 1), twice.mismatches().get(0).actual());

        out.remove(out.size() - 1);
        out.add(utf8("{\"n\":0,\"sq\":0,\"sp\":\"0.001\"}")); // more decimals than the input: not exact
        Verification inexact = Oracle.expect(s, 1, n).verify(out);
        assertFalse(inexact.verified());
        assertEquals(1, inexact.malformedOutputs());
        assertTrue(String.join("\n", inexact.problems()).contains("is not exact at scale 2"), inexact.problems().toString());
    }

    @Test
    void windowTotalsClosedByTheWatermarkLeaveTheOpenWindowsOut(@TempDir Path dir) throws Exception {
        Scenario s = ScenarioLoaderTest.loadText(dir, "t", ScenarioLoaderTest.HEAD
                + "generator:\n  seed: 5\n  fields:\n    - {name: id, type: sequence}\n    - {name: q, type: long, min: 1, max: 50}\n"
                + "    - {name: ts, type: event_time, start: '2026-01-01T00:00:00Z', step: 7ms, out_of_order: {fraction: 0.1, max_delay: 300ms}}\n"
                + "check:\n  type: totals\n  mode: windows\n  count: {output: n}\n  sums: [{input: q, output: sq}]\n"
                + "  closed_by_watermark: {event_time: ts, window: 1s, out_of_orderness: 2s}\n");
        int n = 2000;
        List<JsonNode> in = input(s, n);
        long maxT = Long.MIN_VALUE;
        for (JsonNode r : in) {
            maxT = Math.max(maxT, r.get("ts").asLong());
        }
        long watermark = maxT - 2000;
        java.util.TreeMap<Long, long[]> windows = new java.util.TreeMap<>();
        for (JsonNode r : in) {
            long start = Math.floorDiv(r.get("ts").asLong(), 1000) * 1000;
            long[] w = windows.computeIfAbsent(start, k -> new long[2]);
            w[0]++;
            w[1] += r.get("q").asLong();
        }
        List<byte[]> closed = new ArrayList<>();
        long expected = 0;
        long open = 0;
        byte[] openRow = null;
        for (var e : windows.entrySet()) {
            byte[] row = utf8("{\"n\":" + e.getValue()[0] + ",\"sq\":" + e.getValue()[1] + "}");
            if (e.getKey() + 1000 <= watermark) {
                closed.add(row);
                expected += e.getValue()[0];
            } else {
                open += e.getValue()[0];
                openRow = row;
            }
        }
        assertTrue(open > 0 && expected > n / 2, "some windows open at the end, most closed: " + open + " / " + expected);
        Oracle o = Oracle.expect(s, 1, n);
        Verification v = o.verify(closed);
        assertTrue(v.verified(), v.problems().toString());
        assertEquals(expected, v.expected());
        assertEquals(open, o.openWindowRecords());

        List<byte[]> withOpen = new ArrayList<>(closed);
        withOpen.add(openRow); // a window the watermark has not closed yet, written anyway
        assertFalse(Oracle.expect(s, 1, n).verify(withOpen).verified());
        List<byte[]> oneLost = new ArrayList<>(closed.subList(1, closed.size()));
        assertFalse(Oracle.expect(s, 1, n).verify(oneLost).verified());
    }

    @Test
    void decimalConditionsCompareExactly() {
        Scenario.DecimalField price = new Scenario.DecimalField("p", 4, new BigDecimal("0.0000"), new BigDecimal("100.0000"),
                Scenario.Distribution.UNIFORM, BigDecimal.ONE, BigDecimal.ONE, true);
        // unscaled at scale 4: 100000 = 10.0000, 100001 = 10.0001; the threshold 10.00005 lies between them
        Object[][] cases = {
            {Op.GT, "10.00005", false, true}, {Op.GE, "10.00005", false, true}, {Op.LT, "10.00005", true, false},
            {Op.LE, "10.00005", true, false}, {Op.EQ, "10.00005", false, false}, {Op.NE, "10.00005", true, true},
            {Op.GE, "10", true, true}, {Op.GT, "10", false, true}, {Op.EQ, "10.0000", true, false}, {Op.LE, "10", true, false},
            {Op.LT, "-99999999999999999999", false, false}, {Op.GT, "-99999999999999999999", true, true},
        };
        for (Object[] c : cases) {
            Predicates.LongPredicate p = Predicates.compile(price, new Condition("p", (Op) c[0], (String) c[1], List.of()));
            assertEquals(c[2], p.test(100000), c[0] + " " + c[1] + " on 10.0000");
            assertEquals(c[3], p.test(100001), c[0] + " " + c[1] + " on 10.0001");
        }
        Predicates.LongPredicate in = Predicates.compile(price, new Condition("p", Op.IN, null, List.of("10.0001", "3", "1.00005")));
        assertTrue(in.test(100001));
        assertTrue(in.test(30000));
        assertFalse(in.test(100000));
    }

    @Test
    void noneChecksOnlyCount(@TempDir Path dir) throws Exception {
        Scenario s = ScenarioLoaderTest.loadText(dir, "t", ScenarioLoaderTest.HEAD
                + "generator:\n  fields:\n    - {name: id, type: sequence}\ncheck: {type: none, reason: output is random by design}\n");
        Verification v = Oracle.expect(s, 1, 10).verify(List.of(utf8("not json"), utf8("{}")));
        assertTrue(v.verified());
        assertEquals(2, v.recordsOut());
        assertEquals(10, v.recordsIn());
    }
}
