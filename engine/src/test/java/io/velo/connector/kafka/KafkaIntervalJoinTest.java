package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.plan.JobPlan;
import io.velo.runtime.JobRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream–stream interval join of two topics on the embedded broker: orders and their shipments, each
 * from its own 2-partition topic (so neither side arrives in event-time order, nor the two in step).
 * The INNER join writes exactly the pairs the definition gives (a shipment within the hour after its
 * order), the LEFT join every order once, with NULLs where no shipment came within the hour (at the
 * end of input: the day of allowed lateness keeps every interval open until then). At least once: a
 * transactional job stopped halfway and started again goes on from its checkpointed join state: every
 * pair once, none lost.
 */
class KafkaIntervalJoinTest {
    private static final int ORDERS = 600;
    private static final LocalDateTime BASE = LocalDateTime.of(2026, 3, 2, 9, 0);
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
        KafkaExactlyOnceTest.useBroker(bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("ij_orders", 2, (short) 1), new NewTopic("ij_ships", 2, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            for (int i = 0; i < ORDERS; i++) {
                p.send(new ProducerRecord<>("ij_orders", "o" + i, String.format("{\"order_id\":%d,\"amount\":\"%d.%02d\",\"ts\":\"%s\"}",
                        i, 10 + i % 90, i % 100, orderTime(i))));
                if (shipMinutes(i) >= 0) {
                    p.send(new ProducerRecord<>("ij_ships", "s" + i, String.format("{\"ship_id\":%d,\"order_id\":%d,\"ts\":\"%s\"}",
                            1_000_000 + i, i, orderTime(i).plusMinutes(shipMinutes(i)))));
                }
            }
            p.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** Orders ten seconds apart. */
    private static LocalDateTime orderTime(int i) {
        return BASE.plusSeconds(10L * i);
    }

    /** Minutes from order to shipment: none for every third order; 0–70 for the rest (70: outside the hour). */
    private static int shipMinutes(int i) {
        return i % 3 == 0 ? -1 : (i % 8) * 10;
    }

    private static boolean shippedWithinTheHour(int i) {
        return shipMinutes(i) >= 0 && shipMinutes(i) <= 60;
    }

    private static final String SOURCES = "CREATE STREAM orders (order_id BIGINT, amount DECIMAL(8,2), ts TIMESTAMP) WITH ("
            + "'orders.type' = 'kafka_source', 'orders.topic' = 'ij_orders', 'orders.group.id' = 'GROUP-o');\n"
            + "CREATE STREAM ships (ship_id BIGINT, order_id BIGINT, ts TIMESTAMP) WITH ("
            + "'ships.type' = 'kafka_source', 'ships.topic' = 'ij_ships', 'ships.group.id' = 'GROUP-s');\n";

    private JobPlan plan(String sql) {
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())).kafka(bootstrap);
        List<Object> steps = engine.planScript(sql, dir, List.of());
        return (JobPlan) steps.get(steps.size() - 1);
    }

