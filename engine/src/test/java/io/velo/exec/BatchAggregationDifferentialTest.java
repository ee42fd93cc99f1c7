package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The batch-at-a-time aggregation (EMIT FINAL: group ids per batch, one loop per aggregate, windows
 * cut where the watermark closes them) against the row-at-a-time path (EMIT CHANGES, whose last row
 * per group is the group's final value) on random data: every key shape (BIGINT, DOUBLE, fixed-scale
 * DECIMAL spelled with several scales, text, composite, NULL keys), every basic aggregate over BIGINT,
 * DOUBLE and DECIMAL with values near the 64-bit edge (BIGINT sums that overflow fail their record,
 * decimal sums promote), tumbling windows over disordered event times with late records, and random
 * batch sizes. Both must give the same groups, values, late and failed counts.
 */
class BatchAggregationDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("kb", DataType.BIGINT), new Field("kd", DataType.decimal(12, 2)), new Field("ks", DataType.STRING),
            new Field("kf", DataType.DOUBLE), new Field("q", DataType.BIGINT), new Field("v", DataType.decimal(18, 2)),
            new Field("f", DataType.DOUBLE), new Field("ts", DataType.TIMESTAMP)));

    private static final String[] KEYS = {"kb", "kd", "ks", "kf", "kb, ks", "kd, kb", "ks, kf, kb", "kb * 2", "CAST(kb AS STRING)"};
    private static final String AGGS = "COUNT(*) AS n, COUNT(q) AS nq, SUM(q) AS sq, AVG(q) AS aq, MIN(q) AS lq, MAX(q) AS hq, "
            + "SUM(v) AS sv, AVG(v) AS av, MIN(v) AS lv, MAX(v) AS hv, SUM(f) AS sf, MIN(f) AS lf, MAX(f) AS hf, "
            + "SUM(q * 2) AS sq2, FIRST_VALUE(q) AS fq, COUNT(DISTINCT q) AS dq, COUNT(DISTINCT v) AS dv, COUNT(DISTINCT f) AS df, "
            + "COUNT(DISTINCT kd) AS dkd, COUNT(DISTINCT ks) AS dks";

    @RepeatedTest(36)
    void batchPathMatchesRowPath(RepetitionInfo info) {
        int rep = info.getCurrentRepetition();
        SplittableRandom r = new SplittableRandom(7000 + rep);
        String key = KEYS[rep % KEYS.length];
        boolean windowed = rep % 2 == 0;
        int mode = (rep / 2) % 3; // 0: small values, 1: near the 64-bit edge, 2: mixed scales and promoted decimals
        List<Object[]> data = data(r, 1 + r.nextInt(4000), mode);
        String window = windowed ? " WINDOW TUMBLING(ts, INTERVAL '1' SECOND)" : "";
        String with = " WITH ('watermark.max_out_of_orderness' = '20ms')";
        String keyOut = windowed ? key + ", _window_start" : key;
        Result fin = run("SELECT " + keyOut + ", " + AGGS + " FROM t GROUP BY " + key + window + " EMIT FINAL" + with, data,
                1 + r.nextInt(600), false);
        Result changes = run("SELECT " + keyOut + ", " + AGGS + " FROM t GROUP BY " + key + window + " EMIT CHANGES" + with, data,
                1 + r.nextInt(600), true);
        assertEquals(changes.rows, fin.rows, "groups and values, key " + key + (windowed ? ", windowed" : ""));
        assertEquals(changes.late, fin.late, "late records");
        assertEquals(changes.failed, fin.failed, "failed records");
        assertTrue(fin.rows.size() > 0);
    }

    /** One answer whatever the batching: the batch path alone under batch sizes 1, 7 and 1000. */
    @Test
    void batchSizeDoesNotChangeTheAnswer() {
        List<Object[]> data = data(new SplittableRandom(99), 5000, 1);
        String sql = "SELECT kb, _window_start, " + AGGS + " FROM t GROUP BY kb WINDOW TUMBLING(ts, INTERVAL '1' SECOND) EMIT FINAL"
                + " WITH ('watermark.max_out_of_orderness' = '20ms')";
        Result one = run(sql, data, 1, false);
        assertEquals(one.rows, run(sql, data, 7, false).rows);
        assertEquals(one.rows, run(sql, data, 1000, false).rows);
        assertTrue(one.late > 0, "the data has late records");
        assertTrue(one.failed > 0, "the data has BIGINT sums that overflow");
    }

    /**
     * Several worker threads: a stateful stage partitioned by key gives the same groups, values, late
     * and failed counts as one thread (windows close at the same records: the watermark travels with
     * the rows), and a stateless stage gives the same rows in the same order.
     */
    @RepeatedTest(12)
    void severalWorkersGiveOneThreadsAnswer(RepetitionInfo info) {
        int rep = info.getCurrentRepetition();
        SplittableRandom r = new SplittableRandom(9100 + rep);
        String key = KEYS[rep % KEYS.length];
        boolean windowed = rep % 2 == 0;
        List<Object[]> data = data(r, 3000 + r.nextInt(9000), (rep / 2) % 3);
        String window = windowed ? " WINDOW TUMBLING(ts, INTERVAL '1' SECOND)" : "";
        String sql = "SELECT " + (windowed ? key + ", _window_start" : key) + ", " + AGGS + " FROM t WHERE q IS NULL OR q <> 3 GROUP BY "
                + key + window + " EMIT FINAL WITH ('watermark.max_out_of_orderness' = '20ms')";
        if (rep % 3 == 0) {
            sql = sql.replace(" EMIT FINAL", " HAVING COUNT(*) > 1 EMIT FINAL"); // the merge order survives a filter of results
        }
        int batch = 1 + r.nextInt(5000);
        List<String> oneOrder = new ArrayList<>();
        Result one = run(sql, data, batch, false, 1, oneOrder);
        // EMIT CHANGES: a result row per input row, merged back into input order
        String changes = sql.replace(" EMIT FINAL", " EMIT CHANGES").replace(" HAVING COUNT(*) > 1", "");
        List<String> oneChanges = new ArrayList<>();
        Result oneC = run(changes, data, batch, true, 1, oneChanges);
        assertTrue(oneOrder.size() > 1 && oneChanges.size() > oneOrder.size(), "the queries give results");
        for (int threads : new int[] {2, 3}) {
            List<String> manyOrder = new ArrayList<>();
            Result many = run(sql, data, batch, false, threads, manyOrder);
            assertEquals(one.rows, many.rows, threads + " workers, key " + key + (windowed ? ", windowed" : ""));
            assertEquals(oneOrder, manyOrder, threads + " workers: the rows come in one thread's order");
            assertEquals(one.late, many.late, "late records");
            assertEquals(one.failed, many.failed, "failed records");
            List<String> manyChanges = new ArrayList<>();
            Result manyC = run(changes, data, batch, true, threads, manyChanges);
            assertEquals(oneChanges, manyChanges, threads + " workers, EMIT CHANGES: the same changes in the same order");
            assertEquals(oneC.late, manyC.late, "late records (EMIT CHANGES)");
            assertEquals(oneC.failed, manyC.failed, "failed records (EMIT CHANGES)");
        }
        String stateless = "SELECT kb, q * 2 AS q2, v * 3 AS v3, ks FROM t WHERE q IS NULL OR q % 7 <> 0";
        List<String> oneRows = new ArrayList<>();
        List<String> manyRows = new ArrayList<>();
        Result a = run(stateless, data, 4096, true, 1, oneRows);
        Result b = run(stateless, data, 4096, true, 2, manyRows);
        assertEquals(oneRows, manyRows, "a stateless stage keeps the rows and their order");
        assertEquals(a.failed, b.failed);
        assertTrue(oneRows.size() > 1000);
    }

    private static List<Object[]> data(SplittableRandom r, int n, int mode) {
        List<Object[]> data = new ArrayList<>();
        long t = 1_700_000_000_000L;
        String[] texts = {"a", "b", "c", "dd", null};
        String[] decimals = {"1.5", "1.50", "2", "2.00", "-0.5", "-0.50", "0", "7.25", "12345.67"};
        for (int i = 0; i < n; i++) {
            t += r.nextInt(4);
            long ts = r.nextInt(25) == 0 ? t - r.nextInt(200) : t - r.nextInt(10); // some records late
            Long q = r.nextInt(15) == 0 ? null : switch (mode) {
                case 1 -> r.nextBoolean() ? Long.MAX_VALUE / 3 - r.nextInt(100) : r.nextLong(-1000, 1000);
                default -> (long) r.nextInt(1000);
            };
            BigDecimal v = r.nextInt(12) == 0 ? null : switch (mode) {
                case 1 -> BigDecimal.valueOf(Long.MAX_VALUE / 2 - r.nextInt(1000), 2);
                case 2 -> r.nextInt(40) == 0 ? new BigDecimal("98765432109876543210.12")
                        : BigDecimal.valueOf(r.nextLong(-9999, 9999), 2);
                default -> BigDecimal.valueOf(r.nextLong(-9999, 9999), 2);
            };
            Double f = r.nextInt(20) == 0 ? null : mode == 1 && r.nextInt(10) == 0 ? (r.nextBoolean() ? 1e308 : -0.0) : r.nextInt(100) / 4.0;
            String kd = decimals[r.nextInt(decimals.length)];
            BigDecimal kdv = r.nextInt(20) == 0 ? null : mode == 2 ? new BigDecimal(kd) : new BigDecimal(kd).setScale(2);
            data.add(new Object[] {r.nextInt(30) == 0 ? null : (long) r.nextInt(mode == 0 ? 40 : 400), kdv, texts[r.nextInt(texts.length)],
                    r.nextInt(20) == 0 ? null : (double) (r.nextInt(9) - 4) / 2, q, v, f, ts});
        }
        return data;
    }

    private record Result(Map<String, String> rows, long late, long failed) { }

    /** Runs {@code sql}; with {@code lastPerGroup}, keeps each group's last row (EMIT CHANGES). */
    private static Result run(String sql, List<Object[]> data, int batchSize, boolean lastPerGroup) {
        return run(sql, data, batchSize, lastPerGroup, 1, null);
    }

    private static Result run(String sql, List<Object[]> data, int batchSize, boolean lastPerGroup, int threads, List<String> ordered) {
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory(sql, "t", SCHEMA, sink, threads);
        BatchPool pool = new BatchPool(SCHEMA, batchSize, 2);
        int n = data.size();
        for (int from = 0; from < n; from += batchSize) {
            RecordBatch b = pool.acquire();
            for (int i = from; i < Math.min(n, from + batchSize); i++) {
                int row = b.size++;
                Object[] d = data.get(i);
                set(b, 0, row, d[0]);
                set(b, 1, row, d[1]);
                b.columns[2].setObject(row, d[2]);
                if (d[3] == null) {
                    b.columns[3].setNull(row);
                } else {
                    b.columns[3].setDouble(row, (Double) d[3]);
                }
                set(b, 4, row, d[4]);
                set(b, 5, row, d[5]);
                if (d[6] == null) {
                    b.columns[6].setNull(row);
                } else {
                    b.columns[6].setDouble(row, (Double) d[6]);
                }
                b.columns[7].setLong(row, (Long) d[7]);
                b.eventTime[row] = (Long) d[7];
                b.offset[row] = i + 1;
            }
            plan.pipeline().push(b);
            b.release();
        }
        plan.pipeline().finish();
        if (ordered != null) {
            for (List<Object> row : sink.rows) {
                ordered.add(row.toString());
            }
        }
        int keyCols = sql.contains(", COUNT(*)") ? sql.substring(7, sql.indexOf(", COUNT(*)")).split(",").length : 1;
        Map<String, String> rows = new LinkedHashMap<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (List<Object> row : sink.rows) {
            StringBuilder k = new StringBuilder();
            for (int c = 0; c < keyCols; c++) {
                k.append(text(row.get(c))).append('|');
            }
            StringBuilder v = new StringBuilder();
            for (int c = keyCols; c < row.size(); c++) {
                v.append(text(row.get(c))).append(' ');
            }
            if (!lastPerGroup) {
                assertTrue(seen.put(k.toString(), 1) == null, "one final row per group: " + k);
            }
            rows.put(k.toString(), v.toString());
        }
        return new Result(new TreeMap<>(rows), plan.metrics().late(), plan.metrics().failed());
    }

    private static String text(Object o) {
        if (o instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return String.valueOf(o);
    }

    private static void set(RecordBatch b, int col, int row, Object v) {
        if (v == null) {
            b.columns[col].setNull(row);
        } else if (v instanceof BigDecimal d) {
            io.velo.types.decimal.Dec x = new io.velo.types.decimal.Dec();
            x.set(d);
            b.columns[col].setDecimal(row, x);
        } else {
            b.columns[col].setLong(row, (Long) v);
        }
    }
}
