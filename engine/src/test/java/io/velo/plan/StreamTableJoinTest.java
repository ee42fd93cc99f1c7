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
 * Stream–table joins end to end over generated files: a reference table with replacing rows and
 * tombstones, 3,000 trades (some of symbols never in the table, some NULL, some of deleted keys),
 * INNER and LEFT, under batch sizes 1, 7 and 1000 (with a computed stream key and a decode thread
 * too). Every run must give the output a map-based model of the table gives, and the same counts.
 */
class StreamTableJoinTest {
    @TempDir
    Path dir;

    private static final int KEYS = 40;
    private static final int TRADES = 3000;

    @Test
    void joinsGiveTheModelsAnswerWhateverTheBatching() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        StringBuilder table = new StringBuilder("sym,lot,_deleted\n");
        Map<String, Long> model = new LinkedHashMap<>();
        for (int i = 0; i < 150; i++) {
            String sym = "S" + rnd.nextInt(KEYS);
            if (rnd.nextInt(5) == 0) {
                table.append(sym).append(",,true\n");
                model.remove(sym);
            } else {
                long lot = 1 + rnd.nextInt(1000);
                table.append(sym).append(',').append(lot).append(",false\n");
                model.put(sym, lot);
            }
        }
        Files.writeString(dir.resolve("ref.csv"), table);
        StringBuilder trades = new StringBuilder("id,sym\n");
        List<String> inner = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (int id = 1; id <= TRADES; id++) {
            int k = rnd.nextInt(KEYS + 10);
            String sym = k == KEYS + 9 ? null : "S" + k; // S40..S48 never in the table
            trades.append(id).append(',').append(sym == null ? "" : sym.toLowerCase()).append('\n');
            Long lot = sym == null ? null : model.get(sym);
            String symJson = sym == null ? "null" : "\"" + sym.toLowerCase() + "\"";
            if (lot != null) {
                inner.add("{\"id\":" + id + ",\"sym\":" + symJson + ",\"lot\":" + lot + "}");
            }
            left.add("{\"id\":" + id + ",\"sym\":" + symJson + ",\"lot\":" + (lot == null ? "null" : lot) + "}");
        }
        Files.writeString(dir.resolve("trades.csv"), trades);
        assertTrue(inner.size() > TRADES / 3 && inner.size() < TRADES, "the data has matches and misses: " + inner.size());

        String[] batchings = {
            "'batch.size' = '1'", "'batch.size' = '7'", "'batch.size' = '1000'", "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '7', 'batch.parallel' = 'true'"
        };
        for (String batching : batchings) {
            String script = "CREATE STREAM trades (id BIGINT, sym STRING) WITH ('trades.type' = 'file_source', 'trades.path' = 'trades.csv', 'trades.format' = 'csv');\n"
                    + "CREATE TABLE ref (sym STRING PRIMARY KEY, lot BIGINT, _deleted BOOLEAN) WITH ('ref.type' = 'file_source', 'ref.path' = 'ref.csv', 'ref.format' = 'csv');\n"
                    + "CREATE STREAM inner_out AS SELECT t.id, t.sym, r.lot FROM trades t JOIN ref r ON UPPER(t.sym) = r.sym\n"
                    + "WITH ('inner_out.type' = 'file_sink', 'inner_out.path' = 'out/inner.json', " + batching + ");\n"
                    + "CREATE STREAM left_out AS SELECT t.id, t.sym, lot FROM trades t LEFT JOIN ref r ON UPPER(t.sym) = r.sym\n"
                    + "WITH ('left_out.type' = 'file_sink', 'left_out.path' = 'out/left.json', " + batching + ");\n";
            Files.writeString(dir.resolve("job.sql"), script);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.execute(new String[] {"run", dir.resolve("job.sql").toString()}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String log = err.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, log);
            assertEquals(inner, Files.readAllLines(dir.resolve("out/inner.json")), batching);
            assertEquals(left, Files.readAllLines(dir.resolve("out/left.json")), batching);
            assertTrue(log.contains("inner_out: " + TRADES + " records read, " + inner.size() + " written, 0 failed, "
                    + (TRADES - inner.size()) + " without a table match; table ref: 150 records read, 0 failed, " + model.size() + " keys"), log);
            assertTrue(log.contains("left_out: " + TRADES + " records read, " + TRADES + " written, 0 failed; table ref"), log);
            assertTrue(!log.contains("unaccounted"), log);
        }
    }
}
