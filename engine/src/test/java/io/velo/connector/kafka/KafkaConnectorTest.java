package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.cli.Main;
import io.velo.plan.JobPlan;
import io.velo.runtime.JobRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka_source and kafka_sink on a real embedded broker: a filter + projection Kafka→Kafka over 10,000
 * JSON trades with 3 malformed messages, Kafka→file, file→Kafka, and an exact --max-records.
 */
class KafkaConnectorTest {
    private static final int TRADES = 10_000;
    private static final String[] SYMS = {"AAPL", "MSFT", "GOOG", "AMZN"};
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("trades", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            for (int i = 0; i < TRADES; i++) {
                p.send(new ProducerRecord<>("trades", "k" + i, trade(i)));
                if (i == 17 || i == 4_000 || i == 9_998) {
                    p.send(new ProducerRecord<>("trades", "bad" + i, "{\"id\": " + i + ", \"sym\": \"oops"));
                }
            }
            p.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    static String trade(int i) {
        return String.format("{\"id\":%d,\"sym\":\"%s\",\"px\":\"%d.%02d\",\"qty\":%d,\"side\":\"%s\",\"venue\":\"XNAS\"}",
                i, SYMS[i % 4], 100 + i % 50, i % 100, 1 + i % 500, i % 2 == 0 ? "BUY" : "SELL");
    }

    static String expected(int i) {
        return String.format("{\"id\":%d,\"sym\":\"%s\",\"notional\":\"%s\"}", i, SYMS[i % 4],
                new java.math.BigDecimal(String.format("%d.%02d", 100 + i % 50, i % 100)).multiply(java.math.BigDecimal.valueOf(1 + i % 500)).toPlainString());
    }

    static boolean selected(int i) {
        return i % 4 != 1 && 1 + i % 500 >= 100;
    }

    private static String source(String group) {
        return "CREATE STREAM trades (id BIGINT, sym STRING, px DECIMAL(10,2), qty BIGINT, side STRING, venue STRING) WITH ("
                + "'trades.type' = 'kafka_source', 'trades.topic' = 'trades', 'trades.group.id' = '" + group + "');\n";
    }

    @Test
    void filterAndProjectionKafkaToKafka() throws Exception {
        String sql = source("g-k2k")
                + "CREATE STREAM big AS SELECT id, sym, px * qty AS notional FROM trades WHERE sym <> 'MSFT' AND qty >= 100\n"
                + "WITH ('big.type' = 'kafka_sink', 'big.topic' = 'big_trades', 'big.partitions' = '2', 'big.key.field' = 'sym');\n";
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)).kafka(bootstrap);
        List<Object> steps = engine.planScript(sql, dir, List.of());
        JobPlan job = (JobPlan) steps.get(1);
        new JobRunner(job, 0, 2000, null).run();

