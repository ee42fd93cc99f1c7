package io.velo.exec;

import io.velo.connector.CollectingSink;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * GROUP BY over random data — decimal keys spelled with different scales, NULL keys, values of mixed
 * scales and sizes up to the 64-bit edge — against a plain BigDecimal computation of the same answer.
 */
class AggregationDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("k1", DataType.DECIMAL), new Field("k2", DataType.STRING),
            new Field("v", DataType.DECIMAL), new Field("q", DataType.BIGINT)));
    private static final String[] K1 = {"1.5", "1.50", "1.500", "2", "2.0", "-0.5", "-0.50", "0", "0.00"};
    private static final String[] K2 = {"a", "b", null};

    @RepeatedTest(20)
    void groupByMatchesBigDecimalReference(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(1000 + info.getCurrentRepetition());
        int n = 1 + r.nextInt(5000);
        int batchSize = 1 + r.nextInt(700);
        List<Object[]> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigDecimal v = r.nextInt(10) == 0 ? null : switch (r.nextInt(4)) {
                case 0 -> BigDecimal.valueOf(r.nextLong(-1000, 1000), r.nextInt(4));
                case 1 -> BigDecimal.valueOf(r.nextLong(), r.nextInt(3));
                case 2 -> BigDecimal.valueOf(Long.MAX_VALUE - r.nextInt(10), 2);
                default -> BigDecimal.valueOf(r.nextLong(-99, 100), 2);
            };
            data.add(new Object[] {r.nextInt(15) == 0 ? null : new BigDecimal(K1[r.nextInt(K1.length)]),
                    K2[r.nextInt(K2.length)], v, (long) r.nextInt(1000)});
        }

        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory(
                "SELECT k1, k2, COUNT(*) AS n, COUNT(v) AS nv, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi, SUM(q) AS sq, AVG(v) AS a "
                        + "FROM t GROUP BY k1, k2 EMIT FINAL", "t", SCHEMA, sink);
        BatchPool pool = new BatchPool(SCHEMA, batchSize, 2);
        for (int from = 0; from < n; from += batchSize) {
            RecordBatch b = pool.acquire();
            for (int i = from; i < Math.min(n, from + batchSize); i++) {
                int row = b.size++;
                Object[] d = data.get(i);
                setDecimal(b, 0, row, (BigDecimal) d[0]);
                b.columns[1].setObject(row, d[1]);
                setDecimal(b, 2, row, (BigDecimal) d[2]);
                b.columns[3].setLong(row, (Long) d[3]);
            }
            plan.pipeline().push(b);
            b.release();
        }
        plan.pipeline().finish();

        Map<String, BigDecimal[]> ref = new TreeMap<>();
        for (Object[] d : data) {
            String key = norm((BigDecimal) d[0]) + "|" + d[1];
            BigDecimal[] acc = ref.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, BigDecimal.ZERO});
            acc[0] = acc[0].add(BigDecimal.ONE);
            BigDecimal v = (BigDecimal) d[2];
            if (v != null) {
                acc[1] = acc[1].add(BigDecimal.ONE);
                acc[2] = acc[2] == null ? v : acc[2].add(v);
                acc[3] = acc[3] == null || v.compareTo(acc[3]) < 0 ? v : acc[3];
                acc[4] = acc[4] == null || v.compareTo(acc[4]) > 0 ? v : acc[4];
            }
            acc[5] = acc[5].add(BigDecimal.valueOf((Long) d[3]));
        }
        Map<String, String> expected = new TreeMap<>();
        ref.forEach((k, a) -> {
            BigDecimal avg = a[2] == null ? null : a[2].divide(a[1], Math.max(6, a[2].scale()), RoundingMode.HALF_UP);
            expected.put(k, a[0].longValue() + " " + a[1].longValue() + " " + cmp(a[2]) + " " + cmp(a[3]) + " " + cmp(a[4]) + " "
                    + a[5].longValue() + " " + cmp(avg));
        });
        Map<String, String> actual = new TreeMap<>();
        for (List<Object> row : sink.rows) {
            String key = norm((BigDecimal) row.get(0)) + "|" + row.get(1);
            actual.put(key, row.get(2) + " " + row.get(3) + " " + cmp((BigDecimal) row.get(4)) + " " + cmp((BigDecimal) row.get(5)) + " "
                    + cmp((BigDecimal) row.get(6)) + " " + row.get(7) + " " + cmp((BigDecimal) row.get(8)));
        }
        assertEquals(expected, actual);
        assertEquals(ref.size(), sink.rows.size(), "one final row per group");
    }

    private static final Schema FIXED = new Schema(List.of(new Field("v", DataType.decimal(38, 3)), new Field("q", DataType.BIGINT)));

    /** Global aggregates take whole columns through the batch sum kernel; the answer must not change. */
    @RepeatedTest(20)
    void globalAggregatesMatchBigDecimalReference(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(5000 + info.getCurrentRepetition());
        int mode = info.getCurrentRepetition() % 4; // 0: small values, 1: near overflow, 2: promoted, 3: mixed scales
        int n = 1 + r.nextInt(4000);
        int batchSize = 1 + r.nextInt(900);
        BigDecimal sum = null;
        long count = 0;
        long countV = 0;
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory(
                "SELECT COUNT(*) AS n, COUNT(v) AS nv, SUM(v) AS s, AVG(v) AS a FROM t WHERE q % 5 <> 0 EMIT FINAL", "t", FIXED, sink);
        BatchPool pool = new BatchPool(FIXED, batchSize, 2);
        for (int from = 0; from < n; from += batchSize) {
            RecordBatch b = pool.acquire();
            for (int i = from; i < Math.min(n, from + batchSize); i++) {
                int row = b.size++;
                BigDecimal v = r.nextInt(12) == 0 ? null : switch (mode) {
                    case 0 -> BigDecimal.valueOf(r.nextLong(-1_000_000, 1_000_000), 3);
                    case 1 -> BigDecimal.valueOf(Long.MAX_VALUE - r.nextInt(1000), 3);
                    case 2 -> r.nextInt(50) == 0 ? new BigDecimal("98765432109876543210.123") : BigDecimal.valueOf(r.nextLong(-99, 99), 3);
                    default -> BigDecimal.valueOf(r.nextLong(-1000, 1000), r.nextInt(2) == 0 ? 3 : 1);
                };
                setDecimal(b, 0, row, v);
                b.columns[1].setLong(row, i);
                if (i % 5 != 0) {
                    count++;
                    if (v != null) {
                        countV++;
                        sum = sum == null ? v : sum.add(v);
                    }
                }
            }
            plan.pipeline().push(b);
            b.release();
        }
        plan.pipeline().finish();
        assertEquals(1, sink.rows.size());
        List<Object> row = sink.rows.get(0);
        assertEquals(count, row.get(0));
        assertEquals(countV, row.get(1));
        assertEquals(cmp(sum), cmp((BigDecimal) row.get(2)));
        BigDecimal avg = sum == null ? null : sum.divide(BigDecimal.valueOf(countV), Math.max(6, sum.scale()), RoundingMode.HALF_UP);
        assertEquals(cmp(avg), cmp((BigDecimal) row.get(3)));
    }

    private static void setDecimal(RecordBatch b, int col, int row, BigDecimal v) {
        if (v == null) {
            b.columns[col].setNull(row);
        } else {
            b.columns[col].setDecimal(row, new io.velo.types.decimal.Dec().set(v));
        }
    }

    private static String norm(BigDecimal d) {
        return d == null ? "null" : d.stripTrailingZeros().toPlainString();
    }

    private static String cmp(BigDecimal d) {
        return d == null ? "null" : d.stripTrailingZeros().toPlainString();
    }
}
