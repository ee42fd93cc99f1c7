package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File input end to end: bytes that are not UTF-8, quoted CSV fields over several lines, watched files
 * being written, {@code --max-records}, and CSV headers that do not fit the schema.
 */
class FileInputCliTest {
    @TempDir
    Path dir;


    private static VeloCli.Result velo(String... args) {
        return VeloCli.run(args);
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else if (p instanceof byte[] raw) {
                b.writeBytes(raw);
            } else {
                b.write((Integer) p);
            }
        }
        return b.toByteArray();
    }

    @Test
    void anInvalidUtf8ByteIsARecordErrorAtItsLineAndTheOthersGoOn() throws IOException {
        write("data/in.csv", bytes("id,name\n1,caf\u00e9\n2,ab", 0xFF, "c\n3,\"multi\nline\"\n4,x", 0xC3, "\n5,ok\n"));
        Path sql = write("j.sql", "SELECT id, name FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT, name STRING');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1,\"name\":\"café\"}\n{\"id\":3,\"name\":\"multi\\nline\"}\n{\"id\":5,\"name\":\"ok\"}\n", r.out());
        assertTrue(r.err().contains("data/in.csv:3: error 22021: invalid UTF-8: byte 0xFF at byte 5 of the line (record skipped)"), r.err());
        assertTrue(r.err().contains("data/in.csv:6: error 22021: invalid UTF-8: byte 0xC3 at byte 4 of the line (record skipped)"),
                "lines inside a quoted field are counted: " + r.err());
        assertTrue(r.err().contains("5 records read, 3 written, 2 failed [22021 ×2]"), r.err());
    }

    @Test
    void invalidUtf8InJsonLinesAndDuringInferenceIsDeadLetteredWithItsBytes() throws IOException {
        byte[] bad = bytes("{\"id\":2,\"name\":\"x", 0xE2, 0x82, "\"}");
        write("data/in.json", bytes("{\"id\":1,\"name\":\"a\"}\n", bad, "\n{\"id\":3,\"name\":\"\u20ac\"}\n"));
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id, name FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.json', "
                + "'o.type' = 'file_sink', 'o.path' = 'out/o.json', 'failure_strategy' = 'SendToDLQ', 'dlq.path' = 'out/dlq.jsonl');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), "the schema is inferred from the readable records: " + r.err());
        assertEquals(List.of("{\"id\":1,\"name\":\"a\"}", "{\"id\":3,\"name\":\"€\"}"), Files.readAllLines(dir.resolve("out/o.json")));
        assertTrue(r.err().contains("3 records read, 2 written, 1 failed (1 dead-lettered) [22021 ×1]"), r.err());
        JsonNode d = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("out/dlq.jsonl")).get(0));
        assertEquals("22021", d.get("error_code").asText());
        assertEquals(2, d.get("position").asLong());
        assertArrayEquals(bad, Base64.getDecoder().decode(d.get("record_base64").asText()), "the original bytes");
        assertEquals("{\"id\":2,\"name\":\"x\uFFFD\"}", d.get("record").asText(), "readable text beside them");
    }

    @Test
    void csvTheSinkWritesWithLineBreaksInFieldsIsReadBack() throws IOException {
        write("data/in.json", "{\"id\":1,\"note\":\"two\\nlines, \\\"quoted\\\"\"}\n{\"id\":2,\"note\":\"crlf\\r\\nend\"}\n"
                + "{\"id\":3,\"note\":\"\"}\n{\"id\":4,\"note\":null}\n{\"id\":5,\"note\":\"\\ud83d\\ude00\"}\n");
        Path sql = write("j.sql", "CREATE STREAM c AS SELECT id, note FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.json', "
                + "'t.schema' = 'id BIGINT, note STRING', 'c.type' = 'file_sink', 'c.path' = 'out/c.csv', 'c.format' = 'csv');\n"
                + "CREATE STREAM back AS SELECT id, note FROM c WITH ('c.type' = 'file_source', 'c.path' = 'out/c.csv', 'c.format' = 'csv', "
                + "'c.schema' = 'id BIGINT, note STRING', 'back.type' = 'file_sink', 'back.path' = 'out/back.json');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(dir.resolve("data/in.json")).replace("\\ud83d\\ude00", "😀"),
                Files.readString(dir.resolve("out/back.json")));
        assertTrue(Files.readString(dir.resolve("out/c.csv")).contains("\"two\nlines, \"\"quoted\"\"\""));
    }

    @Test
    void errorsAfterAMultiLineRecordKeepTheirLineAndAnUnterminatedQuoteIsOneRecordError() throws IOException {
        write("data/in.csv", "id,note\n1,\"a\nb\nc\"\n2,x,extra\n3,\"never closed\n4,fine\n");
        Path sql = write("j.sql", "SELECT id, note FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT, note STRING');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1,\"note\":\"a\\nb\\nc\"}\n{\"id\":4,\"note\":\"fine\"}\n", r.out());
        assertTrue(r.err().contains("data/in.csv:5: error 22P02: expected 2 fields but found 3"), r.err());
        assertTrue(r.err().contains("data/in.csv:6: error 22P02: unterminated quoted field"), r.err());
        assertTrue(r.err().contains("4 records read, 2 written, 2 failed"), r.err());
    }

    @Test
    void aWatchedFileWaitsForTheEndOfAHalfWrittenLine() throws Exception {
        Path data = write("data/in.csv", "id,name\n1,first\n");
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id, name FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 't.watch' = 'true', 't.schema' = 'id BIGINT, name STRING', "
                + "'o.type' = 'file_sink', 'o.path' = 'o.json', 'batch.size' = '1');");
        VeloCli.Result[] result = new VeloCli.Result[1];
        Thread job = new Thread(() -> result[0] = velo("run", sql.toString(), "--until-idle", "2s"));
        job.start();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!Files.exists(dir.resolve("o.json")) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the sink's file appears once the job runs: the half line must be written while it reads
        }
        Thread.sleep(300);
        Files.write(data, "2,sec".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Thread.sleep(500);
        Files.write(data, "ond\n3,tail without newline".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        job.join(20_000);
        assertFalse(job.isAlive());
        VeloCli.Result r = result[0];
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("{\"id\":1,\"name\":\"first\"}", "{\"id\":2,\"name\":\"second\"}", "{\"id\":3,\"name\":\"tail without newline\"}"),
                Files.readAllLines(dir.resolve("o.json")), "the last line is taken when the job ends after its idle time");
        assertTrue(r.err().contains("3 records read, 3 written, 0 failed"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "'batch.strategy' = 'fixed_size', 'batch.size' = '1000'",
        "'batch.strategy' = 'time_window', 'batch.window' = '1s'",
        "'batch.strategy' = 'memory_based', 'batch.memory_size' = '1000000'",
        "'batch.strategy' = 'adaptive_size', 'batch.min_size' = '2', 'batch.adaptive_max_size' = '1000'",
        "'batch.strategy' = 'low_latency', 'batch.low_latency_max_size' = '1000'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '50000', 'batch.parallel' = 'false'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '2', 'batch.parallel' = 'true'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '50000', 'batch.parallel' = 'true'",
    })
    void maxRecordsReadsExactlyThatMany(String batching) throws IOException {
        StringBuilder csv = new StringBuilder("id,v\n1,1\n2,oops\n");
        for (int i = 3; i <= 5000; i++) {
            csv.append(i).append(",").append(i).append('\n');
        }
        write("data/in.csv", csv.toString());
        String source = "FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', 't.schema' = 'id BIGINT, v BIGINT', "
                + batching + ")";
        Path sql = write("j.sql", "SELECT id " + source + ";");
        VeloCli.Result r = velo("run", sql.toString(), "--max-records", "4");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n{\"id\":3}\n{\"id\":4}\n", r.out(), "a failed record counts as read");
        assertTrue(r.err().contains("4 records read, 3 written, 1 failed"), r.err());
        assertFalse(r.err().contains("unaccounted") || r.err().contains("read ahead"), r.err());

        Path limited = write("l.sql", "SELECT id " + source.replace(" WITH", " LIMIT 2 WITH") + ";");
        VeloCli.Result l = velo("run", limited.toString(), "--max-records", "3");
        assertEquals(0, l.code(), l.err());
        assertEquals("{\"id\":1}\n{\"id\":3}\n", l.out());
        assertTrue(l.err().contains("3 records read, 2 written, 1 failed"), l.err());
        assertFalse(l.err().contains("unaccounted"), l.err());
    }

    @Test
    void aDuplicateOrMissingHeaderColumnFailsTheJobBeforeAnyRecordNamingTheColumn() throws IOException {
        write("data/dup.csv", "id,name,ID\n1,a,2\n");
        write("data/missing.csv", "id,nam\n1,a\n");
        Path dup = write("dup.sql", "CREATE STREAM o AS SELECT id, name FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/dup.csv', "
                + "'t.format' = 'csv', 't.schema' = 'id BIGINT, name STRING', 'o.type' = 'file_sink', 'o.path' = 'out/o.json');");
        VeloCli.Result r = velo("run", dup.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("data/dup.csv:1: error: the header names column 'id' twice (fields 1 and 3)"), r.err());
        assertFalse(Files.exists(dir.resolve("out/o.json")), "nothing is written");
        assertFalse(r.err().contains("\tat "), "no stack trace");

        Path missing = write("missing.sql", "SELECT id, name FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/missing.csv', "
                + "'t.format' = 'csv', 't.schema' = 'id BIGINT, name STRING');");
        VeloCli.Result m = velo("run", missing.toString());
        assertEquals(1, m.code(), m.err());
        assertTrue(m.err().contains("data/missing.csv:1: error: column 'name' is declared but the header has no such field (header: id, nam)"), m.err());
        assertEquals("", m.out());
    }

    @Test
    void headerFieldsWithAnEmptyNameAreIgnoredWithADeclaredSchema() throws IOException {
        for (String header : new String[] {"id,v,", ",id,v", "id,,v,,"}) {
            String row = header.replace("id", "1").replace("v", "a");
            write("data/e.csv", header + "\n" + row + "\n");
            Path sql = write("e.sql", "SELECT id, v FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/e.csv', "
                    + "'t.format' = 'csv', 't.schema' = 'id BIGINT, v STRING');");
            VeloCli.Result r = velo("run", sql.toString());
            assertEquals(0, r.code(), header + ": " + r.err());
            assertEquals("{\"id\":1,\"v\":\"a\"}\n", r.out(), header);
        }
    }

    @Test
    void withAnInferredSchemaEveryHeaderFieldKeepsItsValue() throws IOException {
        write("data/in.csv", "id,id,,x\n1,2,3,4\n");
        Path sql = write("j.sql", "SELECT * FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1,\"id_2\":2,\"c3\":3,\"x\":4}\n", r.out());
    }

    @Test
    void undeclaredHeaderFieldsAreIgnoredAndEveryFileOfAGlobIsChecked() throws IOException {
        write("data/a.csv", "extra,id\nz,1\n");
        write("data/b.csv", "id\n2\n");
        write("data/c.csv", "ident\n3\n");
        Path ok = write("ok.sql", "SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/[ab].csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT');");
        VeloCli.Result r = velo("run", ok.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n{\"id\":2}\n", r.out());
        Path bad = write("bad.sql", "SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/*.csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT');");
        VeloCli.Result b = velo("run", bad.toString());
        assertEquals(1, b.code(), b.err());
        assertEquals("", b.out(), "the third file's header is checked before the first file's records are read");
        assertTrue(b.err().contains("data/c.csv:1: error: column 'id' is declared but the header has no such field (header: ident)"), b.err());
    }

    @Test
    void aKeyGivenTwiceInOneJsonObjectIsARecordError() throws IOException {
        write("data/in.json", "{\"id\":1,\"v\":1}\n{\"id\":2,\"v\":1,\"V\":2}\n{\"id\":3,\"v\":3,\"other\":1,\"other\":2}\n");
        Path sql = write("j.sql", "SELECT id, v FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.json', 't.schema' = 'id BIGINT, v BIGINT');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1,\"v\":1}\n{\"id\":3,\"v\":3}\n", r.out(), "a repeated key the schema does not read is harmless");
        assertTrue(r.err().contains("data/in.json:2: error 22P02: duplicate key 'V' (column 'v' given twice) in the JSON object"), r.err());
    }
}