        var m = job.metrics();
        assertEquals(TRADES + 3, m.recordsIn());
        assertEquals(3, m.failed());
        assertEquals(0, m.unaccounted(), m.summary());
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s).*trades/\\d@\\d+: error 22P02.*"), log);

        TreeSet<String> want = new TreeSet<>();
        for (int i = 0; i < TRADES; i++) {
            if (selected(i)) {
                want.add(expected(i));
            }
        }
        assertEquals(want.size(), m.recordsOut());
        List<ConsumerRecord<String, String>> got = drain("big_trades", want.size());
        assertEquals(want.size(), got.size());
        assertEquals(want, new TreeSet<>(got.stream().map(ConsumerRecord::value).toList()));
        for (ConsumerRecord<String, String> r : got) {
            assertTrue(r.value().contains("\"sym\":\"" + r.key() + "\""), r.key() + " " + r.value());
        }
        // at-least-once: the group's offsets were committed after the sink flushed, to the end of every partition
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("g-k2k")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(TRADES + 3, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum());
        }
    }

    @Test
    void kafkaToFileThroughMain() throws Exception {
        Path script = dir.resolve("job.sql");
        Files.writeString(script, source("g-k2f")
                + "SELECT id, _partition AS p, _offset AS o, _key AS k FROM trades WHERE id < 1000 INTO out\n"
                + "WITH ('out.type' = 'file_sink', 'out.path' = 'out.json');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap, "--until-idle", "2s"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        List<String> lines = Files.readAllLines(dir.resolve("out.json"));
        assertEquals(1000, lines.size());
        TreeSet<Long> ids = new TreeSet<>();
        for (String l : lines) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l);
            ids.add(node.get("id").asLong());
            assertEquals("k" + node.get("id").asLong(), node.get("k").asText());
            assertTrue(node.get("p").asLong() >= 0 && node.get("p").asLong() < 3);
            assertTrue(node.get("o").asLong() >= 0);
        }
        assertEquals(1000, ids.size());
        assertEquals(999L, ids.last());
    }

    @Test
    void maxRecordsReadsExactlyThatMany() throws Exception {
        Path script = dir.resolve("job.sql");
        Files.writeString(script, source("g-max")
                + "SELECT id FROM trades INTO out WITH ('out.type' = 'file_sink', 'out.path' = 'out.json');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap, "--max-records", "100"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, log);
        assertTrue(log.contains(": 100 records read, 100 written"), log);
        assertEquals(100, Files.readAllLines(dir.resolve("out.json")).size(), log);
    }

    @Test
    void fileToKafka() throws Exception {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            in.append(trade(i)).append('\n');
        }
        Files.writeString(dir.resolve("in.json"), in.toString());
        Path script = dir.resolve("job.sql");
        Files.writeString(script, "CREATE STREAM t (id BIGINT, sym STRING) WITH ('t.type' = 'file_source', 't.path' = 'in.json');\n"
                + "CREATE STREAM f2k AS SELECT id, sym FROM t WITH ('f2k.type' = 'kafka_sink', 'f2k.topic' = 'from_file');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        List<ConsumerRecord<String, String>> got = drain("from_file", 50);
        assertEquals(50, got.size());
        assertEquals("{\"id\":0,\"sym\":\"AAPL\"}", got.get(0).value());
    }

    @Test
    void aFailedSendFailsTheJobNamingTheTopic() throws Exception {
        Files.writeString(dir.resolve("in.json"), trade(1) + "\n" + trade(2) + "\n");
        Path script = dir.resolve("job.sql");
        Files.writeString(script, "CREATE STREAM t (id BIGINT, sym STRING) WITH ('t.type' = 'file_source', 't.path' = 'in.json');\n"
                + "CREATE STREAM tiny AS SELECT id, sym FROM t WITH ('tiny.type' = 'kafka_sink', 'tiny.topic' = 'too_small',\n"
                + "  'tiny.kafka.max.request.size' = '10');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, log);
        assertTrue(log.contains("job failed") && log.contains("topic 'too_small'"), log);
    }

    @Test
    void fileOnlyScriptsStartNoBroker() throws Exception {
        Files.writeString(dir.resolve("in.json"), trade(1) + "\n");
        Path script = dir.resolve("job.sql");
        Files.writeString(script, "CREATE STREAM t (id BIGINT) WITH ('t.type' = 'file_source', 't.path' = 'in.json');\n"
                + "SELECT id FROM t INTO o WITH ('o.type' = 'file_sink', 'o.path' = 'o.json');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // an unreachable --kafka is never contacted by a file-only script
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", "127.0.0.1:1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("Kafka"));
    }

    @Test
    void anUnreachableBrokerIsAClearErrorWithinSeconds() throws Exception {
        Path script = dir.resolve("unreachable.sql");
        Files.writeString(script, "SELECT id FROM src WITH ('src.type' = 'kafka_source', 'src.topic' = 'nowhere', "
                + "'src.format' = 'json', 'src.schema' = 'id BIGINT');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", "127.0.0.1:1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, text);
        assertTrue(text.contains("source 'src': cannot reach Kafka at 127.0.0.1:1 within 10 s"), text);
        assertFalse(text.contains("\tat "), text);
        assertTrue(seconds < 25, "gave up after " + seconds + " s");
    }

    @Test
    void aTopicThatDoesNotExistIsAClearErrorNamingTheNearestOne() throws Exception {
        Path script = dir.resolve("missing.sql");
        Files.writeString(script, "SELECT id FROM src WITH ('src.type' = 'kafka_source', 'src.topic' = 'trade', "
                + "'src.format' = 'json', 'src.schema' = 'id BIGINT');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap, "--until-idle", "2s"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, text);
        assertTrue(text.contains("source 'src': topic 'trade' does not exist at " + bootstrap + " (waited 10 s); did you mean 'trades'?"), text);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertFalse(admin.listTopics().names().get(10, TimeUnit.SECONDS).contains("trade"), "the consumer created the mistyped topic");
        }
    }

    private static List<ConsumerRecord<String, String>> drain(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            long quietSince = 0;
            while (System.currentTimeMillis() < deadline) {
                var recs = c.poll(Duration.ofMillis(200));
                recs.forEach(out::add);
                if (out.size() >= expected) {
                    if (quietSince == 0) {
                        quietSince = System.currentTimeMillis();
                    } else if (System.currentTimeMillis() - quietSince > 500) {
                        break; // a short wait for any record beyond the expected ones
                    }
                }
            }
        }
        return out;
    }
}
