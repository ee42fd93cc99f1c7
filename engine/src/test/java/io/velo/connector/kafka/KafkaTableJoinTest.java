package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka-backed keyed tables on an embedded broker: a topic of upserts and tombstones read to its end
 * offsets before the stream starts and joined (LEFT) by key; a CREATE TABLE … AS written to Kafka as
 * keyed records and tombstones, then read back as a table and joined (INNER); a table with no sink
 * joined by a later job of the same script while both run.
 */
class KafkaTableJoinTest {
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("instruments", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            p.send(new ProducerRecord<>("instruments", "AAPL", "{\"sym\":\"AAPL\",\"lot\":100}"));
            p.send(new ProducerRecord<>("instruments", "MSFT", "{\"sym\":\"MSFT\",\"lot\":50}"));
            p.send(new ProducerRecord<>("instruments", "AAPL", "{\"sym\":\"AAPL\",\"lot\":10}")); // replaces AAPL's row
            p.send(new ProducerRecord<>("instruments", "MSFT", null)); // a tombstone: MSFT leaves the table
            p.send(new ProducerRecord<>("instruments", "JPM", "{\"lot\":25}")); // the key column from the message key
            p.send(new ProducerRecord<>("instruments", "XOM", "{\"sym\":\"XOM\",\"lot\":")); // malformed: a table record error
            p.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private String run(String script, int expectedCode) throws Exception {
        Files.writeString(dir.resolve("job.sql"), script);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"run", dir.resolve("job.sql").toString(), "--kafka", bootstrap},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, log);
        assertTrue(!log.contains("unaccounted"), log);
        return log;
    }

    @Test
    void streamJoinsATopicReadAsATable() throws Exception {
        Files.writeString(dir.resolve("trades.csv"), "id,sym\n1,AAPL\n2,MSFT\n3,JPM\n4,XOM\n5,AAPL\n");
        String log = run("CREATE TABLE instruments (sym STRING PRIMARY KEY, lot BIGINT) WITH ('instruments.type' = 'kafka_source', "
                + "'instruments.topic' = 'instruments');\n"
                + "CREATE STREAM trades (id BIGINT, sym STRING) WITH ('trades.type' = 'file_source', 'trades.path' = 'trades.csv', 'trades.format' = 'csv');\n"
                + "CREATE STREAM enriched AS SELECT t.id, t.sym, i.lot FROM trades t LEFT JOIN instruments i ON t.sym = i.sym\n"
                + "WITH ('enriched.type' = 'file_sink', 'enriched.path' = 'out/enriched.json', 'batch.size' = '1');\n", 0);
        assertEquals(List.of(
                "{\"id\":1,\"sym\":\"AAPL\",\"lot\":10}",
                "{\"id\":2,\"sym\":\"MSFT\",\"lot\":null}",
                "{\"id\":3,\"sym\":\"JPM\",\"lot\":25}",
                "{\"id\":4,\"sym\":\"XOM\",\"lot\":null}",
                "{\"id\":5,\"sym\":\"AAPL\",\"lot\":10}"), Files.readAllLines(dir.resolve("out/enriched.json")));
        assertTrue(log.contains("enriched: 5 records read, 5 written, 0 failed; table instruments: 6 records read, 1 failed, 2 keys"), log);
        assertTrue(log.matches("(?s).*instruments/\\d@\\d+: error 22P02.*"), log);
    }

    @Test
    void aTableWrittenToKafkaIsKeyedRecordsAndTombstonesAndJoinsBack() throws Exception {
        Files.writeString(dir.resolve("fills.csv"), "trader,qty\nalice,5\nbob,20\nalice,10\ncarol,3\nbob,-15\nalice,-2\n");
        Files.writeString(dir.resolve("orders.csv"), "id,trader\n1,alice\n2,bob\n3,carol\n");
        String log = run("CREATE STREAM fills (trader STRING, qty BIGINT) WITH ('fills.type' = 'file_source', 'fills.path' = 'fills.csv', 'fills.format' = 'csv');\n"
                + "CREATE TABLE big AS SELECT trader, SUM(qty) AS position FROM fills GROUP BY trader HAVING SUM(qty) > 10\n"
                + "WITH ('big.type' = 'kafka_sink', 'big.topic' = 'big', 'big.partitions' = '2');\n"
                + "CREATE TABLE big_positions (trader STRING PRIMARY KEY, position BIGINT) WITH ('big_positions.type' = 'kafka_source', 'big_positions.topic' = 'big');\n"
                + "CREATE STREAM orders (id BIGINT, trader STRING) WITH ('orders.type' = 'file_source', 'orders.path' = 'orders.csv', 'orders.format' = 'csv');\n"
                + "CREATE STREAM checked AS SELECT o.id, b.trader, b.position FROM orders o JOIN big_positions b ON o.trader = b.trader\n"
                + "WITH ('checked.type' = 'file_sink', 'checked.path' = 'out/checked.json');\n", 0);

        // per key, in order: bob 20 then its tombstone; alice 15 then 13 (no _deleted flag in the values)
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : drain("big", 4)) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        assertEquals(Arrays.asList("{\"trader\":\"bob\",\"position\":20}", null), byKey.get("bob"));
        assertEquals(List.of("{\"trader\":\"alice\",\"position\":15}", "{\"trader\":\"alice\",\"position\":13}"), byKey.get("alice"));
        assertEquals(2, byKey.size());

        assertEquals(List.of("{\"id\":1,\"trader\":\"alice\",\"position\":13}"), Files.readAllLines(dir.resolve("out/checked.json")));
        assertTrue(log.contains("checked: 3 records read, 1 written, 0 failed, 2 without a table match; table big_positions: 4 records read, 0 failed, 1 keys"), log);
    }

    /**
     * The original's form on Kafka: a CREATE TABLE … AS with no sink, joined by a later statement of the
     * same script while both jobs run. The table lives in a topic of the script's broker (created before
     * the jobs start), and the joining job's table follows it: orders sent once the table has every
     * change join its final rows.
     */
    @Test
    void aTableWithoutASinkIsATopicTheLaterJobsOfTheScriptJoinAsItChanges() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("rt_fills", 2, (short) 1), new NewTopic("rt_orders", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            for (String f : new String[] {"alice,5", "bob,20", "alice,10", "carol,3", "bob,-15", "alice,-2"}) {
                String[] kv = f.split(",");
                p.send(new ProducerRecord<>("rt_fills", kv[0], "{\"trader\":\"" + kv[0] + "\",\"qty\":" + kv[1] + "}"));
            }
            p.flush();
        }
        Files.writeString(dir.resolve("job.sql"), "CREATE STREAM rt_fills (trader STRING, qty BIGINT) WITH ('rt_fills.type' = 'kafka_source');\n"
                + "CREATE STREAM rt_orders (id BIGINT, trader STRING) WITH ('rt_orders.type' = 'kafka_source');\n"
                + "CREATE TABLE rt_positions AS SELECT trader, SUM(qty) AS position FROM rt_fills GROUP BY trader;\n"
                + "CREATE STREAM rt_checked AS SELECT o.id, o.trader, p.position FROM rt_orders o LEFT JOIN rt_positions p ON o.trader = p.trader\n"
                + "WITH ('rt_checked.type' = 'file_sink', 'rt_checked.path' = 'out/checked.json', 'batch.size' = '1');\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] code = {-1};
        Thread run = new Thread(() -> code[0] = Main.execute(new String[] {"run", dir.resolve("job.sql").toString(), "--kafka", bootstrap,
                "--until-idle", "15s"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        run.start();
        // every change of the table is in its topic (6 fills, 6 changes) before the orders are sent; the topic is the run's own
        String topic = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (topic == null && System.currentTimeMillis() < deadline) {
                topic = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.matches("velo-run-[0-9a-f]{8}-rt_positions")).findFirst().orElse(null);
                if (topic == null) {
                    Thread.sleep(100);
                }
            }
        }
        assertTrue(topic != null, "no topic of the run's table: " + err.toString(StandardCharsets.UTF_8));
        assertEquals(6, drain(topic, 6).size(), err.toString(StandardCharsets.UTF_8));
        Thread.sleep(1_000); // the joining job's table applies what arrives at most 10 ms apart
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            String[] traders = {"alice", "bob", "carol", "dave"};
            for (int i = 0; i < traders.length; i++) {
                p.send(new ProducerRecord<>("rt_orders", traders[i], "{\"id\":" + (i + 1) + ",\"trader\":\"" + traders[i] + "\"}"));
            }
            p.flush();
        }
        run.join(120_000);
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code[0], log);
        assertTrue(!log.contains("unaccounted"), log);
        assertEquals(List.of(
                "{\"id\":1,\"trader\":\"alice\",\"position\":13}",
                "{\"id\":2,\"trader\":\"bob\",\"position\":5}",
                "{\"id\":3,\"trader\":\"carol\",\"position\":3}",
                "{\"id\":4,\"trader\":\"dave\",\"position\":null}"), Files.readAllLines(dir.resolve("out/checked.json")), log);
        assertTrue(log.contains("rt_checked: 4 records read, 4 written, 0 failed; table rt_positions: 6 records read, 0 failed, 3 keys"), log);
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
            while (System.currentTimeMillis() < deadline && out.size() < expected) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(500)).forEach(out::add); // anything beyond the expected
        }
        return out;
    }
}
