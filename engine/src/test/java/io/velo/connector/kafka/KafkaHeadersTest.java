package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEADER(name) reads Kafka record headers on a real embedded broker: the last one of a name, as UTF-8 text. */
class KafkaHeadersTest {
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("with_headers", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            send(p, 1, header("trace_id", "abc"));
            send(p, 2);
            send(p, 3, header("trace_id", "first"), header("other", "x"), header("trace_id", "second"));
            send(p, 4, new RecordHeader("trace_id", (byte[]) null));
            send(p, 5, new RecordHeader("trace_id", new byte[] {(byte) 0xC3, 0x28})); // not UTF-8
            send(p, 6, header("trace_id", "é😀"));
            p.flush();
        }
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(KafkaProducer<String, String> p, int id, RecordHeader... headers) {
        p.send(new ProducerRecord<>("with_headers", 0, null, "k" + id, "{\"id\":" + id + "}", new RecordHeaders(headers)));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void headerReturnsTheLastHeaderOfThatNameAndNullWhenAbsent() throws Exception {
        Path script = dir.resolve("headers.sql");
        Files.writeString(script, "CREATE STREAM src (id BIGINT) WITH ('src.type' = 'kafka_source', 'src.topic' = 'with_headers');\n"
                + "SELECT id, HEADER('trace_id') AS t, UPPER(HEADER('other')) AS o FROM src WHERE id > 1 OR HEADER('trace_id') = 'abc'\n"
                + "INTO out WITH ('out.type' = 'file_sink', 'out.path' = 'out.json');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap, "--max-records", "6"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, log);
        assertEquals(List.of(
                "{\"id\":1,\"t\":\"abc\",\"o\":null}",
                "{\"id\":2,\"t\":null,\"o\":null}",
                "{\"id\":3,\"t\":\"second\",\"o\":\"X\"}",
                "{\"id\":4,\"t\":null,\"o\":null}",
                "{\"id\":6,\"t\":\"é😀\",\"o\":null}"), Files.readAllLines(dir.resolve("out.json"), StandardCharsets.UTF_8), log);
        assertTrue(log.contains("with_headers/0@4: error 22021: header 'trace_id' is not valid UTF-8"), log);
        assertTrue(log.contains("6 records read, 5 written, 1 failed"), log);
    }

    @Test
    void recordsFromFilesHaveNoHeaders() throws Exception {
        Files.writeString(dir.resolve("in.json"), "{\"id\":1}\n");
        Path script = dir.resolve("file.sql");
        Files.writeString(script, "CREATE STREAM t (id BIGINT) WITH ('t.type' = 'file_source', 't.path' = 'in.json');\n"
                + "SELECT id, HEADER('trace_id') AS t FROM t INTO o WITH ('o.type' = 'file_sink', 'o.path' = 'o.json');\n");
        int rc = Main.execute(new String[] {"run", script.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, rc);
        assertEquals(List.of("{\"id\":1,\"t\":null}"), Files.readAllLines(dir.resolve("o.json")));
    }
}