    /** order_id → ship_id (-1: NULL) of every row of {@code topic}, failing on an order written twice. */
    private static Map<Long, Long> rows(String topic) {
        Map<Long, Long> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaExactlyOnceTest.readAll(topic, "read_committed")) {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            long order = Long.parseLong(field(v, "order_id"));
            String ship = field(v, "ship_id");
            Long before = out.put(order, "null".equals(ship) ? -1L : Long.parseLong(ship));
            assertEquals(null, before, "order " + order + " written twice: " + v);
        }
        return out;
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        assertTrue(at >= 0, name + " in " + json);
        int from = json.indexOf(':', at) + 1;
        while (json.charAt(from) == ' ') {
            from++;
        }
        int to = from;
        while (to < json.length() && ",}".indexOf(json.charAt(to)) < 0) {
            to++;
        }
        return json.substring(from, to).trim();
    }

    @Test
    void innerJoinOfTwoTopicsWritesExactlyTheMatchingPairs() throws Exception {
        JobPlan job = plan(SOURCES.replace("GROUP", "ij-inner")
                + "CREATE STREAM shipped AS SELECT o.order_id, s.ship_id FROM orders o JOIN ships s\n"
                + "  ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR\n"
                + "WITH ('shipped.type' = 'kafka_sink', 'shipped.topic' = 'ij_shipped',\n"
                + "      'watermark.max_out_of_orderness' = '1d');\n");
        new JobRunner(job, 0, 5_000, null).run();
        Map<Long, Long> want = new TreeMap<>();
        for (int i = 0; i < ORDERS; i++) {
            if (shippedWithinTheHour(i)) {
                want.put((long) i, 1_000_000L + i);
            }
        }
        assertEquals(want, rows("ij_shipped"), job.metrics().summary());
        assertEquals(0, job.metrics().unaccounted(), job.metrics().summary());
        int shipments = (int) java.util.stream.IntStream.range(0, ORDERS).filter(i -> shipMinutes(i) >= 0).count();
        assertEquals(ORDERS + shipments, job.metrics().recordsIn(), "both topics read: " + job.metrics().summary());
    }

    @Test
    void leftJoinOfTwoTopicsWritesEveryOrderOnce() throws Exception {
        JobPlan job = plan(SOURCES.replace("GROUP", "ij-left")
                + "CREATE STREAM status AS SELECT o.order_id, s.ship_id FROM orders o LEFT JOIN ships s\n"
                + "  ON s.order_id = o.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR\n"
                + "WITH ('status.type' = 'kafka_sink', 'status.topic' = 'ij_status',\n"
                + "      'watermark.max_out_of_orderness' = '1d');\n");
        new JobRunner(job, 0, 5_000, null).run();
        Map<Long, Long> want = new TreeMap<>();
        for (int i = 0; i < ORDERS; i++) {
            want.put((long) i, shippedWithinTheHour(i) ? 1_000_000L + i : -1L);
        }
        assertEquals(want, rows("ij_status"), job.metrics().summary());
        assertEquals(0, job.metrics().unaccounted(), job.metrics().summary());
    }

    /**
     * Five minutes of allowed lateness, while the partitions of each topic are read in whatever order
     * they come: no pair outside the definition, every record read accounted for, and a pair is
     * missing only if some record was late.
     */
    @Test
    void aTightBoundLosesPairsOnlyToCountedLateRecords() throws Exception {
        JobPlan job = plan(SOURCES.replace("GROUP", "ij-tight")
                + "CREATE STREAM tight AS SELECT o.order_id, s.ship_id FROM orders o JOIN ships s\n"
                + "  ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR\n"
                + "WITH ('tight.type' = 'kafka_sink', 'tight.topic' = 'ij_tight', 'watermark.max_out_of_orderness' = '5m');\n");
        new JobRunner(job, 0, 5_000, null).run();
        Map<Long, Long> got = rows("ij_tight");
        int matching = 0;
        for (int i = 0; i < ORDERS; i++) {
            matching += shippedWithinTheHour(i) ? 1 : 0;
        }
        for (Map.Entry<Long, Long> e : got.entrySet()) {
            int i = (int) (long) e.getKey();
            assertTrue(shippedWithinTheHour(i) && e.getValue() == 1_000_000L + i, "a pair the definition does not give: " + e);
        }
        assertEquals(0, job.metrics().unaccounted(), job.metrics().summary());
        assertTrue(got.size() == matching || job.metrics().late() > 0,
                got.size() + " of " + matching + " pairs with no late record: " + job.metrics().summary());
    }

    /**
     * A transactional join run over the records of the first 50 minutes, then, with the rest written,
     * started again: the second run restores the kept rows from the changelog and reads on from the
     * committed offsets of both topics, so the pairs whose order came in the first run and whose
     * shipment in the second are there, and no pair is written twice.
     */
    @Test
    void aTransactionalJoinStoppedAndStartedAgainWritesEveryPairOnce() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("ijtx_orders", 2, (short) 1), new NewTopic("ijtx_ships", 2, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        LocalDateTime cut = BASE.plusMinutes(50);
        produce(t -> t.isBefore(cut));
        String sql = SOURCES.replace("GROUP", "ij-tx").replace("'ij_orders'", "'ijtx_orders'").replace("'ij_ships'", "'ijtx_ships'")
                + "CREATE STREAM shipped_tx AS SELECT o.order_id, s.ship_id FROM orders o JOIN ships s\n"
                + "  ON o.order_id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' HOUR\n"
                + "WITH ('shipped_tx.type' = 'kafka_sink', 'shipped_tx.topic' = 'ij_shipped_tx', 'mode' = 'transactional',\n"
                + "      'commit.interval' = '100ms', 'changelog.topic' = 'ij_tx_changelog', 'watermark.max_out_of_orderness' = '1d');\n";
        JobPlan first = plan(sql);
        new JobRunner(first, 0, 3_000, null).run();
        Map<Long, Long> afterFirst = rows("ij_shipped_tx");
        produce(t -> !t.isBefore(cut));
        JobPlan second = plan(sql);
        new JobRunner(second, 0, 3_000, null).run();
        Map<Long, Long> want = new TreeMap<>();
        int spanning = 0;
        for (int i = 0; i < ORDERS; i++) {
            if (shippedWithinTheHour(i)) {
                want.put((long) i, 1_000_000L + i);
                spanning += orderTime(i).isBefore(cut) && !orderTime(i).plusMinutes(shipMinutes(i)).isBefore(cut) ? 1 : 0;
            }
        }
        assertTrue(spanning > 10 && !afterFirst.isEmpty() && afterFirst.size() < want.size(),
                "the first run wrote part of the pairs: " + afterFirst.size() + " (" + spanning + " span the runs): " + first.metrics().summary());
        assertEquals(want, rows("ij_shipped_tx"), first.metrics().summary() + " / " + second.metrics().summary());
        int shipments = (int) java.util.stream.IntStream.range(0, ORDERS).filter(i -> shipMinutes(i) >= 0).count();
        assertEquals(ORDERS + shipments, first.metrics().recordsIn() + second.metrics().recordsIn(),
                "each record read once over the two runs: " + first.metrics().summary() + " / " + second.metrics().summary());
    }

    /** Writes the orders and shipments whose time passes {@code which} to the ijtx_ topics. */
    private static void produce(java.util.function.Predicate<LocalDateTime> which) {
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            for (int i = 0; i < ORDERS; i++) {
                if (which.test(orderTime(i))) {
                    p.send(new ProducerRecord<>("ijtx_orders", "o" + i, String.format("{\"order_id\":%d,\"amount\":\"%d.%02d\",\"ts\":\"%s\"}",
                            i, 10 + i % 90, i % 100, orderTime(i))));
                }
                if (shipMinutes(i) >= 0 && which.test(orderTime(i).plusMinutes(shipMinutes(i)))) {
                    p.send(new ProducerRecord<>("ijtx_ships", "s" + i, String.format("{\"ship_id\":%d,\"order_id\":%d,\"ts\":\"%s\"}",
                            1_000_000 + i, i, orderTime(i).plusMinutes(shipMinutes(i)))));
                }
            }
            p.flush();
        }
    }
}
