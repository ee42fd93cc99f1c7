package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line contract: exit codes, compiler-style errors, and file jobs end to end. */
class CliTest {
    @TempDir
    Path dir;

    private static VeloCli.Result velo(String... args) {
        return VeloCli.run(args);
    }

    private Path write(String name, String text) throws IOException {
        return VeloCli.write(dir, name, text);
    }

    private static final String CSV = "id,amount\n1,1.50\n2,oops\n3,-0.25\n4,2.00\n";

    @Test
    void sqlErrorIsExitTwoWithFileLineColumnAndCaret() throws IOException {
        Path sql = write("bad.sql", "-- comment\nSELECT id,\n       amout\nFROM t WITH ('t.type' = 'file_source', 't.path' = 'x.csv', 't.schema' = 'id BIGINT, amount DECIMAL(10,2)');\n");
        VeloCli.Result r = velo("check", sql.toString());
        assertEquals(2, r.code());
        assertEquals(sql + ":3:8: error: unknown column 'amout' (available: id, amount)\n       amout\n       ^\n", r.err());
        assertEquals(2, velo("run", sql.toString()).code());
    }

    @Test
    void usageErrorsAreExitTwo() throws IOException {
        Path ok = write("ok.sql", "SHOW FUNCTIONS;");
        assertEquals(0, velo("run", ok.toString()).code());
        VeloCli.Result idle = velo("run", ok.toString(), "--until-idle", "soon");
        assertEquals(2, idle.code());
        assertTrue(idle.err().contains("--until-idle"), idle.err());
        assertEquals(2, velo("run", ok.toString(), "--max-records", "-1").code());
        assertEquals(2, velo("run", ok.toString(), "--max-records", "many").code());
        assertEquals(2, velo("run", ok.toString(), "--kafka", "nowhere").code());
        assertEquals(0, velo("run", ok.toString(), "--kafka", "localhost:9092").code());
        assertEquals(2, velo().code());
        assertEquals(2, velo("frobnicate").code());
        assertEquals(2, velo("run").code());
        assertEquals(2, velo("run", dir.resolve("nope.sql").toString()).code());
        assertTrue(velo("run", dir.resolve("nope.sql").toString()).err().contains("no such file"));
    }

    private static final String ONE_JOB = "SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv');";

