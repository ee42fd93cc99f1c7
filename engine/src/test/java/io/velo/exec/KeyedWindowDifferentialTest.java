package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.QueryDriver;
import io.velo.sql.SqlException;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SLIDING and SESSION windows ({@link KeyedWindowOperator}) over random out-of-order input with late
 * records: batches of 1, 7 and 1000 records give the same rows in the same order and the same late
 * count, equal to a reference computed here one record at a time from the definitions (a record's
 * windows, the watermark after each record, windows closed in order of end, start, opening).
 */
class KeyedWindowDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("k", DataType.STRING), new Field("v", DataType.BIGINT)));

    private record Rec(String k, long v, long t) { }

    private static final class Win {
        final String key;
        long start;
        long end;
        final long seq;
        long n;
        long sum;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;

        Win(String key, long start, long end, long seq) {
            this.key = key;
            this.start = start;
            this.end = end;
            this.seq = seq;
        }

        void add(long v) {
            n++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        void absorb(Win o) {
            n += o.n;
            sum += o.sum;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
        }

        String row() {
            return key + "," + n + "," + sum + "," + min + "," + max + "," + start + "," + end;
        }
    }

    /** The reference: rows in emission order, then the late count as the last element. */
    private static List<String> reference(List<Rec> in, boolean session, long size, long advance, long ooo, boolean fin) {
        List<Win> open = new ArrayList<>();
        List<String> out = new ArrayList<>();
        long wm = Long.MIN_VALUE;
        long seq = 0;
        long late = 0;
        for (Rec r : in) {
            long t = r.t;
            if (session) {
                List<Win> mine = new ArrayList<>();
                for (Win w : open) {
                    if (w.key.equals(r.k) && w.start < t + size && w.end > t) {
                        mine.add(w);
                    }
                }
                mine.sort(Comparator.comparingLong(w -> w.start));
                if (mine.isEmpty() && wm != Long.MIN_VALUE && t + size <= wm) {
                    late++;
                    continue;
                }
                Win target;
                if (mine.isEmpty()) {
                    target = new Win(r.k, t, t + size, seq++);
                    open.add(target);
                } else {
                    target = mine.get(0);
                    for (int i = 1; i < mine.size(); i++) {
                        target.absorb(mine.get(i));
                        target.end = Math.max(target.end, mine.get(i).end);
                        open.remove(mine.get(i));
                    }
                    target.start = Math.min(target.start, t);
                    target.end = Math.max(target.end, t + size);
                }
                target.add(r.v);
                if (!fin) {
                    out.add(target.row());
                }
            } else {
                long last = Math.floorDiv(t, advance) * advance;
                if (wm != Long.MIN_VALUE && last + size <= wm) {
                    late++;
                    continue;
                }
                List<Long> starts = new ArrayList<>();
                for (long s = last; s > t - size; s -= advance) {
                    if (s + size > wm) {
                        starts.add(0, s);
                    }
                }
                for (long s : starts) {
                    Win w = null;
                    for (Win o : open) {
                        if (o.key.equals(r.k) && o.start == s) {
                            w = o;
                        }
                    }
                    if (w == null) {
                        w = new Win(r.k, s, s + size, seq++);
                        open.add(w);
                    }
                    w.add(r.v);
                    if (!fin) {
                        out.add(w.row());
                    }
                }
            }
            if (t - ooo > wm) {
                wm = t - ooo;
                close(open, out, wm, fin);
            }
        }
        close(open, out, Long.MAX_VALUE, fin);
        out.add("late=" + late);
        return out;
    }

    private static void close(List<Win> open, List<String> out, long wm, boolean fin) {
        List<Win> closing = new ArrayList<>();
        for (Win w : open) {
            if (w.end <= wm) {
                closing.add(w);
            }
        }
        closing.sort(Comparator.<Win>comparingLong(w -> w.end).thenComparingLong(w -> w.start).thenComparingLong(w -> w.seq));
        for (Win w : closing) {
            if (fin) {
                out.add(w.row());
            }
            open.remove(w);
        }
    }

    private static List<Rec> generate(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Rec> out = new ArrayList<>();
        long t = 10_000;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(0, 300);
            long jitter = r.nextInt(10) == 0 ? r.nextInt(0, 4000) : r.nextInt(0, 400);
            out.add(new Rec("k" + r.nextInt(5), r.nextInt(-50, 1000), t - jitter));
        }
        return out;
    }

    private static List<String> run(String sql, List<Rec> in, int batch) {
        QueryDriver d = QueryDriver.of(sql, "t", SCHEMA);
        List<List<Object>> rows = new ArrayList<>();
        int pending = 0;
        for (Rec r : in) {
            d.send(r.t, r.k, r.v);
            if (++pending == batch) {
                rows.addAll(d.flush());
                pending = 0;
            }
        }
        rows.addAll(d.finish());
        List<String> out = new ArrayList<>();
        for (List<Object> row : rows) {
            StringBuilder b = new StringBuilder();
            for (Object o : row) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(o instanceof java.time.Instant i ? i.toEpochMilli() : o);
            }
            out.add(b.toString());
        }
        out.add("late=" + d.metrics().late());
        return out;
    }

    private static String sql(String window, String emit, long ooo) {
        return "SELECT k, COUNT(*) AS n, SUM(v) AS s, MIN(v) AS lo, MAX(v) AS hi, _window_start AS ws, _window_end AS we FROM t "
                + "GROUP BY k WINDOW " + window + " EMIT " + emit + " WITH ('watermark.max_out_of_orderness' = '" + ooo + "ms')";
    }

    private static void check(boolean session, long size, long advance, long ooo, boolean fin, long seed) {
        List<Rec> in = generate(seed, 1500);
        String window = session ? "SESSION(" + size + "ms)" : "SLIDING(" + size + "ms, " + advance + "ms)";
        String sql = sql(window, fin ? "FINAL" : "CHANGES", ooo);
        List<String> expected = reference(in, session, size, advance, ooo, fin);
        long late = Long.parseLong(expected.get(expected.size() - 1).substring(5));
        assertTrue(late > 0 && expected.size() > 100, "the input must have late records and rows: " + late);
        for (int batch : new int[] {1, 7, 1000}) {
            assertEquals(expected, run(sql, in, batch), sql + " in batches of " + batch);
        }
    }

    @Test
    void slidingFinal() {
        check(false, 1000, 250, 500, true, 1);
        check(false, 900, 300, 0, true, 2);
    }

    @Test
    void slidingChanges() {
        check(false, 1000, 250, 500, false, 3);
        check(false, 500, 500, 200, false, 4);
    }

    @Test
    void sessionFinal() {
        check(true, 400, 0, 600, true, 5);
        check(true, 250, 0, 0, true, 6);
    }

    @Test
    void sessionChanges() {
        check(true, 400, 0, 600, false, 7);
        check(true, 700, 0, 1500, false, 8);
    }

    @Test
    void badWindowsAreRefusedWithTheirPosition() {
        SqlException e = assertThrows(SqlException.class, () -> QueryDriver.of(sql("SLIDING(1s, 2s)", "FINAL", 0), "t", SCHEMA));
        assertTrue(e.getMessage().contains("advance must not exceed"), e.getMessage());
        e = assertThrows(SqlException.class, () -> QueryDriver.of(sql("SESSION(0s)", "FINAL", 0), "t", SCHEMA));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        e = assertThrows(SqlException.class, () -> QueryDriver.of(
                "SELECT k, STRING_AGG(k, ',') AS ks FROM t GROUP BY k WINDOW SESSION(1s)", "t", SCHEMA));
        assertTrue(e.getMessage().contains("cannot be used over SESSION"), e.getMessage());
        assertTrue(e.pos().line() == 1 && e.pos().col() > 1, e.pos().toString());
        e = assertThrows(SqlException.class, () -> QueryDriver.of(
                "SELECT k, TUMBLE_START(v, 1s) AS s, COUNT(*) AS n FROM t GROUP BY k WINDOW SLIDING(2s, 1s)", "t", SCHEMA));
        assertTrue(e.getMessage().contains("_window_start"), e.getMessage());
    }
}
