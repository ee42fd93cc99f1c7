package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.api.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same out-of-order input (several keys and windows, late records, records without an event
 * time) through one tumbling job under every batch strategy and several batch sizes: the rows
 * written, their order, the late count and the dead-lettered records must be the same every time,
 * and equal to a reference computed here record by record (watermark = max event time seen −
 * out-of-orderness, moved after each record in input order).
 */
class WatermarkBatchingTest {
    private static final long WINDOW = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Batch settings: every strategy, sizes 1, 2, 7 and 1000, a decode thread. */
    private static final String[] BATCHINGS = {
        "'batch.strategy' = 'fixed_size', 'batch.size' = '1'",
        "'batch.strategy' = 'fixed_size', 'batch.size' = '2'",
        "'batch.strategy' = 'fixed_size', 'batch.size' = '7'",
        "'batch.strategy' = 'fixed_size', 'batch.size' = '1000'",
        "'batch.strategy' = 'time_window', 'batch.window' = '1ms'",
        "'batch.strategy' = 'time_window'",
        "'batch.strategy' = 'memory_based', 'batch.memory_size' = '100'",
        "'batch.strategy' = 'memory_based'",
        "'batch.strategy' = 'adaptive_size', 'batch.min_size' = '1', 'batch.adaptive_max_size' = '50', 'batch.target_latency' = '1ms'",
        "'batch.strategy' = 'low_latency'",
        "'batch.strategy' = 'low_latency', 'batch.low_latency_max_size' = '7'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '2', 'batch.parallel' = 'true'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '1000', 'batch.parallel' = 'true'",
        "'batch.strategy' = 'mega_batch'",
    };

    @TempDir
    Path tmp;

    private record Rec(String key, long value, Long ts) { }

    private record Outcome(List<String> rows, List<String> deadLetters, String summary) { }

    @TestFactory
    Stream<DynamicTest> everyBatchingGivesTheReferenceAnswer() throws IOException {
        List<Rec> data = generate(new SplittableRandom(42), 1000);
        StringBuilder csv = new StringBuilder("k,v,ts\n");
        for (Rec r : data) {
            csv.append(r.key).append(',').append(r.value).append(',').append(r.ts == null ? "" : r.ts).append('\n');
        }
        Files.writeString(tmp.resolve("in.csv"), csv);
        List<DynamicTest> tests = new ArrayList<>();
        String[][] configs = {{"0", "FINAL", "drop"}, {"0", "CHANGES", "dead_letter"}, {"300", "FINAL", "dead_letter"}, {"300", "CHANGES", "drop"}};
        for (String[] c : configs) {
            long ooo = Long.parseLong(c[0]);
            tests.add(DynamicTest.dynamicTest("EMIT " + c[1] + ", late " + c[2] + ", out-of-orderness " + ooo + "ms",
                    () -> checkAllBatchings(data, ooo, c[1], c[2])));
        }
        return tests.stream();
    }

    private void checkAllBatchings(List<Rec> data, long ooo, String emit, String lateStrategy) throws IOException {
        Reference ref = Reference.of(data, ooo, emit.equals("FINAL"));
        assertTrue(ref.late > 20 && ref.rows.size() > 50, "the data must exercise lateness: " + ref.late + " late");
        Outcome first = null;
        for (int i = 0; i < BATCHINGS.length; i++) {
            Outcome o = run(i, BATCHINGS[i], ooo, emit, lateStrategy);
            String label = BATCHINGS[i];
            assertEquals(ref.rows, o.rows, "rows with " + label);
            assertTrue(o.summary.contains(", " + ref.late + " late"), "late count with " + label + ": " + o.summary);
            assertTrue(o.summary.contains(", " + ref.failed + " failed"), "failed count with " + label + ": " + o.summary);
            if (lateStrategy.equals("dead_letter")) {
                List<String> positions = new ArrayList<>();
                for (String d : o.deadLetters) {
                    positions.add(d.substring(0, d.indexOf(' ')));
                }
                assertEquals(ref.lateLines, positions, "dead-lettered late records with " + label);
            } else {
                assertTrue(o.deadLetters.isEmpty(), "nothing dead-lettered with late.data.strategy = drop");
            }
            if (first == null) {
                first = o;
            } else {
                assertEquals(first.deadLetters, o.deadLetters, "dead letters (with their watermark) with " + label);
                assertEquals(first.summary, o.summary, "summary with " + label);
            }
        }
    }

