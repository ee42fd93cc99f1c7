package io.velo.connector.kafka;

import io.velo.api.Engine;
import io.velo.connector.SourceContractTest;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The source contract for {@link KafkaSource} on the embedded broker: a fresh 3-partition topic and
 * consumer group per case; record {@code i} goes to partition {@code i % 3}, so its offset is {@code i / 3}.
 */
class KafkaSourceContractTest extends SourceContractTest {
    private static final int PARTITIONS = 3;
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
    protected void writeInput(String input, List<String> jsonRecords) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(input, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new CheckedProducer<>(p)) {
            for (int i = 0; i < jsonRecords.size(); i++) {
                producer.send(new ProducerRecord<>(input, i % PARTITIONS, "k" + i, jsonRecords.get(i)));
            }
            producer.flush();
        }
    }

    @Override
    protected String sourceProperties(String input, String group) {
        return "'src.type' = 'kafka_source', 'src.topic' = '" + input + "', 'src.group.id' = '" + group + "'";
    }

    @Override
    protected boolean bounded() {
        return false;
    }

    /** Kafka offsets per partition, committed to the consumer group (or inside a sink's transaction). */
    @Override
    protected String withoutPositionsBecause() {
        return null;
    }

    @Override
    protected String positionOf(String input, int index) {
        return input + "/" + (index % PARTITIONS) + "@" + (index / PARTITIONS);
    }

    /** The transactional Kafka sink sends the source's offsets to its transaction ({@code sendOffsetsToTransaction}). */
    @Override
    protected Planned transactionalPlan(String input, String group) {
        return plan(script(sourceProperties(input, group), "'out.type' = 'kafka_sink', 'out.topic' = '" + input + "-out', "
                + "'mode' = 'transactional', 'out.kafka.transactional.id' = '" + unique("tx") + "'"));
    }
}
