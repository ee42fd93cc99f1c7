package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out through the consumer group, with real {@code velo run} processes on the embedded broker:
 * two instances of one transactional job split a 6-partition topic while records keep arriving, one
 * of them stops (SIGTERM) in the middle, and the output holds every input record exactly once. A
 * stateful job refuses to start beside another instance of itself (its state is not split by
 * partition yet) with a message naming the fix.
 */
class KafkaScaleOutTest {
    private static final int RECORDS = 60_000;
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
        KafkaExactlyOnceTest.useBroker(bootstrap);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private Process velo(Path sql, Path log, String... extra) throws Exception {
        String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", sql.toString(), "--kafka", bootstrap));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The group's members (none while the group does not exist yet). */
    private static List<org.apache.kafka.clients.admin.MemberDescription> members(String id) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(id)).all().get(20, TimeUnit.SECONDS).get(id);
            return new ArrayList<>(g.members());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    @Test
    void twoInstancesSplitTheTopicAndOneLeavingLosesNothing() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("so_in", 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Thread feeder = new Thread(() -> {
            try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
                for (int i = 0; i < RECORDS; i++) {
                    p.send(new ProducerRecord<>("so_in", "k" + i, KafkaExactlyOnceTest.trade(i)));
                    if (i % 500 == 499) {
                        Thread.sleep(100);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        feeder.start();
        Path sql = dir.resolve("so.sql");
        Files.writeString(sql, "CREATE STREAM trades (id BIGINT, sym STRING, px DECIMAL(10,2), qty BIGINT) WITH ("
                + "'trades.type' = 'kafka_source', 'trades.topic' = 'so_in', 'trades.group.id' = 'g-so');\n"
                + "CREATE STREAM so_out AS SELECT id, sym, px * qty AS notional FROM trades\n"
                + "WITH ('so_out.type' = 'kafka_sink', 'so_out.topic' = 'so_out', 'so_out.partitions' = '3',\n"
                + "      'mode' = 'transactional', 'commit.interval' = '200ms');\n");
        Path logA = dir.resolve("a.log");
        Path logB = dir.resolve("b.log");
        Process a = velo(sql, logA, "--until-idle", "6s", "--set", "so_out.kafka.transactional.id=velo-so-a");
        long deadline = System.currentTimeMillis() + 60_000;
        while (KafkaExactlyOnceTest.endOffsets("so_out", "read_committed") == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Process b = velo(sql, logB, "--until-idle", "60s", "--set", "so_out.kafka.transactional.id=velo-so-b");
        boolean split = false;
        deadline = System.currentTimeMillis() + 60_000;
        while (!split && System.currentTimeMillis() < deadline) {
            var m = members("g-so");
            split = m.size() == 2 && m.stream().allMatch(x -> !x.assignment().topicPartitions().isEmpty());
            Thread.sleep(200);
        }
        assertTrue(split, "the two instances never shared the partitions:\n" + Files.readString(logA) + Files.readString(logB));
        long before = KafkaExactlyOnceTest.endOffsets("so_out", "read_committed");
        Thread.sleep(2_000);
        assertTrue(KafkaExactlyOnceTest.endOffsets("so_out", "read_committed") > before, "no output while split");
        b.destroy(); // SIGTERM: B commits what it processed, leaves the group, A takes its partitions over
        assertTrue(b.waitFor(60, TimeUnit.SECONDS), "B did not stop on SIGTERM");
        assertEquals(0, b.exitValue(), Files.readString(logB));
        feeder.join(120_000);
        assertTrue(a.waitFor(180, TimeUnit.SECONDS), "A did not end on idle");
        assertEquals(0, a.exitValue(), Files.readString(logA));

        Map<Long, Integer> seen = KafkaExactlyOnceTest.idCounts("so_out", "read_committed");
        assertEquals(0, seen.values().stream().filter(c -> c > 1).count(), "records written twice");
        assertEquals(RECORDS, seen.size(), "records lost");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long committed = admin.listConsumerGroupOffsets("g-so").partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS)
                    .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertEquals(RECORDS, committed);
        }
    }

    @Test
    void aStatefulJobRefusesToRunBesideAnotherInstance() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("st_in", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            for (int i = 0; i < 100; i++) {
                p.send(new ProducerRecord<>("st_in", "k" + i, KafkaExactlyOnceTest.trade(i)));
            }
        }
        Path sql = dir.resolve("st.sql");
        Files.writeString(sql, "CREATE STREAM trades (id BIGINT, sym STRING, px DECIMAL(10,2), qty BIGINT) WITH ("
                + "'trades.type' = 'kafka_source', 'trades.topic' = 'st_in', 'trades.group.id' = 'g-st');\n"
                + "CREATE TABLE st_out AS SELECT sym PRIMARY KEY, COUNT(*) AS n FROM trades GROUP BY sym EMIT CHANGES\n"
                + "WITH ('st_out.type' = 'kafka_sink', 'st_out.topic' = 'st_out');\n");
        Process first = velo(sql, dir.resolve("first.log"), "--until-idle", "60s");
        long deadline = System.currentTimeMillis() + 60_000;
        while (members("g-st").isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Path log = dir.resolve("second.log");
        Process second = velo(sql, log, "--until-idle", "5s");
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(1, second.exitValue(), out);
        assertTrue(out.contains("consumer group 'g-st' already has 1 member(s)") && out.contains("one instance per group"), out);
        assertTrue(first.isAlive(), "the first instance must go on");
        first.destroy();
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.log")));
    }
}
