package io.velo.exec.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.QueryDriver;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a transactional job does across a crash, without Kafka: run a query over random out-of-order
 * input, checkpointing its state at random batch boundaries into a compacted in-memory log, "crash"
 * at a random point after a checkpoint (the rows emitted since it are discarded, as an aborted
 * transaction's are), start a fresh query from the log and replay the input from that checkpoint.
 * The rows kept before the crash plus the rows of the restarted query must equal the rows of one
 * uninterrupted run — for every aggregate function, key type and window mode.
 */
class CheckpointRestoreTest {
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("k", DataType.STRING), new Field("d", DataType.decimal(12, 3)), new Field("n", DataType.BIGINT),
            new Field("x", DataType.DOUBLE), new Field("b", DataType.BOOLEAN)));

    private static final String[] QUERIES = {
        "SELECT k, COUNT(*) AS c, COUNT(n) AS cn, SUM(d) AS s, AVG(d) AS a, MIN(d) AS lo, MAX(k) AS hi, SUM(n) AS sn FROM t GROUP BY k EMIT CHANGES",
        "SELECT k, n % 3 AS m, SUM(x) AS sx, AVG(n) AS an, FIRST_VALUE(d) AS f, LAST_VALUE(k) AS l FROM t GROUP BY k, n % 3 EMIT CHANGES",
        "SELECT d, COUNT(*) AS c, STDDEV(d) AS sd, VARIANCE(n) AS vn, STDDEV_POP(x) AS sp FROM t GROUP BY d EMIT CHANGES",
        "SELECT k, COUNT(DISTINCT n) AS dn, APPROX_COUNT_DISTINCT(d) AS ad, STRING_AGG(k, '|') AS sa, MEDIAN(d) AS md,"
                + " PERCENTILE_DISC(n, 0.9) AS p9 FROM t GROUP BY k EMIT CHANGES",
        "SELECT b, k, COUNT(*) AS c, SUM(d) AS s FROM t GROUP BY b, k HAVING SUM(d) > 0 EMIT CHANGES",
        "SELECT k, COUNT(*) AS c, SUM(d) AS s, MAX(x) AS mx, _window_start AS ws FROM t GROUP BY k WINDOW TUMBLING(1s) EMIT FINAL"
                + " WITH ('watermark.max_out_of_orderness' = '300ms')",
        "SELECT k, COUNT(*) AS c, SUM(n) AS s, _window_start AS ws FROM t GROUP BY k WINDOW TUMBLING(1s) EMIT CHANGES",
        "SELECT COUNT(*) AS c, SUM(d) AS s, MIN(n) AS lo FROM t EMIT FINAL",
        "SELECT k, COUNT(*) AS c, SUM(d) AS s FROM t GROUP BY k EMIT FINAL",
        "SELECT k, COUNT(*) AS c, SUM(d) AS s, AVG(n) AS a, _window_start AS ws FROM t GROUP BY k WINDOW SLIDING(2s, 500ms) EMIT FINAL"
                + " WITH ('watermark.max_out_of_orderness' = '300ms')",
        "SELECT k, COUNT(*) AS c, SUM(n) AS s, _window_start AS ws FROM t GROUP BY k WINDOW SLIDING(1s, 500ms) EMIT CHANGES",
        "SELECT k, COUNT(*) AS c, SUM(d) AS s, MIN(n) AS lo, COUNT(DISTINCT n) AS dn, _window_start AS ws, _window_end AS we FROM t"
                + " GROUP BY k WINDOW SESSION(400ms) EMIT FINAL WITH ('watermark.max_out_of_orderness' = '300ms')",
        "SELECT k, COUNT(*) AS c, SUM(n) AS s, _window_start AS ws FROM t GROUP BY k WINDOW SESSION(300ms) EMIT CHANGES",
    };

    private record Rec(long eventTime, Object[] values) { }

    /** A compacted log in memory: the latest value per key, deletes remove. */
    private static final class MemoryLog implements StateLog {
        final Map<StateKey, byte[]> entries = new LinkedHashMap<>();
        long puts;

        @Override
        public void put(byte[] key, byte[] value) {
            puts++;
            StateKey k = new StateKey(key.clone());
            if (value == null) {
                entries.remove(k);
            } else {
                entries.put(k, value.clone());
            }
        }

        Map<StateKey, byte[]> snapshot() {
            return new LinkedHashMap<>(entries);
        }
    }

    @TestFactory
    Stream<DynamicTest> aRestartedQueryGivesTheUninterruptedAnswer() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String q : QUERIES) {
            for (int seed = 1; seed <= 6; seed++) {
                int s = seed;
                tests.add(DynamicTest.dynamicTest(q + " (seed " + s + ")", () -> check(q, s)));
            }
        }
        return tests.stream();
    }

    private static List<Rec> generate(SplittableRandom r, int n) {
        List<Rec> out = new ArrayList<>();
        String[] keys = {"a", "b", "c", "d", "é", "🚀", null};
        long t = 10_000;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(60);
            long et = t - (r.nextInt(10) == 0 ? r.nextInt(1_500) : 0); // some out of order, some late
            Object d = r.nextInt(12) == 0 ? null : new BigDecimal(BigDecimal.valueOf(r.nextLong(-50_000, 50_000), 3).toPlainString());
            Object nn = r.nextInt(15) == 0 ? null : (Object) (long) r.nextInt(-20, 40);
            Object x = r.nextInt(20) == 0 ? null : (Object) (r.nextInt(1000) / 8.0);
            out.add(new Rec(et, new Object[] {keys[r.nextInt(keys.length)], d, nn, x, r.nextBoolean()}));
        }
        return out;
    }

    private static List<List<Object>> uninterrupted(String q, List<Rec> data, SplittableRandom cuts) {
        QueryDriver d = QueryDriver.of(q, "t", SCHEMA);
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            d.send(data.get(i).eventTime, data.get(i).values);
            if (cuts.nextInt(25) == 0) {
                rows.addAll(d.flush());
            }
        }
        rows.addAll(d.finish());
        return rows;
    }

    private void check(String q, int seed) {
        List<Rec> data = generate(new SplittableRandom(seed), 1_500);
        List<List<Object>> want = uninterrupted(q, data, new SplittableRandom(seed * 31L));

        SplittableRandom r = new SplittableRandom(seed * 7L);
        MemoryLog log = new MemoryLog();
        QueryDriver first = QueryDriver.of(q, "t", SCHEMA).withCheckpoints();
        List<List<Object>> kept = new ArrayList<>();
        List<List<Object>> sinceCheckpoint = new ArrayList<>();
        Map<StateKey, byte[]> committed = log.snapshot();
        int committedAt = 0;
        int crashAt = 300 + r.nextInt(data.size() - 600);
        for (int i = 0; i < crashAt; i++) {
            first.send(data.get(i).eventTime, data.get(i).values);
            if (r.nextInt(40) == 0) {
                sinceCheckpoint.addAll(first.checkpoint(log));
                kept.addAll(sinceCheckpoint); // committed with the checkpoint
                sinceCheckpoint.clear();
                committed = log.snapshot();
                committedAt = i + 1;
            } else if (r.nextInt(10) == 0) {
                sinceCheckpoint.addAll(first.flush());
            }
        }
        sinceCheckpoint.addAll(first.flush()); // emitted, then lost with the crash (the transaction aborts)
        assertTrue(committedAt > 0, "no checkpoint before the crash");

        QueryDriver second = QueryDriver.of(q, "t", SCHEMA).withCheckpoints().restore(committed);
        List<List<Object>> after = new ArrayList<>();
        for (int i = committedAt; i < data.size(); i++) { // replayed from the committed offsets
            second.send(data.get(i).eventTime, data.get(i).values);
            if (r.nextInt(30) == 0) {
                after.addAll(second.checkpoint(log));
            }
        }
        after.addAll(second.finish());
        List<List<Object>> got = new ArrayList<>(kept);
        got.addAll(after);
        int diff = 0;
        while (diff < Math.min(want.size(), got.size()) && want.get(diff).toString().equals(got.get(diff).toString())) {
            diff++;
        }
        assertEquals(text(want), text(got), "first difference at row " + diff + " of " + want.size() + " (" + kept.size()
                + " kept before the crash): want " + (diff < want.size() ? want.get(diff) : "end") + ", got "
                + (diff < got.size() ? got.get(diff) : "end") + "; crash after record " + crashAt + ", restored from the checkpoint after record " + committedAt);
        assertTrue(log.puts > 0);
    }

    private static String text(List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder();
        for (List<Object> row : rows) {
            sb.append(row).append('\n');
        }
        return sb.toString();
    }
}
