package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.api.Engine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader of an EMIT CHANGES result with HAVING (and a result expression that fails for some
 * groups) rebuilds the final table by upserting rows by key and deleting on retractions — from the
 * JSON file and from the CSV file, under several batch sizes. Each retraction must remove a row the
 * reader holds (no retraction of a group never shown), and the table at the end must be the final
 * groups that pass HAVING and whose expression does not fail.
 */
class ChangelogRebuildTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @RepeatedTest(2)
    void readersRebuildTheFinalTable(RepetitionInfo info) throws Exception {
        SplittableRandom r = new SplittableRandom(7 + info.getCurrentRepetition());
        StringBuilder csv = new StringBuilder("k,v\n");
        Map<String, long[]> sums = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            String k = "k" + r.nextInt(6);
            long v = r.nextInt(-6, 7);
            csv.append(k).append(',').append(v).append('\n');
            long[] acc = sums.computeIfAbsent(k, x -> new long[2]);
            acc[0] += v;
            acc[1]++;
        }
        Files.writeString(tmp.resolve("in.csv"), csv);
        Map<String, String> expected = new TreeMap<>();
        sums.forEach((k, acc) -> {
            if (acc[0] > 3 && acc[0] != 12) {
                expected.put(k, acc[0] + "|" + acc[1] + "|" + 1200 / (acc[0] - 12));
            }
        });
        for (String size : new String[] {"1", "3", "1000"}) {
            String sql = "CREATE TABLE t AS SELECT k, SUM(v) AS s, COUNT(*) AS n, 1200 / (SUM(v) - 12) AS q FROM e GROUP BY k "
                    + "HAVING SUM(v) > 3 WITH ('e.type' = 'file_source', 'e.path' = 'in.csv', 'e.format' = 'csv', "
                    + "'e.schema' = 'k STRING, v BIGINT', 'batch.size' = '" + size + "', "
                    + "'t.type' = 'file_sink', 't.path' = 'out." + size + ".json');\n"
                    + "CREATE TABLE c AS SELECT k, SUM(v) AS s, COUNT(*) AS n, 1200 / (SUM(v) - 12) AS q FROM e GROUP BY k "
                    + "HAVING SUM(v) > 3 WITH ('e.type' = 'file_source', 'e.path' = 'in.csv', 'e.format' = 'csv', "
                    + "'e.schema' = 'k STRING, v BIGINT', 'batch.size' = '" + size + "', "
                    + "'c.type' = 'file_sink', 'c.path' = 'out." + size + ".csv', 'c.format' = 'csv');";
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(sql, tmp, Engine.RunOptions.defaults());
            assertFalse(err.toString(StandardCharsets.UTF_8).contains("unaccounted"), err.toString(StandardCharsets.UTF_8));

            Map<String, String> fromJson = new TreeMap<>();
            int retractions = 0;
            for (String line : Files.readAllLines(tmp.resolve("out." + size + ".json"))) {
                JsonNode j = JSON.readTree(line);
                String k = j.get("k").asText();
                if (j.get("_deleted").asBoolean()) {
                    assertTrue(j.get("s").isNull() && j.get("q").isNull(), line);
                    assertTrue(fromJson.remove(k) != null, "a retraction of a row the reader does not hold: " + line);
                    retractions++;
                } else {
                    fromJson.put(k, j.get("s").asLong() + "|" + j.get("n").asLong() + "|" + j.get("q").asLong());
                }
            }
            assertTrue(retractions > 0, "the data must make groups leave the result");
            assertEquals(expected, fromJson, "table rebuilt from JSON, batch.size " + size);

            Map<String, String> fromCsv = new TreeMap<>();
            List<String> lines = new ArrayList<>(Files.readAllLines(tmp.resolve("out." + size + ".csv")));
            assertEquals("k,s,n,q,_deleted", lines.remove(0));
            for (String line : lines) {
                String[] cells = line.split(",", -1);
                if (cells[4].equals("true")) {
                    assertEquals(cells[0] + ",,,,true", line);
                    assertTrue(fromCsv.remove(cells[0]) != null, "a retraction of a row the reader does not hold: " + line);
                } else {
                    assertEquals("false", cells[4]);
                    fromCsv.put(cells[0], cells[1] + "|" + cells[2] + "|" + cells[3]);
                }
            }
            assertEquals(expected, fromCsv, "table rebuilt from CSV, batch.size " + size);
        }
    }
}