    private Outcome run(int n, String batching, long ooo, String emit, String lateStrategy) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run" + n + "-" + emit + "-" + lateStrategy + "-" + ooo));
        Files.copy(tmp.resolve("in.csv"), dir.resolve("in.csv"));
        String sql = "CREATE STREAM bars AS SELECT k, COUNT(*) AS n, SUM(v) AS s, _window_start AS ws FROM e GROUP BY k "
                + "WINDOW TUMBLING(" + WINDOW + "ms) EMIT " + emit + "\n"
                + "WITH ('e.type' = 'file_source', 'e.path' = 'in.csv', 'e.format' = 'csv', 'e.schema' = 'k STRING, v BIGINT, ts BIGINT', "
                + "'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '" + ooo + "ms', "
                + "'late.data.strategy' = '" + lateStrategy + "', 'dlq.path' = 'dlq.json', " + batching + ", "
                + "'bars.type' = 'file_sink', 'bars.path' = 'out.json');";
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Engine.JobResult> results = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(sql, dir, Engine.RunOptions.defaults());
        String log = err.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("unaccounted"), log);
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out.json"))) {
            JsonNode j = JSON.readTree(line);
            rows.add(row(j.get("k").asText(), j.get("n").asLong(), j.get("s").asLong(), Instant.parse(j.get("ws").asText()).toEpochMilli()));
        }
        List<String> dead = new ArrayList<>();
        Path dlq = dir.resolve("dlq.json");
        if (Files.exists(dlq)) {
            for (String line : Files.readAllLines(dlq)) {
                JsonNode j = JSON.readTree(line);
                dead.add(j.get("position").asLong() + " " + j.get("error_code").asText() + " " + j.get("error").asText() + " " + j.get("record").asText());
            }
        }
        return new Outcome(rows, dead, results.get(0).summary());
    }

    private static String row(String k, long n, long s, long start) {
        return k + " n=" + n + " s=" + s + " window=" + start;
    }

    /** Mostly ascending event times with jitter, some records seconds behind, a few without a time. */
    private static List<Rec> generate(SplittableRandom r, int n) {
        List<Rec> out = new ArrayList<>();
        long t = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(60);
            Long ts = t;
            int p = r.nextInt(100);
            if (p < 12) {
                ts = t - r.nextInt(700);
            } else if (p < 16) {
                ts = t - 1000 - r.nextInt(3000);
            } else if (p == 16 && r.nextBoolean()) {
                ts = null;
            }
            out.add(new Rec("k" + r.nextInt(4), r.nextInt(-50, 100), ts));
        }
        return out;
    }

    /** The answer, one record at a time in input order. */
    private static final class Reference {
        final List<String> rows = new ArrayList<>();
        final List<String> lateLines = new ArrayList<>();
        long late;
        long failed;

        static Reference of(List<Rec> data, long ooo, boolean emitFinal) {
            Reference ref = new Reference();
            TreeMap<Long, Map<String, long[]>> open = new TreeMap<>();
            long max = Long.MIN_VALUE;
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < data.size(); i++) {
                Rec rec = data.get(i);
                if (rec.ts == null) {
                    ref.failed++;
                    continue;
                }
                long start = Math.floorDiv(rec.ts, WINDOW) * WINDOW;
                if (watermark != Long.MIN_VALUE && start + WINDOW <= watermark) {
                    ref.late++;
                    ref.lateLines.add(String.valueOf(i + 2)); // line 1 is the header
                    continue;
                }
                long[] acc = open.computeIfAbsent(start, s -> new LinkedHashMap<>()).computeIfAbsent(rec.key, k -> new long[2]);
                acc[0]++;
                acc[1] += rec.value;
                if (!emitFinal) {
                    ref.rows.add(row(rec.key, acc[0], acc[1], start));
                }
                if (rec.ts > max) {
                    max = rec.ts;
                    watermark = max - ooo;
                    while (!open.isEmpty() && open.firstKey() + WINDOW <= watermark) {
                        ref.close(open.pollFirstEntry(), emitFinal);
                    }
                }
            }
            while (!open.isEmpty()) {
                ref.close(open.pollFirstEntry(), emitFinal);
            }
            return ref;
        }

        private void close(Map.Entry<Long, Map<String, long[]>> window, boolean emitFinal) {
            if (emitFinal) {
                window.getValue().forEach((k, acc) -> rows.add(row(k, acc[0], acc[1], window.getKey())));
            }
        }
    }
}
