package io.velo.connector.kafka;

import io.velo.exec.state.StateKey;
import io.velo.exec.state.StateLog;
import io.velo.exec.state.StateStore;
import io.velo.failure.JobFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Operator state in a compacted changelog topic, as Kafka Streams keeps its stores: entries are sent
 * on the transactional sink's producer, so they commit atomically with the output and the source
 * offsets; at start the topic is read to its end with {@code read_committed} (after the sink's
 * {@code initTransactions} aborted whatever a killed instance left open) and the latest value per key
 * rebuilds the state.
 */
public final class KafkaStateStore implements StateStore {
    private final String topic;
    private final KafkaSink sink;
    private final StateLog log;
    private final boolean transactional;

    /**
     * @param transactional entries commit with the sink's transaction (exactly-once); otherwise they are
     *     flushed with the sink before the source offsets commit (at-least-once: after a crash between the
     *     two, the records since the last offset commit are counted again)
     */
    public KafkaStateStore(String topic, KafkaSink sink, boolean transactional) {
        this.topic = topic;
        this.sink = sink;
        this.transactional = transactional;
        this.log = (key, value) -> sink.send(new ProducerRecord<>(topic, key, value));
    }

    @Override
    public Map<StateKey, byte[]> readAll() {
        String servers = sink.servers();
        KafkaSink.createTopic(servers, topic, 1, (short) 1, Map.of("cleanup.policy", "compact"), sink.name());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        Map<StateKey, byte[]> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(15))) {
                parts.add(new TopicPartition(topic, info.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(15));
            long deadline = System.currentTimeMillis() + 120_000;
            while (!reached(c, end)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new JobFailedException("cannot restore state from changelog topic '" + topic + "' within 120 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    StateKey k = new StateKey(r.key());
                    if (r.value() == null) {
                        latest.remove(k);
                    } else {
                        latest.put(k, r.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new JobFailedException("cannot restore state from changelog topic '" + topic + "': " + e.getMessage(), e);
        }
        return latest;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StateLog log() {
        return log;
    }

    @Override
    public String describe() {
        return "changelog topic " + topic + (transactional ? " (compacted, written in the sink's transaction)"
                : " (compacted, flushed with the sink before the offsets commit: at-least-once)");
    }
}
