package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.Engine;
import io.velo.failure.JobFailedException;
import io.velo.plan.JobPlan;
import io.velo.runtime.JobRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that goes away while a job runs: when it comes back (same port, same data) the job goes on
 * and loses nothing; when it stays away the job fails after the clients' retries with a message
 * naming the topic, instead of hanging.
 */
class KafkaBrokerOutageTest {
    @TempDir
    Path dir;

    private static void produce(String bootstrap, String topic, int from, int to) {
        try (KafkaProducer<String, String> p = new CheckedProducer<>(EmbeddedKafkaTest.producerProps(bootstrap))) {
            for (int i = from; i < to; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, KafkaExactlyOnceTest.trade(i)));
            }
            p.flush();
        }
    }

    private JobPlan plan(String bootstrap, String sql) {
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())).kafka(bootstrap);
        List<Object> steps = engine.planScript(sql, dir, List.of());
        return (JobPlan) steps.get(steps.size() - 1);
    }

    private static String job(String extra) {
        return "CREATE STREAM trades (id BIGINT, sym STRING, px DECIMAL(10,2), qty BIGINT) WITH ("
                + "'trades.type' = 'kafka_source', 'trades.topic' = 'out_in', 'trades.group.id' = 'g-outage');\n"
                + "CREATE STREAM out_out AS SELECT id, sym FROM trades\n"
                + "WITH ('out_out.type' = 'kafka_sink', 'out_out.topic' = 'out_out', 'commit.interval' = '200ms'" + extra + ");\n";
    }

    @Test
    void aBrokerThatComesBackLosesNothing() throws Exception {
        int port = EmbeddedKafka.freePort();
        Path data = dir.resolve("broker");
        EmbeddedKafka kafka = new EmbeddedKafka(port, data);
        String bootstrap = kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("out_in", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(bootstrap, "out_in", 0, 2_000);
        JobPlan job = plan(bootstrap, job(""));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread runner = runUntilRead(job, 15_000, 2_000, failed);
        kafka.close(); // the broker goes away mid-run ...
        Thread.sleep(3_000);
        kafka = new EmbeddedKafka(port, data); // ... and comes back on the same port with its data
        kafka.start();
        try {
            produce(bootstrap, "out_in", 2_000, 4_000);
            runner.join(180_000);
            assertTrue(!runner.isAlive(), "the job did not end");
            assertEquals(null, failed.get());
            KafkaExactlyOnceTest.useBroker(bootstrap);
            assertEquals(4_000, KafkaExactlyOnceTest.idCounts("out_out", "read_uncommitted").size(), "records lost across the outage");
        } finally {
            kafka.close();
        }
    }

    @Test
    void retryWithBackoffReplaysATransactionalJobExactlyOnceAcrossAnOutage() throws Exception {
        int port = EmbeddedKafka.freePort();
        Path data = dir.resolve("broker-tx");
        EmbeddedKafka kafka = new EmbeddedKafka(port, data);
        String bootstrap = kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("out_in", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(bootstrap, "out_in", 0, 2_000);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(log, true)).kafka(bootstrap);
        List<Object> steps = engine.planScript(job(", 'mode' = 'transactional', 'sink.failure_strategy' = 'RetryWithBackoff',"
                + " 'max_retries' = '8', 'retry_backoff' = '500ms', 'out_out.kafka.delivery.timeout.ms' = '3000',"
                + " 'out_out.kafka.request.timeout.ms' = '1500', 'out_out.kafka.linger.ms' = '0', 'out_out.kafka.max.block.ms' = '3000'"),
                dir, List.of());
        JobPlan job = (JobPlan) steps.get(steps.size() - 1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread runner = runUntilRead(job, 15_000, 2_000, failed);
        kafka.close();
        Thread.sleep(6_000); // longer than the producer's delivery timeout: commits fail and the job replays
        kafka = new EmbeddedKafka(port, data);
        kafka.start();
        try {
            produce(bootstrap, "out_in", 2_000, 4_000);
            runner.join(180_000);
            assertTrue(!runner.isAlive(), "the job did not end");
            String text = log.toString(StandardCharsets.UTF_8);
            assertEquals(null, failed.get(), text);
            KafkaExactlyOnceTest.useBroker(bootstrap);
            Map<Long, Integer> seen = KafkaExactlyOnceTest.idCounts("out_out", "read_committed");
            assertEquals(4_000, seen.size(), "records lost across the outage");
            assertEquals(0, seen.values().stream().filter(c -> c > 1).count(), "records written twice");
            System.out.println("replays: " + text.lines().filter(l -> l.contains("replaying from the last commit")).count() + "\n" + text);
        } finally {
            kafka.close();
        }
    }

    /** Runs the job on its own thread (ending after {@code idleMillis} without records) until it has read {@code records}. */
    private static Thread runUntilRead(JobPlan job, long idleMillis, long records, AtomicReference<Throwable> failed) throws InterruptedException {
        Thread runner = new Thread(() -> {
            try {
                new JobRunner(job, 0, idleMillis, null).run();
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        runner.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (job.metrics().recordsIn() < records && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return runner;
    }

    @Test
    void aBrokerThatStaysAwayFailsTheJobNamingTheTopic() throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka();
        String bootstrap = kafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("out_in", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(bootstrap, "out_in", 0, 500);
        // short client timeouts: the retries give up within seconds instead of the defaults' minutes
        JobPlan job = plan(bootstrap, job(", 'out_out.kafka.delivery.timeout.ms' = '4000', 'out_out.kafka.request.timeout.ms' = '2000',"
                + " 'out_out.kafka.linger.ms' = '0', 'out_out.kafka.max.block.ms' = '4000', 'trades.kafka.default.api.timeout.ms' = '4000'"));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread runner = runUntilRead(job, 60_000, 500, failed);
        Thread.sleep(500);
        kafka.close();
        runner.join(90_000);
        assertTrue(!runner.isAlive(), "the job hangs with the broker gone");
        Throwable t = failed.get();
        assertTrue(t instanceof JobFailedException, String.valueOf(t));
        System.out.println("broker gone: " + t.getMessage());
        assertTrue(t.getMessage().contains("topic 'out_in'") || t.getMessage().contains("topic 'out_out'"), t.getMessage());
        assertTrue(t.getMessage().contains(bootstrap) || t.getMessage().contains("out_out"), t.getMessage());
    }
}