    /** A --set is validated as a WITH key is, and an error names the argument (there is no line and column to give). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "batch.sise=5|unknown property 'batch.sise' (did you mean 'batch.size'?)",
        "Batch.Size=5|unknown property 'Batch.Size' (did you mean 'batch.size'?)",
        "source.batch.sise=5|unknown property 'source.batch.sise' (did you mean 'source.batch.size'?)",
        "batch.size=ten|property 'batch.size' must be a number, got 'ten'",
        "failure_strategy=Ignore|property 'failure_strategy' must be one of LogAndContinue, SendToDLQ, FailBatch, RetryWithBackoff, got 'Ignore'",
        "t.pth=x|unknown property 't.pth' (did you mean 't.path'?)",
        "T.has_headers=maybe|property 'T.has_headers' must be true or false, got 'maybe'",
        "tt.path=x|'tt' is not a source or sink of any job in this script (did you mean 't.path'?)",
        "t.partitions=3|property 't.partitions' does not apply to 't', a file_source (it is read by kafka_source, kafka_sink)",
        "batch.window=1s|property 'batch.window' belongs to batch.strategy 'time_window' but no job of this script uses it (they use fixed_size)",
        "failure_strategy=SendToDLQ|dead-lettering needs 'dlq.path' (a file) or 'dlq.topic' (a Kafka topic)",
        "novalue|expected key=value",
        "=5|the property name before '=' is empty",
        "\" =5\"|the property name before '=' is empty",
    })
    void setIsValidatedLikeWithAndItsErrorsNameTheArgument(String arg, String message) throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", ONE_JOB);
        for (String command : new String[] {"check", "run"}) {
            VeloCli.Result r = velo(command, sql.toString(), "--set", arg);
            assertEquals(2, r.code(), r.err());
            assertEquals("--set " + arg + ": error: " + message + "\n", r.err());
            assertEquals("", r.out(), "nothing runs");
        }
    }

    @Test
    void aKeyGivenTwiceWithSetIsAnError() throws IOException {
        Path sql = write("j.sql", ONE_JOB);
        VeloCli.Result r = velo("check", sql.toString(), "--set", "batch.size=2", "--set", "batch.size=3");
        assertEquals(2, r.code());
        assertEquals("--set batch.size=3: error: property 'batch.size' is given twice (first as --set batch.size=2)\n", r.err());
    }

    /**
     * Precedence, highest first: --set, the statement's WITH, the source's declaration, its config file,
     * the batch strategy's suggestion, the default. Each level is shown winning once every level above it is gone.
     */
    @Test
    void setWinsOverWithDeclarationConfigFileSuggestionAndDefault() throws IOException {
        write("conf/t.yaml", "kafka.fetch.min.bytes: 100\nbatch.size: 3\n");
        String[][] levels = {
            // origin shown by check, fetch.min.bytes, batch.size
            {"--set", "400", "6"},
            {"WITH 2:", "300", "5"},
            {"declared 1:", "200", "4"},
            {"config_file conf/t.yaml:", "100", "3"},
            {"suggested by batch.strategy=fixed_size", "65536", null},
            {"default", null, "1000"},
        };
        for (int top = 0; top < levels.length; top++) {
            String decl = "CREATE STREAM t (id BIGINT) WITH ('t.type' = 'kafka_source', 't.topic' = 'x'"
                    + (top <= 3 ? ", 't.config_file' = 'conf/t.yaml'" : "")
                    + (top <= 2 ? ", 't.kafka.fetch.min.bytes' = '200', 'batch.size' = '4'" : "") + ");\n";
            String stmt = "SELECT id FROM t" + (top <= 1 ? " WITH ('t.kafka.fetch.min.bytes' = '300', 'batch.size' = '5')" : "") + ";";
            Path sql = write("j.sql", decl + stmt);
            VeloCli.Result r = top == 0
                    ? velo("check", sql.toString(), "--set", "t.kafka.fetch.min.bytes=400", "--set", "batch.size=6")
                    : velo("check", sql.toString());
            assertEquals(0, r.code(), r.err());
            String fetch = origin(r.out(), "t.kafka.fetch.min.bytes");
            String size = origin(r.out(), "batch.size");
            String[] l = levels[top];
            assertTrue(fetch.startsWith((l[1] != null ? l[1] : "65536") + " (" + (l[1] != null ? l[0] : levels[4][0])), fetch);
            assertTrue(size.startsWith((l[2] != null ? l[2] : "1000") + " (" + (l[2] != null ? l[0] : levels[5][0])), size);
        }
    }

    /** The value and origin check prints for one key: "VALUE (ORIGIN)". */
    private static String origin(String checkOutput, String key) {
        for (String line : checkOutput.split("\n")) {
            String t = line.trim();
            if (t.startsWith(key + " ")) {
                return t.substring(t.indexOf('=') + 1).trim().replaceAll("\\s+\\(", " (");
            }
        }
        throw new AssertionError(key + " not shown by check:\n" + checkOutput);
    }

