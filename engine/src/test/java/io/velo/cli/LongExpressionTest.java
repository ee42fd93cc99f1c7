package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long flat expressions as SQL generators write them (thousands of OR / AND terms, long + and ||
 * chains, 10,000-element IN lists) pass {@code check} and {@code run} on the default thread stack,
 * and their answers match an independent computation in plain Java.
 */
class LongExpressionTest {
    @TempDir
    Path dir;

    private static final int ROWS = 300;
    private final List<Row> rows = new ArrayList<>();

    record Row(long id, Long x, String s, BigDecimal d) { }


    @BeforeEach
    void data() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder("id,x,s,d\n");
        for (int i = 0; i < ROWS; i++) {
            Long x = r.nextInt(10) == 0 ? null : (long) r.nextInt(-50, 120);
            String s = r.nextInt(10) == 0 ? null : "s" + r.nextInt(40);
            BigDecimal d = r.nextInt(10) == 0 ? null : BigDecimal.valueOf(r.nextLong(-99_999, 99_999), 3);
            rows.add(new Row(i, x, s, d));
            csv.append(i).append(',').append(x == null ? "" : x).append(',').append(s == null ? "" : s).append(',')
                    .append(d == null ? "" : d.toPlainString()).append('\n');
        }
        Files.writeString(dir.resolve("in.csv"), csv);
    }

    private static VeloCli.Result velo(String... args) {
        return VeloCli.run(args);
    }

    /** Checks and runs {@code SELECT items FROM t [WHERE where]}, returning the JSON rows written. */
    private List<JsonNode> job(String items, String where, int expectFailed) throws IOException {
        Path sql = dir.resolve("job.sql");
        Files.writeString(sql, "CREATE STREAM o AS SELECT " + items + " FROM t" + (where == null ? "" : "\nWHERE " + where)
                + "\nWITH ('t.type' = 'file_source', 't.path' = 'in.csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT, x BIGINT, s STRING, d DECIMAL(12,3)', 'o.type' = 'file_sink', 'o.path' = 'out.json');\n");
        VeloCli.Result check = velo("check", sql.toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains(where == null ? "Project id, (" : "Filter ("), check.out().substring(0, Math.min(400, check.out().length())));
        VeloCli.Result run = velo("run", sql.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains(expectFailed + " failed"), run.err());
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("out.json"))) {
            out.add(json.readTree(line));
        }
        return out;
    }

    private List<Long> ids(List<JsonNode> out) {
        List<Long> ids = new ArrayList<>();
        out.forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }

    private List<Long> expectedIds(Predicate<Row> passes) {
        List<Long> ids = new ArrayList<>();
        rows.stream().filter(passes).forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void orChainOfThreeThousandTermsFilters() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        List<String> terms = new ArrayList<>();
        List<Predicate<Row>> preds = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            switch (r.nextInt(3)) {
                case 0: {
                    long k = r.nextInt(1000, 5000); // never equal: the chain must be walked to its end
                    terms.add("x = " + k);
                    preds.add(row -> row.x() != null && row.x() == k);
                    break;
                }
                case 1: {
                    String k = "s" + r.nextInt(2000);
                    terms.add("s = '" + k + "'");
                    preds.add(row -> k.equals(row.s()));
                    break;
                }
                default: {
                    BigDecimal k = BigDecimal.valueOf(r.nextLong(-99_999_000, -99_000), 3);
                    terms.add("d < " + k.toPlainString());
                    preds.add(row -> row.d() != null && row.d().compareTo(k) < 0);
                }
            }
        }
        terms.add(1500, "x = 7");
        preds.add(1500, row -> row.x() != null && row.x() == 7);
        terms.add("s = 's3'");
        preds.add(row -> "s3".equals(row.s()));
        List<Long> got = ids(job("id", String.join(" OR ", terms), 0));
        List<Long> want = expectedIds(row -> preds.stream().anyMatch(p -> p.test(row)));
        assertTrue(want.size() > 5, "the data should pass some rows");
        assertEquals(want, got);
    }

    @Test
    void andChainOfFiveThousandTermsFilters() throws IOException {
        List<String> terms = new ArrayList<>();
        Set<Long> excluded = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            long k = i % 7 == 0 ? i % 120 : 10_000 + i;
            excluded.add(k);
            terms.add(i % 2 == 0 ? "x <> " + k : "NOT (x = " + k + ")");
        }
        terms.add("s IS NOT NULL");
        List<Long> got = ids(job("id", String.join(" AND ", terms), 0));
        assertEquals(expectedIds(row -> row.x() != null && !excluded.contains(row.x()) && row.s() != null), got);
    }

    /** The + / - chain's terms after its start: {minus?, column?, constant}. */
    private final List<long[]> ops = new ArrayList<>();
    private static final long START = 9223372036854775757L;

    @Test
    void plusChainOfTenThousandTermsIsExactLeftToRight() throws IOException {
        SplittableRandom r = new SplittableRandom(2);
        StringBuilder sql = new StringBuilder("id, " + START + " + x");
        // the start plus x overflows for x > 50 before the "- 200" would bring it back; then pairs
        // "+ t - t" / "- t + t" keep every later partial result in range
        sql.append(" - 200");
        ops.add(new long[] {1, 0, 200});
        for (int i = 0; i < 5_000; i++) {
            boolean minus = r.nextBoolean();
            boolean column = r.nextInt(4) == 0;
            long k = r.nextInt(0, 50);
            String t = column ? "x" : String.valueOf(k);
            sql.append(minus ? " - " : " + ").append(t).append(minus ? " + " : " - ").append(t);
            ops.add(new long[] {minus ? 1 : 0, column ? 1 : 0, k});
            ops.add(new long[] {minus ? 0 : 1, column ? 1 : 0, k});
        }
        int failing = (int) rows.stream().filter(row -> row.x() != null && evaluate(row.x()) == null).count();
        List<JsonNode> out = job(sql + " AS v", null, failing);
        List<String> want = new ArrayList<>();
        for (Row row : rows) {
            Long v = row.x() == null ? null : evaluate(row.x());
            if (row.x() == null || v != null) {
                want.add(row.id() + ":" + v);
            }
        }
        List<String> got = new ArrayList<>();
        out.forEach(n -> got.add(n.get("id").asLong() + ":" + (n.get("v").isNull() ? "null" : n.get("v").asText())));
        assertTrue(failing > 10 && failing < ROWS / 2, "some rows overflow a partial sum, most do not: " + failing);
        assertEquals(want, got);
    }

    /** The chain computed left to right with exact longs; null when a partial result overflows. */
    private Long evaluate(long x) {
        try {
            long acc = Math.addExact(START, x);
            for (long[] op : ops) {
                long v = op[1] == 1 ? x : op[2];
                acc = op[0] == 1 ? Math.subtractExact(acc, v) : Math.addExact(acc, v);
            }
            return acc;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    @Test
    void decimalPlusChainKeepsScalesAndOrder() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sql = new StringBuilder("id, d");
        List<Object[]> dops = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            boolean minus = r.nextBoolean();
            BigDecimal k = r.nextInt(5) == 0 ? null : BigDecimal.valueOf(r.nextLong(-5000, 5000), r.nextInt(0, 5));
            sql.append(minus ? " - " : " + ").append(k == null ? "d" : k.toPlainString());
            dops.add(new Object[] {minus, k});
        }
        List<JsonNode> out = job(sql + " AS v", null, 0);
        List<String> want = new ArrayList<>();
        for (Row row : rows) {
            String v = "null";
            if (row.d() != null) {
                BigDecimal d = row.d().setScale(3);
                BigDecimal acc = d;
                for (Object[] op : dops) {
                    BigDecimal t = op[1] == null ? d : (BigDecimal) op[1];
                    acc = (Boolean) op[0] ? acc.subtract(t) : acc.add(t);
                }
                v = acc.toPlainString();
            }
            want.add(row.id() + ":" + v);
        }
        List<String> got = new ArrayList<>();
        out.forEach(n -> got.add(n.get("id").asLong() + ":" + (n.get("v").isNull() ? "null" : n.get("v").asText())));
        assertEquals(want, got);
    }

    @Test
    void longChainsOfDaysAndIntervals() throws IOException {
        // a 30,000-term count of days added to a DATE, and an interval sum added to a TIMESTAMP
        String days = "x" + " + 1".repeat(29_999);
        String interval = "INTERVAL '1' SECOND" + " + INTERVAL '2' SECOND".repeat(4999);
        List<JsonNode> out = job("id, " + days + " + DATE '2024-01-01' AS day, TIMESTAMP '2024-01-01 00:00:00' + " + interval + " AS ts", null, 0);
        for (int i = 0; i < ROWS; i++) {
            Long x = rows.get(i).x();
            JsonNode n = out.get(i);
            assertEquals(x == null ? "null" : java.time.LocalDate.of(2024, 1, 1).plusDays(x + 29_999).toString(), n.get("day").asText());
            assertTrue(n.get("ts").asText().startsWith(java.time.LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(1 + 2 * 4999).toString()),
                    n.get("ts").asText());
        }
    }

    @Test
    void concatChainOfFiveThousandTerms() throws IOException {
        StringBuilder sql = new StringBuilder("id, s");
        for (int i = 0; i < 5000; i++) {
            sql.append(" || ").append(i % 3 == 0 ? "x" : i % 3 == 1 ? "'-'" : "s");
        }
        List<JsonNode> out = job(sql + " AS v", null, 0);
        assertEquals(ROWS, out.size());
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            String want = null;
            if (row.s() != null && row.x() != null) {
                StringBuilder sb = new StringBuilder(row.s());
                for (int k = 0; k < 5000; k++) {
                    sb.append(k % 3 == 0 ? String.valueOf(row.x()) : k % 3 == 1 ? "-" : row.s());
                }
                want = sb.toString();
            }
            JsonNode v = out.get(i).get("v");
            assertEquals(want, v.isNull() ? null : v.asText(), "row " + i);
        }
    }

    @Test
    void tenThousandElementInListsKeepNullSemantics() throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        Set<Long> set = new HashSet<>();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            long k = r.nextInt(3) == 0 ? r.nextInt(-50, 120) : r.nextLong(1000, 1_000_000);
            set.add(k);
            list.append(i > 0 ? ", " : "").append(k);
        }
        String withNull = list + ", NULL";
        List<JsonNode> out = job("id, x IN (" + withNull + ") AS a, x NOT IN (" + withNull + ") AS b, x NOT IN (" + list + ") AS c", null, 0);
        for (int i = 0; i < ROWS; i++) {
            Long x = rows.get(i).x();
            boolean in = x != null && set.contains(x);
            JsonNode n = out.get(i);
            assertEquals(x == null || !in ? "null" : "true", n.get("a").asText(), "x IN (…, NULL) for x=" + x);
            assertEquals(x == null || !in ? "null" : "false", n.get("b").asText(), "x NOT IN (…, NULL) for x=" + x);
            assertEquals(x == null ? "null" : String.valueOf(!in), n.get("c").asText(), "x NOT IN (…) for x=" + x);
        }
        assertEquals(expectedIds(row -> row.x() != null && set.contains(row.x())), ids(job("id", "x IN (" + withNull + ")", 0)));
        assertEquals(List.of(), ids(job("id", "x NOT IN (" + withNull + ")", 0)));
        assertEquals(expectedIds(row -> row.x() != null && !set.contains(row.x())), ids(job("id", "x NOT IN (" + list + ")", 0)));
    }

    @Test
    void decimalAndStringInListsOfMixedScales() throws IOException {
        SplittableRandom r = new SplittableRandom(6);
        List<BigDecimal> decimals = new ArrayList<>();
        Set<String> strings = new HashSet<>();
        StringBuilder dl = new StringBuilder();
        StringBuilder sl = new StringBuilder();
        for (Row row : rows) {
            if (row.d() != null && r.nextBoolean()) {
                // the same value written at another scale must still match: 1.500 = 1.5 = 1.50000
                BigDecimal v = row.d().stripTrailingZeros();
                decimals.add(r.nextBoolean() ? v : v.setScale(v.scale() + 2));
            }
        }
        for (int i = 0; i < 10_000; i++) {
            decimals.add(BigDecimal.valueOf(r.nextLong(-9_999_999, 9_999_999), r.nextInt(0, 6)));
            String s = "s" + r.nextInt(0, 400);
            strings.add(s);
            sl.append(i > 0 ? ", " : "").append('\'').append(s).append('\'');
        }
        decimals.add(new BigDecimal("12345678901234567890.123"));
        for (int i = 0; i < decimals.size(); i++) {
            dl.append(i > 0 ? ", " : "").append(decimals.get(i).toPlainString());
        }
        List<JsonNode> out = job("id, d IN (" + dl + ") AS a, s NOT IN (" + sl + ", NULL) AS b, s IN (" + sl + ") AS c", null, 0);
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            Boolean a = row.d() == null ? null : decimals.stream().anyMatch(k -> k.compareTo(row.d()) == 0);
            Boolean c = row.s() == null ? null : strings.contains(row.s());
            JsonNode n = out.get(i);
            assertEquals(String.valueOf(a), n.get("a").asText(), "d IN for " + row.d());
            assertEquals(row.s() == null || !c ? "null" : "false", n.get("b").asText(), "s NOT IN (…, NULL) for " + row.s());
            assertEquals(String.valueOf(c), n.get("c").asText(), "s IN for " + row.s());
        }
    }

    @Test
    void longChainsInAnAggregationAndAGroupKeyAsTheirPrefix() throws IOException {
        // SELECT reads "x + 1" (a GROUP BY key) as the prefix of a long chain; HAVING is a long OR
        StringBuilder item = new StringBuilder("x + 1");
        for (int i = 0; i < 3000; i++) {
            item.append(i % 2 == 0 ? " + 2" : " - 1");
        }
        StringBuilder agg = new StringBuilder("COUNT(*)");
        for (int i = 0; i < 3000; i++) {
            agg.append(" + 0");
        }
        List<String> having = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            having.add("COUNT(*) = " + (1000 + i));
        }
        having.add("SUM(id) > 400");
        Path sql = dir.resolve("agg.sql");
        Files.writeString(sql, "CREATE STREAM o AS SELECT " + item + " AS v, " + agg + " AS n FROM t\nGROUP BY x + 1\nHAVING "
                + String.join(" OR ", having) + " EMIT FINAL\nWITH ('t.type' = 'file_source', 't.path' = 'in.csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT, x BIGINT, s STRING, d DECIMAL(12,3)', 'o.type' = 'file_sink', 'o.path' = 'agg.json');\n");
        VeloCli.Result check = velo("check", sql.toString());
        assertEquals(0, check.code(), check.err());
        VeloCli.Result run = velo("run", sql.toString());
        assertEquals(0, run.code(), run.err());
        java.util.Map<Long, long[]> groups = new java.util.TreeMap<>(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        for (Row row : rows) {
            long[] g = groups.computeIfAbsent(row.x() == null ? null : row.x() + 1, k -> new long[2]);
            g[0]++;
            g[1] += row.id();
        }
        Set<String> want = new HashSet<>();
        groups.forEach((k, g) -> {
            if (g[1] > 400) {
                want.add((k == null ? "null" : String.valueOf(k + 1500)) + ":" + g[0]);
            }
        });
        Set<String> got = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("agg.json"))) {
            JsonNode n = json.readTree(line);
            got.add((n.get("v").isNull() ? "null" : n.get("v").asText()) + ":" + n.get("n").asLong());
        }
        assertTrue(want.size() > 5 && want.size() < groups.size(), "HAVING should keep some groups: " + want.size() + " of " + groups.size());
        assertEquals(want, got);
    }

    @Test
    void deepNestingIsAPositionedErrorNotAStackOverflow() throws IOException {
        String[] bodies = {
            "(".repeat(10_000) + "x = 1" + ")".repeat(10_000),
            "x" + "::BIGINT".repeat(5000) + " = 1",
            "x" + " IS NULL".repeat(5000),
            "NOT ".repeat(10_000) + "x = 1",
            "x = " + "- ".repeat(10_000) + "1",
            "x = " + "ABS(".repeat(5000) + "1" + ")".repeat(5000),
            "x IN (" + "(".repeat(5000) + "1" + ")".repeat(5000) + ")",
        };
        for (String where : bodies) {
            Path sql = dir.resolve("deep.sql");
            Files.writeString(sql, "CREATE STREAM o AS SELECT id FROM t\nWHERE " + where
                    + " WITH ('t.type' = 'file_source', 't.path' = 'in.csv', 't.schema' = 'id BIGINT, x BIGINT', 'o.type' = 'file_sink', 'o.path' = 'o.json');\n");
            for (String command : new String[] {"check", "run"}) {
                VeloCli.Result r = velo(command, sql.toString());
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().startsWith(sql + ":2:"), r.err().substring(0, Math.min(300, r.err().length())));
                assertTrue(r.err().contains("error: expression nested too deeply"), r.err().substring(0, Math.min(300, r.err().length())));
            }
        }
    }
}
