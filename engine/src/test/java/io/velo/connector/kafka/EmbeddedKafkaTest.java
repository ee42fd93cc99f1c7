package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real broker in this JVM: topics, a consumer group, a transaction, and a clean stop that frees the port. */
class EmbeddedKafkaTest {
    @TempDir
    Path dir;

    @Test
    void producesConsumesTransactsAndFreesThePort() throws Exception {
        Path data;
        int port;
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            String bootstrap = kafka.start();
            port = kafka.port();
            data = kafka.dataDir();
            assertEquals("127.0.0.1:" + port, bootstrap);
            assertTrue(Files.isDirectory(data));

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("trades", 3, (short) 1), new NewTopic("tx", 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
                assertEquals(3, admin.describeTopics(List.of("trades")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("trades").partitions().size());
            }

            try (KafkaProducer<String, String> producer = new CheckedProducer<>(producerProps(bootstrap))) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>("trades", "k" + (i % 17), "v" + i));
                }
                producer.flush();
            }
            List<ConsumerRecord<String, String>> read = consume(bootstrap, "trades", "g1", "read_uncommitted", 1000);
            Set<String> values = new HashSet<>();
            Set<Integer> partitions = new HashSet<>();
            for (ConsumerRecord<String, String> r : read) {
                values.add(r.value());
                partitions.add(r.partition());
            }
            assertEquals(1000, values.size());
            assertEquals(Set.of(0, 1, 2), partitions);

            Properties tx = producerProps(bootstrap);
            tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "velo-test-" + UUID.randomUUID());
            try (KafkaProducer<String, String> producer = new CheckedProducer<>(tx)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "a", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "a", "committed-1"));
                producer.send(new ProducerRecord<>("tx", "b", "committed-2"));
                producer.commitTransaction();
            }
            List<String> committed = new ArrayList<>();
            for (ConsumerRecord<String, String> r : consume(bootstrap, "tx", "g2", "read_committed", 2)) {
                committed.add(r.value());
            }
            assertEquals(List.of("committed-1", "committed-2"), committed);
        }
        assertFalse(Files.exists(data), "the temporary data directory is removed on close");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // free again
        }
    }

    @Test
    void keepsAGivenDataDirectoryAcrossRestartsAndRefusesAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            EmbeddedKafka.StartException e = assertThrows(EmbeddedKafka.StartException.class,
                    () -> new EmbeddedKafka(taken.getLocalPort(), dir.resolve("data")).start());
            assertTrue(e.getMessage().contains("port in use"), e.getMessage());
        }
        Path data = dir.resolve("data");
        try (EmbeddedKafka kafka = new EmbeddedKafka(0, data);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.start()))) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(data.resolve("meta.properties")), "a given data directory is kept");
        try (EmbeddedKafka kafka = new EmbeddedKafka(0, data); // again, on other ports: same cluster, same topics
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.start()))) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("kept"));
        }
    }

    /** String-keyed producer settings shared by the Kafka tests. */
    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a request the broker leaves unanswered costs 30 s, not 120, before CheckedProducer sends it again
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        return p;
    }

    private static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, String group, String isolation,
            int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            consumer.commitSync();
            // nothing more arrives (an aborted record or a duplicate would show here)
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        assertEquals(expected, out.size());
        return out;
    }
}
