package io.velo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.sql.SqlException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL and YAML written for the original engine, checked with {@code velo check}: each foreign property
 * takes its Velo meaning or is warned about, the original's config layout is read, and where such a file
 * is wrong the error names the defect at its position. All fixtures are written here.
 */
class OriginalLayoutTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String check(String sql) {
        return new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                .check(sql, dir, List.of());
    }

    private String warnings() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static void assertProperty(String plan, String key, String value) {
        assertTrue(Pattern.compile("(?m)^\\s+" + Pattern.quote(key) + "\\s+= " + Pattern.quote(value) + "\\s").matcher(plan).find(),
                key + " = " + value + " expected in\n" + plan);
    }

    private void kafkaConfigs() throws IOException {
        write("configs/src.yaml", """
                datasource:
                  type: kafka
                  consumer_config:
                    bootstrap.servers: "${VELO_TEST_UNSET_BROKERS:broker-a:9092}"
                    session_timeout_ms: 6000
                    enable.auto.commit: true
                  schema:
                    key.format: string
                    value.serializer: "json"
                    key.field: sym
                  stream.config:
                    replication.factor: 3
                    cleanup.policy: "delete"
                performance_profiles:
                  fast:
                    linger.ms: 1
                """);
        write("configs/sink.yaml", """
                topic:
                  name: "out_from_file"
                datasink:
                  type: kafka
                  producer_config:
                    bootstrap.servers: "broker-b:9092"
                    batch.size: 16384
                    max_in_flight_requests_per_connection: 5
                  topic_config:
                    partitions: 6
                """);
        write("schemas/ticks_topic.schema.yaml", """
                name: ticks_topic
                fields:
                  - name: sym
                    type: string
                  - name: px
                    type:
                      decimal:
                        precision: 4
                  - name: qty
                    type: integer
                  - name: ts
                    type: integer
                """);
    }

    @Test
    void kafkaLayoutAndForeignKeysTakeTheirVeloMeaning() throws IOException {
        kafkaConfigs();
        String plan = check("""
                CREATE STREAM out AS SELECT sym, px * qty AS notional FROM ticks
                WITH ('ticks.type' = 'kafka_source', 'ticks.topic.name' = 'ticks_topic', 'ticks.config_file' = 'configs/src.yaml',
                      'event.time.field' = 'ts', 'event.time.format' = 'epoch_millis',
                      'watermark.strategy' = 'bounded_out_of_orderness',
                      'retry.max.attempts' = '5', 'retry.initial.delay' = '100ms', 'retry.backoff.strategy' = 'exponential',
                      'dead.letter.queue.enabled' = 'true', 'dead.letter.queue.topic' = 'failures',
                      'circuit.breaker.enabled' = 'true', 'max.memory.mb' = '1024', 'performance_profile' = 'fast',
                      'out.type' = 'kafka_sink', 'out.config_file' = 'configs/sink.yaml');
                """);
        assertProperty(plan, "ticks.bootstrap.servers", "broker-a:9092");
        assertProperty(plan, "ticks.kafka.session.timeout.ms", "6000");
        assertProperty(plan, "ticks.format", "json");
        assertProperty(plan, "ticks.key.field", "sym");
        assertProperty(plan, "ticks.replication.factor", "3");
        assertProperty(plan, "out.bootstrap.servers", "broker-b:9092");
        assertProperty(plan, "out.topic.name", "out_from_file"); // the nested topic: {name: …} key
        assertProperty(plan, "out.kafka.batch.size", "16384"); // the producer's, not Velo's batch.size
        assertProperty(plan, "out.kafka.max.in.flight.requests.per.connection", "5");
        assertProperty(plan, "out.partitions", "6");
        assertProperty(plan, "batch.size", "1000");
        assertProperty(plan, "max_retries", "5");
        assertProperty(plan, "retry_backoff", "100ms");
        assertProperty(plan, "failure_strategy", "SendToDLQ");
        assertProperty(plan, "dlq.topic", "failures");
        assertProperty(plan, "event.time.format", "epoch_millis");
        assertProperty(plan, "watermark.strategy", "bounded_out_of_orderness");
        String w = warnings();
        assertTrue(w.contains("the columns of 'ticks' are read from schemas/ticks_topic.schema.yaml"), w);
        assertTrue(w.contains("'circuit.breaker.enabled': Velo has no circuit breaker"), w);
        assertTrue(w.contains("'max.memory.mb': Velo sets no memory"), w);
        assertTrue(w.contains("'performance_profile': Velo applies no performance profile"), w);
        assertTrue(w.contains("configs/src.yaml:6 'datasource.consumer_config.enable.auto.commit': Velo commits offsets itself"), w);
        assertTrue(w.contains("configs/src.yaml:13 'datasource.stream.config.cleanup.policy'"), w);
        assertTrue(!w.contains("performance_profiles"), "a profile's definition is no setting: " + w);
        assertTrue(plan.contains("DECIMAL(19,4)") || plan.contains("px"), plan);
    }

    @Test
    void aBareConfigFileConfiguresTheQuerysSource() throws IOException {
        kafkaConfigs();
        String plan = check("""
                CREATE TABLE by_sym AS SELECT sym, COUNT(*) AS n FROM ticks GROUP BY sym
                WITH ("config_file" = "configs/src.yaml", 'ticks.type' = 'kafka_source', 'ticks.topic.name' = 'ticks_topic',
                      'by_sym.type' = 'file_sink', 'by_sym.path' = 'out/by_sym.json');
                """);
        assertProperty(plan, "ticks.bootstrap.servers", "broker-a:9092");
        String w = warnings();
        assertTrue(w.contains("'config_file' names no source: read as 'ticks.config_file'"), w);
    }

    @Test
    void theOriginalsTablesWithoutASinkAreTablesOfTheRunAndTheirTableOptionsAreWarned() throws IOException {
        write("data/ticks.csv", "sym,px\nA,1.5\n");
        write("configs/ticks.yaml", """
                data_source:
                  type: file
                  path: "data/ticks.csv"
                  format: csv
                schema:
                  fields:
                    - name: sym
                      type: string
                    - name: px
                      type: decimal
                      precision: 10
                      scale: 4
                """);
        String plan = check("""
                CREATE TABLE by_sym AS SELECT sym, COUNT(*) AS n FROM ticks GROUP BY sym
                WITH ("config_file" = "configs/ticks.yaml");
                CREATE TABLE busy AS SELECT sym, n FROM by_sym WHERE n > 10
                WITH ("retention" = "7 days", "compression" = "snappy", "refresh_interval" = "1 hour");
                """);
        assertTrue(plan.contains("Sink by_sym: a table of this run"), plan);
        assertTrue(plan.contains("Source by_sym: the table by_sym of this run"), plan);
        String w = warnings();
        assertTrue(w.contains("'retention': Velo keeps a table with no sink until the run ends"), w);
        assertTrue(w.contains("'compression': Velo's file sinks write plain text"), w);
        assertTrue(w.contains("'refresh_interval': Velo refreshes nothing on a schedule"), w);
    }

    @Test
    void aFileSourceConfigNamesItsTypeBatchAndTimeColumns() throws IOException {
        write("data/sessions.csv", "sym,opens,n\nA,09:30:00,1\n");
        write("configs/sessions.yaml", """
                data_source:
                  type: file
                  path: "data/sessions.csv"
                  format: csv
                  has_headers: true
                schema:
                  fields:
                    - name: sym
                      type: string
                    - name: opens
                      type: time
                    - name: n
                      type: integer
                processing:
                  mode: batch
                  batch_size: 500
                output:
                  retention: "1 day"
                producer.group: "g"
                """);
        String plan = check("""
                CREATE STREAM o AS SELECT sym, opens FROM sessions WHERE opens >= '09:00:00'
                WITH ('sessions.config_file' = 'configs/sessions.yaml', 'o.type' = 'file_sink', 'o.path' = 'out/o.json');
                """);
        assertProperty(plan, "sessions.type", "file_source");
        assertProperty(plan, "batch.size", "500");
        assertTrue(plan.contains("opens STRING"), plan);
        String w = warnings();
        assertTrue(w.contains("'sessions.type' is not set: read as file_source"), w);
        assertTrue(w.contains("field 'opens' has type 'time': Velo has no time-of-day type and reads it as STRING"), w);
        assertTrue(w.contains("there is no processing mode to choose (mode 'batch')"), w);
        assertTrue(w.contains("an output's settings"), w);
        assertTrue(w.contains("a Kafka producer has no group"), w);
    }

    @Test
    void deliveryGuaranteeIsTheMode() throws IOException {
        write("data/t.csv", "sym,px\nA,1.5\n");
        SqlException e = assertThrows(SqlException.class, () -> check("""
                SELECT sym FROM t WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv',
                                       'delivery.guarantee' = 'exactly_twice');
                """));
        assertTrue(e.getMessage().contains("'mode'") && e.getMessage().contains("exactly_twice"), e.getMessage());
        assertEquals(2, e.pos().line());
    }

    @Test
    void aBadEventTimePatternIsRefusedWhereItIsWritten() throws IOException {
        write("data/t.csv", "sym,ts\nA,2024-01-02\n");
        SqlException e = assertThrows(SqlException.class, () -> check("""
                SELECT sym FROM t
                WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv', 'event.time.field' = 'ts',
                      'event.time.format' = 'yyyy-MM-dd HH:mm:ss.SSS{');
                """));
        assertTrue(e.getMessage().contains("event.time.format"), e.getMessage());
        assertEquals(3, e.pos().line());
        assertEquals(29, e.pos().col());
    }

    @Test
    void aTextPatternOnANumberFieldIsRefused() throws IOException {
        write("data/t.csv", "sym,ts\nA,1000\n");
        SqlException e = assertThrows(SqlException.class, () -> check("""
                SELECT sym FROM t
                WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv', 't.schema' = 'sym STRING, ts BIGINT',
                      'event.time.field' = 'ts', 'event.time.format' = 'yyyy-MM-dd');
                """));
        assertTrue(e.getMessage().contains("reads text, but the field is BIGINT"), e.getMessage());
        assertEquals(3, e.pos().line());
    }

    @Test
    void aFileTableWhoseConfigDescribesATopicNamesTheDefect() throws IOException {
        kafkaConfigs();
        write("configs/ref_table.yaml", "extends: src.yaml\ntable:\n  name: ref\n");
        write("data/s.csv", "sym,px\nA,1.5\n");
        SqlException e = assertThrows(SqlException.class, () -> check("""
                SELECT s.sym, r.px FROM s LEFT JOIN ref r ON s.sym = r.sym
                WITH ('s.type' = 'file_source', 's.path' = 'data/s.csv', 's.format' = 'csv',
                      'ref.type' = 'file_source', 'ref.config_file' = 'configs/ref_table.yaml');
                """));
        assertTrue(e.getMessage().contains("'ref' is a file_source") && e.getMessage().contains("describes a kafka connector")
                && e.getMessage().contains("configs/src.yaml:2") && e.getMessage().contains("gives no file path"), e.getMessage());
        assertEquals(3, e.pos().line());
    }

    @Test
    void anOverOfAGroupedQueryReadingAnInputColumnIsNamedAtTheColumn() throws IOException {
        write("data/t.csv", "sym,vol,ts\nA,5,1000\n");
        SqlException e = assertThrows(SqlException.class, () -> check("""
                SELECT sym, COUNT(*) AS n,
                       AVG(vol) OVER (ROWS WINDOW BUFFER 20 ROWS PARTITION BY sym ORDER BY ts) AS rolling
                FROM t GROUP BY sym
                WITH ('t.type' = 'file_source', 't.path' = 'data/t.csv', 't.format' = 'csv');
                """));
        assertTrue(e.getMessage().contains("reads 'vol', which is neither grouped nor aggregated"), e.getMessage());
        assertEquals(2, e.pos().line());
        assertEquals(12, e.pos().col());
    }

    @Test
    void aConfigFileWrittenForAnotherDirectoryIsFoundForTheHint() throws IOException {
        kafkaConfigs();
        Files.createDirectories(dir.resolve("sql"));
        SqlException e = assertThrows(SqlException.class, () -> new Engine(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)).check("""
                SELECT sym FROM ticks WITH ('ticks.type' = 'kafka_source', 'ticks.config_file' = 'configs/src.yaml');
                """, dir.resolve("sql"), List.of()));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("the file is at '../configs/src.yaml'"), e.getMessage());
    }

    @Test
    void fileSourceMmapIsReadAsAFileSource() throws IOException {
        write("m.txt", "station;temperature\nHamburg;12.0\n");
        String plan = check("""
                CREATE STREAM results AS SELECT station, MIN(temperature) AS lo FROM measurements GROUP BY station EMIT FINAL
                WITH ('measurements.type' = 'file_source_mmap', 'measurements.path' = 'm.txt', 'measurements.format' = 'csv',
                      'measurements.delimiter' = ';', 'results.type' = 'file_sink', 'results.path' = 'out.csv', 'results.format' = 'csv');
                """);
        assertProperty(plan, "measurements.type", "file_source");
        assertTrue(warnings().contains("2:29: warning: 'measurements.type' = 'file_source_mmap': read as a 'file_source'"), warnings());
    }
}