    @Test
    void setAppliesToEveryJobThatReadsItAndRunsWithIt() throws IOException {
        write("data/in.csv", CSV);
        write("data/other.csv", "id,amount\n7,1.00\n8,2.00\n");
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 'o.type' = 'file_sink', 'o.path' = 'o.json');\n"
                + "SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', "
                + "'batch.strategy' = 'mega_batch');");
        VeloCli.Result c = velo("check", sql.toString(), "--set", "t.path=data/other.csv", "--set", "batch.size=1");
        assertEquals(0, c.code(), c.err());
        String[] jobs = c.out().split("SELECT select_2");
        assertTrue(jobs[0].matches("(?s).*batch\\.size\\s+= 1\\s+\\(--set\\).*"), jobs[0]);
        assertTrue(jobs[0].contains("Batching: fixed_size(records=1,"), jobs[0]);
        assertFalse(jobs[1].contains("batch.size"), "a mega_batch job does not read batch.size: " + jobs[1]);
        assertEquals(2, jobs[1].split("\\(--set\\)").length, "the path override applies to the second job too: " + jobs[1]);
        VeloCli.Result r = velo("run", sql.toString(), "--set", "t.path=data/other.csv", "--set", "batch.size=1");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("{\"id\":7}", "{\"id\":8}"), Files.readAllLines(dir.resolve("o.json")));
        assertEquals("{\"id\":7}\n{\"id\":8}\n", r.out());
    }

    @Test
    void aSourceNameInPropertiesMatchesInAnyCase() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "SELECT id FROM Trades WHERE id < 3 WITH ('trades.type' = 'file_source', 'TRADES.path' = 'data/in.csv', "
                + "'Trades.format' = 'csv');");
        VeloCli.Result r = velo("run", sql.toString(), "--set", "TRADES.has_headers=true");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n{\"id\":2}\n", r.out());
    }

    @Test
    void showFunctionsListsEachFunctionOnceUnderItsOwnName() throws IOException {
        VeloCli.Result r = velo("run", write("show.sql", "SHOW FUNCTIONS;").toString());
        assertEquals(0, r.code(), r.err());
        List<String> names = r.out().lines().map(l -> l.split("\\s+")[0]).toList();
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "a function listed twice: " + names);
        for (String f : List.of("CEIL", "LENGTH", "POWER", "REGEXP", "SUBSTRING", "COUNT")) {
            assertEquals(1, names.stream().filter(f::equals).count(), f + " in " + names);
        }
        for (String alias : List.of("CEILING", "CHAR_LENGTH", "POW", "REGEXP_LIKE")) {
            assertFalse(names.contains(alias), alias + " is an alias, not a function of its own");
        }
        assertTrue(r.out().contains("LEFT(s STRING, n BIGINT)"), "the listing shows argument types\n" + r.out());
    }

    @Test
    void missingInputIsARuntimeFailureWithItsPath() throws IOException {
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT * FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/none.csv', 't.format' = 'csv', "
                + "'t.schema' = 'id BIGINT', 'o.type' = 'file_sink', 'o.path' = 'out/o.json');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("source 't': no input file matches 'data/none.csv'"), r.err());
    }

    @Test
    void unwritableSinkIsARuntimeFailureWithItsPath() throws IOException {
        write("data/in.csv", CSV);
        write("blocker", "a file where a directory should be");
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT * FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', "
                + "'o.type' = 'file_sink', 'o.path' = 'blocker/sub/o.json');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("sink 'o': cannot write"), r.err());
        assertTrue(r.err().contains("blocker/sub/o.json"), r.err());
        assertTrue(r.err().contains(": a file is in the way: ") || r.err().contains(": not a directory: "), "in words, not class names: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("FileAlreadyExists") || r.err().contains("NoSuchFile"), r.err());
    }

    @Test
    void sendToDlqWritesOriginalTextErrorAndPosition() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id, 10 / amount AS inv FROM t WITH ("
                + "'t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', 't.schema' = 'id BIGINT, amount DECIMAL(10,2)', "
                + "'o.type' = 'file_sink', 'o.path' = 'out/o.json', 'failure_strategy' = 'SendToDLQ', 'dlq.path' = 'out/dlq.jsonl');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("4 records read, 3 written, 1 failed (1 dead-lettered)"), r.err());
        List<String> dlq = Files.readAllLines(dir.resolve("out/dlq.jsonl"));
        assertEquals(1, dlq.size());
        JsonNode d = new ObjectMapper().readTree(dlq.get(0));
        assertEquals("2,oops", d.get("record").asText());
        assertEquals("22P02", d.get("error_code").asText());
        assertEquals(3, d.get("position").asLong());
        assertTrue(d.get("source").asText().endsWith("data/in.csv"));
        assertEquals("o", d.get("job").asText());
        assertTrue(d.get("error").asText().contains("'oops' is not a valid DECIMAL(10,2)"));
        assertEquals("{\"id\":1,\"inv\":\"6.666667\"}", Files.readAllLines(dir.resolve("out/o.json")).get(0));
        assertEquals("{\"id\":3,\"inv\":\"-40.000000\"}", Files.readAllLines(dir.resolve("out/o.json")).get(1));
    }

    @Test
    void lateRecordsCanBeDeadLettered() throws IOException {
        write("data/ticks.csv", "k,ts\na,1000\na,9000\na,2000\na,9500\n");
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT k, COUNT(*) AS n FROM t GROUP BY k WINDOW TUMBLING(5s) WITH ("
                + "'t.type' = 'file_source', 't.path' = 'data/ticks.csv', 't.format' = 'csv', 'event.time.field' = 'ts', "
                + "'batch.size' = '1', 'late.data.strategy' = 'dead_letter', 'dlq.path' = 'late.jsonl', "
                + "'o.type' = 'file_sink', 'o.path' = 'o.json');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("1 late"), r.err());
        List<String> late = Files.readAllLines(dir.resolve("late.jsonl"));
        assertEquals(1, late.size());
        assertTrue(late.get(0).contains("\"error_code\":\"LATE1\"") && late.get(0).contains("\"record\":\"a,2000\""), late.get(0));
        assertEquals(List.of("{\"k\":\"a\",\"n\":1}", "{\"k\":\"a\",\"n\":2}"), Files.readAllLines(dir.resolve("o.json")));
    }

    @Test
    void checkPrintsPlanAndEveryPropertyWithItsOrigin() throws IOException {
        write("conf/base.yaml", "format: csv\nhas_headers: true\n");
        write("conf/trades.yaml", "extends: base.yaml\npath: ${VELO_TEST_UNSET_VAR:data/in.csv}\n");
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id FROM t WHERE amount > 1 WITH ("
                + "'t.config_file' = 'conf/trades.yaml', 't.schema' = 'id BIGINT, amount DECIMAL(10,2)', "
                + "'o.type' = 'file_sink', 'o.path' = 'o.json', 'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '20000', "
                + "'t.type' = 'file_source');");
        VeloCli.Result r = velo("check", sql.toString(), "--set", "batch.mega_batch_size=30000");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("Filter (amount > 1)"), out);
        assertTrue(out.matches("(?s).*t\\.path\\s+= data/in.csv\\s+\\(config_file conf/trades.yaml:2\\).*"), out);
        assertTrue(out.matches("(?s).*t\\.format\\s+= csv\\s+\\(config_file conf/base.yaml:1\\).*"), out);
        assertTrue(out.matches("(?s).*batch\\.mega_batch_size\\s+= 30000\\s+\\(--set\\)\\n.*"), out);
        assertTrue(out.matches("(?s).*batch\\.reuse_buffer\\s+= true\\s+\\(default\\).*"), out);
        assertTrue(out.contains("Batching: mega_batch(records=30000"), out);
        assertFalse(out.contains("batch.size "), "keys of other strategies are not listed");
        assertEquals(0, velo("run", sql.toString()).code());
        assertEquals(List.of("{\"id\":1}", "{\"id\":4}"), Files.readAllLines(dir.resolve("o.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "'batch.strategy' = 'fixed_size', 'batch.size' = '2', 'batch.timeout' = '10ms'",
        "'batch.strategy' = 'time_window', 'batch.window' = '1s'",
        "'batch.strategy' = 'memory_based', 'batch.memory_size' = '16'",
        "'batch.strategy' = 'adaptive_size', 'batch.min_size' = '1', 'batch.adaptive_max_size' = '3', 'batch.target_latency' = '5ms'",
        "'batch.strategy' = 'low_latency', 'batch.low_latency_max_size' = '1', 'batch.low_latency_wait' = '1ms', 'batch.eager_processing' = 'true'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '50000', 'batch.parallel' = 'false', 'batch.reuse_buffer' = 'true'",
        "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '7', 'batch.parallel' = 'true', 'batch.reuse_buffer' = 'false'",
        "'batch.strategy' = 'low_latency', 'batch.low_latency_max_size' = '4', 'batch.eager_processing' = 'false'",
        "'batch.enable' = 'false'",
        "'source.batch.strategy' = 'fixed_size', 'source.batch.size' = '3'",
    })
    void everyBatchStrategyGivesTheSameAnswer(String batching) throws IOException {
        StringBuilder csv = new StringBuilder("k,v\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i % 7).append(',').append(i).append(".5\n");
        }
        write("data/in.csv", csv.toString());
        Path sql = write("j.sql", "CREATE TABLE o AS SELECT k, COUNT(*) AS n, SUM(v) AS s FROM t GROUP BY k ORDER BY k EMIT FINAL WITH ("
                + "'t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', 'o.type' = 'file_sink', 'o.path' = 'o.csv', "
                + "'o.format' = 'csv', " + batching + ");");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("o.csv"));
        assertEquals("k,n,s", lines.get(0));
        for (int k = 0; k < 7; k++) {
            java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
            int n = 0;
            for (int i = k; i < 100; i += 7) {
                sum = sum.add(new java.math.BigDecimal(i + ".5"));
                n++;
            }
            assertEquals(k + "," + n + "," + sum.toPlainString(), lines.get(k + 1), batching);
        }
        assertEquals(8, lines.size());
    }

    @Test
    void csvWithoutHeaderOrSchemaIsInferredAndDelimited() throws IOException {
        write("data/in.txt", "1;x;0.5\n2;y;1.25\n3;z;abc\n");
        Path sql = write("j.sql", "SELECT c1 * 2 AS d, c2, c3 FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.txt', "
                + "'t.format' = 'csv', 't.has_headers' = 'false', 't.delimiter' = ';');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"d\":2,\"c2\":\"x\",\"c3\":\"0.5\"}\n{\"d\":4,\"c2\":\"y\",\"c3\":\"1.25\"}\n{\"d\":6,\"c2\":\"z\",\"c3\":\"abc\"}\n", r.out());
    }

    @Test
    void globSourcesReadEveryMatchingFileInOrder() throws IOException {
        write("data/part-2.json", "{\"n\":2}\n");
        write("data/part-1.json", "{\"n\":1}\n");
        write("data/other.json", "{\"n\":99}\n");
        Path sql = write("j.sql", "SELECT n FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/part-*.json', 't.schema' = 'n BIGINT');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"n\":1}\n{\"n\":2}\n", r.out());
    }

    @Test
    void aStatementMayOverrideTheStrategyItsSourceDeclares() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "CREATE STREAM t (id BIGINT, amount STRING) WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 'batch.strategy' = 'time_window', 'batch.window' = '2s');\n"
                + "SELECT id FROM t WITH ('batch.strategy' = 'fixed_size', 'batch.size' = '2');\n"
                + "SELECT id FROM t WITH ('batch.strategy' = 'fixed_size', 'batch.window' = '3s');");
        VeloCli.Result r = velo("check", sql.toString());
        assertEquals(2, r.code(), "a key of another strategy typed in the statement itself is an error");
        assertTrue(r.err().contains(":3:57: error: property 'batch.window' belongs to batch.strategy 'time_window'"), r.err());
        Path ok = write("ok.sql", Files.readString(sql).substring(0, Files.readString(sql).lastIndexOf("SELECT")));
        VeloCli.Result r2 = velo("check", ok.toString());
        assertEquals(0, r2.code(), r2.err());
        assertTrue(r2.out().contains("Batching: fixed_size(records=2"), r2.out());
        assertFalse(r2.out().contains("batch.window"), "the declaration's window no longer applies: " + r2.out());
    }

    @Test
    void byteOrderMarkAndEmptyInputs() throws IOException {
        write("data/bom.csv", "\uFEFFid,amount\n1,2.50\n");
        write("data/empty.csv", "id,amount\n");
        Path sql = write("j.sql", "SELECT id, amount FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/bom.csv', 't.format' = 'csv');\n"
                + "SELECT COUNT(*) AS n, SUM(amount) AS s FROM e EMIT FINAL WITH ('e.type' = 'file_source', 'e.path' = 'data/empty.csv', "
                + "'e.format' = 'csv', 'e.schema' = 'id BIGINT, amount DECIMAL(10,2)');\n"
                + "SELECT id, COUNT(*) AS n FROM e GROUP BY id EMIT FINAL WITH ('e.type' = 'file_source', 'e.path' = 'data/empty.csv', "
                + "'e.format' = 'csv', 'e.schema' = 'id BIGINT, amount DECIMAL(10,2)');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1,\"amount\":\"2.50\"}\n{\"n\":0,\"s\":null}\n", r.out(), "a global aggregate of nothing is one row; a grouped one is none");
    }

    @Test
    void aFailedResultRowNamesItsGroup() throws IOException {
        write("data/r.csv", "k,v\na,0\nb,2\n");
        Path sql = write("j.sql", "SELECT k, 10 / SUM(v) AS inv FROM t GROUP BY k EMIT FINAL "
                + "WITH ('t.type' = 'file_source', 't.path' = 'data/r.csv', 't.format' = 'csv');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"k\":\"b\",\"inv\":5}\n", r.out());
        assertTrue(r.err().contains("result:1: error 22012: division by zero in result row {k=a, aggregate 0=0} (record skipped)"), r.err());
        assertTrue(r.err().contains("2 records read, 1 written, 2 aggregated, 0 failed, 1 result rows failed"), r.err());
    }

    @Test
    void keyFieldSetsTheRecordKey() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "SELECT _key, id FROM t WHERE id < 3 WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 't.key.field' = 'id');");
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"_key\":\"1\",\"id\":1}\n{\"_key\":\"2\",\"id\":2}\n", r.out());
    }

    @Test
    void retryWithBackoffRetriesTheSinkThenFails() throws IOException {
        write("data/in.csv", CSV);
        write("blocker", "a file where a directory should be");
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 'o.type' = 'file_sink', 'o.path' = 'blocker/o.json', "
                + "'sink.failure_strategy' = 'RetryWithBackoff', 'sink.max_retries' = '2', 'sink.retry_backoff' = '10ms');");
        long t0 = System.nanoTime();
        VeloCli.Result r = velo("run", sql.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("retry 1/2 in 10ms") && r.err().contains("retry 2/2 in 20ms"), r.err());
        assertTrue(r.err().contains("(after 2 retries)"), r.err());
        assertTrue(System.nanoTime() - t0 >= 30_000_000L, "the backoff waits 10 ms then 20 ms");
    }

    @Test
    void watchedFileRunsUntilIdle() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "CREATE STREAM o AS SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 't.watch' = 'true', 't.schema' = 'id BIGINT, amount STRING', "
                + "'o.type' = 'file_sink', 'o.path' = 'o.json');");
        long t0 = System.nanoTime();
        VeloCli.Result r = velo("run", sql.toString(), "--until-idle", "300ms");
        assertEquals(0, r.code(), r.err());
        assertTrue(System.nanoTime() - t0 >= 300_000_000L);
        assertEquals(4, Files.readAllLines(dir.resolve("o.json")).size());
    }

    @Test
    void anUnboundedJobDoesNotStarveTheOthers() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "CREATE STREAM w AS SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', "
                + "'t.format' = 'csv', 't.watch' = 'true', 't.schema' = 'id BIGINT, amount STRING', 'w.type' = 'file_sink', 'w.path' = 'w.json');\n"
                + "CREATE STREAM b AS SELECT id FROM t2 WITH ('t2.type' = 'file_source', 't2.path' = 'data/in.csv', 't2.format' = 'csv', "
                + "'t2.schema' = 'id BIGINT, amount STRING', 'b.type' = 'file_sink', 'b.path' = 'b.json');");
        VeloCli.Result r = velo("run", sql.toString(), "--until-idle", "500ms");
        assertEquals(0, r.code(), r.err());
        assertEquals(4, Files.readAllLines(dir.resolve("w.json")).size());
        assertEquals(4, Files.readAllLines(dir.resolve("b.json")).size());
        assertTrue(r.err().contains("w: 4 records read") && r.err().contains("b: 4 records read"), r.err());
    }

    @Test
    void parallelDecodeWithLimitAccountsForReadAhead() throws IOException {
        StringBuilder csv = new StringBuilder("id\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(i).append('\n');
        }
        write("data/many.csv", csv.toString());
        Path sql = write("j.sql", "SELECT id FROM t LIMIT 3 WITH ('t.type' = 'file_source', 't.path' = 'data/many.csv', 't.format' = 'csv', "
                + "'batch.strategy' = 'mega_batch', 'batch.mega_batch_size' = '500', 'batch.parallel' = 'true');");
        for (int run = 0; run < 5; run++) {
            VeloCli.Result r = velo("run", sql.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n", r.out());
            assertFalse(r.err().contains("unaccounted"), r.err());
        }
    }

    @Test
    void maxRecordsEndsTheJobEarly() throws IOException {
        write("data/in.csv", CSV);
        Path sql = write("j.sql", "SELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv', 'batch.size' = '1');");
        VeloCli.Result r = velo("run", sql.toString(), "--max-records", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n{\"id\":2}\n", r.out());
    }

    @Test
    void orderByLimitAccountsForEveryRecordWhateverTheBatching() throws IOException {
        StringBuilder csv = new StringBuilder("id,v\n");
        for (int i = 1; i <= 2000; i++) {
            csv.append(i).append(',').append(i == 2 ? "x" : String.valueOf(i % 97)).append('\n');
        }
        write("data/m.csv", csv.toString());
        Path sql = write("top.sql", "SELECT id FROM t ORDER BY id DESC LIMIT 3 WITH ('t.type' = 'file_source', 't.path' = 'data/m.csv', "
                + "'t.format' = 'csv', 't.schema' = 'id BIGINT, v BIGINT');");
        for (String size : new String[] {"1", "7", "1000", "5000"}) {
            VeloCli.Result r = VeloCli.run("run", sql.toString(), "--set", "batch.size=" + size);
            assertEquals(0, r.code(), r.err());
            assertEquals("{\"id\":2000}\n{\"id\":1999}\n{\"id\":1998}\n", r.out(), size);
            assertTrue(r.err().contains("2000 records read, 3 written, 1 failed [22P02 ×1], 1996 beyond LIMIT"), size + ": " + r.err());
            assertFalse(r.err().contains("unaccounted"), size + ": " + r.err());
        }
    }

    @Test
    void aByteOrderMarkBeforeTheScriptIsSkipped() throws IOException {
        write("data/in.csv", "id\n1\n");
        Path sql = write("bom.sql", "\uFEFFSELECT id FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/in.csv', 't.format' = 'csv');");
        VeloCli.Result r = VeloCli.run("run", sql.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"id\":1}\n", r.out());
    }

    @Test
    void errorColumnsCountCharactersNotUtf16Units() throws IOException {
        Path sql = write("emoji.sql", "SELECT '\uD83D\uDE00\uD83D\uDE00', bogus FROM t WITH ('t.type' = 'file_source', 't.path' = 'x.csv', 't.format' = 'csv', 't.schema' = 'id BIGINT');");
        VeloCli.Result r = VeloCli.run("check", sql.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith(sql + ":1:14: error: unknown column 'bogus'"), r.err());
        String[] lines = r.err().split("\n");
        assertEquals("             ^", lines[2], "the caret stands under the column");
    }
}
