package io.velo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subqueries over a keyed table end to end over generated files, against a map-based model of the
 * table evaluated with SQL's three-valued rules in plain Java: a table with replacing rows, tombstones
 * and NULL values; 2,000 stream rows (keys never in the table, NULL keys and values). Correlated
 * scalar (key lookup), correlated EXISTS with a further predicate, correlated COUNT over a scan,
 * uncorrelated NOT IN over a set holding a NULL and IN over one without, and a scalar subquery that
 * gives several rows (record errors, counted) — under batch sizes 1, 7 and 1000.
 */
class SubqueryDifferentialTest {
    @TempDir
    Path dir;

    private static final int KEYS = 30;
    private static final int ROWS = 2000;

    private record Ref(long lim, Long cap) {
    }

    @Test
    void subqueriesGiveTheModelsAnswerWhateverTheBatching() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder table = new StringBuilder("k,lim,cap,_deleted\n");
        Map<Long, Ref> model = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            long k = rnd.nextInt(KEYS);
            if (rnd.nextInt(6) == 0) {
                table.append(k).append(",,,true\n");
                model.remove(k);
            } else {
                long lim = rnd.nextInt(100);
                Long cap = rnd.nextInt(8) == 0 ? null : (long) rnd.nextInt(50);
                table.append(k).append(',').append(lim).append(',').append(cap == null ? "" : cap).append(",false\n");
                model.put(k, new Ref(lim, cap));
            }
        }
        Files.writeString(dir.resolve("ref.csv"), table);
        assertTrue(model.values().stream().anyMatch(r -> r.cap() == null), "the table holds a NULL cap");

        StringBuilder stream = new StringBuilder("id,k,v\n");
        List<String> scalar = new ArrayList<>();
        List<String> exists = new ArrayList<>();
        List<String> count = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        List<String> single = new ArrayList<>();
        int failed = 0;
        for (int id = 1; id <= ROWS; id++) {
            Long k = rnd.nextInt(20) == 0 ? null : (long) rnd.nextInt(KEYS + 8);
            Long v = rnd.nextInt(15) == 0 ? null : (long) rnd.nextInt(120);
            stream.append(id).append(',').append(k == null ? "" : k).append(',').append(v == null ? "" : v).append('\n');
            Ref r = k == null ? null : model.get(k);
            // (SELECT lim FROM ref r WHERE r.k = s.k)
            scalar.add("{\"id\":" + id + ",\"lim\":" + (r == null ? "null" : r.lim()) + "}");
            // EXISTS (SELECT 1 FROM ref r WHERE r.k = s.k AND s.v > r.lim)
            if (r != null && v != null && v > r.lim()) {
                exists.add("{\"id\":" + id + "}");
            }
            // (SELECT COUNT(*) FROM ref r WHERE r.lim < s.v)
            long n = 0;
            for (Ref x : model.values()) {
                if (v != null && x.lim() < v) {
                    n++;
                }
            }
            count.add("{\"id\":" + id + ",\"n\":" + n + "}");
            // v NOT IN (SELECT cap FROM ref), v IN (SELECT lim FROM ref)
            sets.add("{\"id\":" + id + ",\"not_cap\":" + text(not(in(v, caps(model)))) + ",\"is_lim\":" + text(in(v, lims(model))) + "}");
            // (SELECT k FROM ref r WHERE r.lim = s.v): several rows are an error of the record
            List<Long> ks = new ArrayList<>();
            for (Map.Entry<Long, Ref> e : model.entrySet()) {
                if (v != null && e.getValue().lim() == v) {
                    ks.add(e.getKey());
                }
            }
            if (ks.size() > 1) {
                failed++;
            } else {
                single.add("{\"id\":" + id + ",\"k\":" + (ks.isEmpty() ? "null" : ks.get(0)) + "}");
            }
        }
        Files.writeString(dir.resolve("s.csv"), stream);
        assertTrue(failed > 0 && failed < ROWS / 2, "the data has some rows with several matches: " + failed);
        assertTrue(exists.size() > 50, "EXISTS matches some rows: " + exists.size());

        for (String size : new String[] {"1", "7", "1000"}) {
            String b = "'batch.size' = '" + size + "'";
            String script = "CREATE STREAM s (id BIGINT, k BIGINT, v BIGINT) WITH ('s.type' = 'file_source', 's.path' = 's.csv', 's.format' = 'csv');\n"
                    + "CREATE TABLE ref (k BIGINT PRIMARY KEY, lim BIGINT, cap BIGINT, _deleted BOOLEAN) WITH ('ref.type' = 'file_source', 'ref.path' = 'ref.csv', 'ref.format' = 'csv');\n"
                    + sink("scalar", "SELECT id, (SELECT lim FROM ref r WHERE r.k = s.k) AS lim FROM s", b)
                    + sink("ex", "SELECT id FROM s WHERE EXISTS (SELECT 1 FROM ref r WHERE r.k = s.k AND s.v > r.lim)", b)
                    + sink("cnt", "SELECT id, (SELECT COUNT(*) FROM ref r WHERE r.lim < s.v) AS n FROM s", b)
                    + sink("sets", "SELECT id, v NOT IN (SELECT cap FROM ref) AS not_cap, v IN (SELECT lim FROM ref) AS is_lim FROM s", b)
                    + sink("single", "SELECT id, (SELECT k FROM ref r WHERE r.lim = s.v) AS k FROM s", b);
            Files.writeString(dir.resolve("job.sql"), script);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.execute(new String[] {"run", dir.resolve("job.sql").toString()}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String log = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, log);
            assertEquals(scalar, Files.readAllLines(dir.resolve("out/scalar.json")), "batch.size " + size);
            assertEquals(exists, Files.readAllLines(dir.resolve("out/ex.json")), "batch.size " + size);
            assertEquals(count, Files.readAllLines(dir.resolve("out/cnt.json")), "batch.size " + size);
            assertEquals(sets, Files.readAllLines(dir.resolve("out/sets.json")), "batch.size " + size);
            assertEquals(single, Files.readAllLines(dir.resolve("out/single.json")), "batch.size " + size);
            assertTrue(log.contains("single: " + ROWS + " records read, " + single.size() + " written, " + failed + " failed [21000 ×" + failed + "]"), log);
            assertTrue(log.contains("ex: " + ROWS + " records read, " + exists.size() + " written, " + (ROWS - exists.size()) + " filtered out, 0 failed; table ref: 120 records read, 0 failed, " + model.size() + " keys"), log);
            assertTrue(!log.contains("unaccounted"), log);
        }
    }

    private static String sink(String name, String select, String batching) {
        return "CREATE STREAM " + name + " AS " + select + "\nWITH ('" + name + ".type' = 'file_sink', '" + name + ".path' = 'out/" + name
                + ".json', " + batching + ");\n";
    }

    private static List<Long> caps(Map<Long, Ref> model) {
        List<Long> out = new ArrayList<>();
        model.values().forEach(r -> out.add(r.cap()));
        return out;
    }

    private static List<Long> lims(Map<Long, Ref> model) {
        List<Long> out = new ArrayList<>();
        model.values().forEach(r -> out.add(r.lim()));
        return out;
    }

    /** {@code v IN (values)} in SQL: FALSE over none; TRUE on a match; NULL if v or a value is NULL; else FALSE. */
    private static Boolean in(Long v, List<Long> values) {
        if (values.isEmpty()) {
            return false;
        }
        if (v != null && values.contains(v)) {
            return true;
        }
        return v == null || values.contains(null) ? null : false;
    }

    private static Boolean not(Boolean b) {
        return b == null ? null : !b;
    }

    private static String text(Boolean b) {
        return b == null ? "null" : b.toString();
    }
}
