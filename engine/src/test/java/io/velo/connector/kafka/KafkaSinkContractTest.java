package io.velo.connector.kafka;

import io.velo.api.Engine;
import io.velo.connector.SinkContractTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The sink contract for {@link KafkaSink} at least once, on the embedded broker: a fresh topic per case. */
class KafkaSinkContractTest extends SinkContractTest {
    /** How long a topic is watched for records beyond the expected ones (or for any, when none may be visible). */
    private static final long QUIET_MS = 1_000;
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @BeforeAll
    static void startBroker() {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Override
    protected void configure(Engine engine) {
        engine.kafka(bootstrap);
    }

    @Override
    protected String sinkProperties(String output) {
        return "'out.type' = 'kafka_sink', 'out.topic' = '" + output + "'";
    }

    /**
     * The topic's messages as a {@code read_committed} consumer sees them, from the beginning of its
     * one partition (assigned, not subscribed: no group join, so the first poll already fetches).
     */
    @Override
    protected List<String> readBack(String output, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = c.partitionsFor(output, Duration.ofSeconds(15)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 20_000;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
                c.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.currentTimeMillis() + QUIET_MS;
                }
            }
        }
        return out;
    }

    @Override
    protected boolean transactional() {
        return false;
    }
}
