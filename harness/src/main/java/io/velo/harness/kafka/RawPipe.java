package io.velo.harness.kafka;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The reference: what a competent engineer writes to forward a topic's messages to another topic
 * without SQL — a {@link KafkaConsumer} / {@link KafkaProducer} loop over {@code byte[]}, the value
 * forwarded untouched with no key (as the engine's sink writes), a send callback that records the first
 * failure, and the engine's at-least-once cycle: about once a second flush the producer, then
 * {@code commitSync} the positions after the forwarded records; at the end, flush and commit. It reads
 * exactly {@code records} messages, as the engine does with {@code --max-records}.
 */
final class RawPipe {
    private static final long COMMIT_INTERVAL_NANOS = 1_000_000_000L;

    /** What one run measured; times from {@link System#nanoTime}. */
    record Outcome(long firstRecordNanos, long lastAckNanos, long forwarded) { }

    /** Called once, right after the first poll that returned records, and once after the last acknowledgement. */
    interface Clock {
        void first();

        void last();
    }

    private RawPipe() {
    }

    static Outcome run(String bootstrap, String inTopic, String outTopic, String group, Map<String, String> consumerSettings,
                       Map<String, String> producerSettings, long records, Clock clock, PrintStream progress) {
        Properties c = new Properties();
        c.putAll(consumerSettings);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties p = new Properties();
        p.putAll(producerSettings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all"); // as the engine's sink
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c); KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            consumer.subscribe(List.of(inTopic));
            long forwarded = 0;
            long first = 0;
            long lastCommit = 0;
            long lastProgress = 0;
            while (forwarded < records) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
                if (polled.isEmpty()) {
                    continue;
                }
                if (first == 0) {
                    first = System.nanoTime();
                    lastCommit = first;
                    clock.first();
                }
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (forwarded == records) {
                        break; // the input holds exactly `records`; never forward more
                    }
                    producer.send(new ProducerRecord<>(outTopic, r.value()), (md, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    positions.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    forwarded++;
                }
                long now = System.nanoTime();
                if (now - lastCommit >= COMMIT_INTERVAL_NANOS) {
                    lastCommit = now;
                    producer.flush();
                    failIfSendFailed(failure, outTopic);
                    consumer.commitSync(positions);
                    positions.clear();
                }
                if (progress != null && now - lastProgress >= 1_000_000_000L) {
                    lastProgress = now;
                    progress.printf("\rraw pipe: %,d of %,d records forwarded, %,.0f rec/s   ", forwarded, records,
                            forwarded / ((now - first) / 1e9));
                    progress.flush();
                }
            }
            producer.flush();
            long last = System.nanoTime();
            clock.last();
            failIfSendFailed(failure, outTopic);
            consumer.commitSync(positions);
            if (progress != null) {
                progress.print("\r");
                progress.flush();
            }
            return new Outcome(first, last, forwarded);
        }
    }

    private static void failIfSendFailed(AtomicReference<Exception> failure, String topic) {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("raw pipe: cannot write to topic '" + topic + "': " + e.getMessage(), e);
        }
    }
}
