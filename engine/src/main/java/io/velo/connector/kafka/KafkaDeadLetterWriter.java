package io.velo.connector.kafka;

import io.velo.failure.DeadLetter;
import io.velo.failure.DeadLetterWriter;
import io.velo.types.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dead letters to a Kafka topic ({@code 'dlq.topic'}, default {@code <job>-dlq}): the original key and
 * value bytes, and headers {@code velo.error.code}, {@code velo.error.message}, {@code velo.job},
 * {@code velo.failed.at}, {@code velo.source} and {@code velo.position} — for a record read from
 * Kafka also {@code velo.source.topic}, {@code velo.source.partition}, {@code velo.source.offset}.
 * In a transactional job the letters are sent on the sink's producer ({@link #joinTransactionsOf}),
 * so they commit (or abort) with the batch that failed; otherwise on a producer of their own,
 * flushed before the source commits.
 */
public final class KafkaDeadLetterWriter implements DeadLetterWriter {
    private final String topic;
    private final Supplier<String> bootstrap;
    private final Map<String, Object> clientSettings;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private KafkaSink transactional;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean topicReady;

    public KafkaDeadLetterWriter(String topic, Supplier<String> bootstrap, Map<String, Object> clientSettings) {
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.clientSettings = clientSettings;
    }

    public String topic() {
        return topic;
    }

    /** Sends the letters inside {@code sink}'s transactions instead of on a producer of their own. */
    public void joinTransactionsOf(KafkaSink sink) {
        this.transactional = sink;
    }

    @Override
    public void write(DeadLetter l) throws IOException {
        RecordHeaders h = new RecordHeaders();
        header(h, "velo.error.code", l.errorCode());
        header(h, "velo.error.message", l.error());
        header(h, "velo.job", l.job());
        header(h, "velo.failed.at", Values.formatTimestamp(l.failedAtMillis()));
        header(h, "velo.source", l.source());
        header(h, "velo.position", Long.toString(l.position()));
        if (l.topic() != null) {
            header(h, "velo.source.topic", l.topic());
            header(h, "velo.source.partition", Integer.toString(l.partition()));
            header(h, "velo.source.offset", Long.toString(l.position()));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, l.key(), l.valueBytes(), h);
        if (!topicReady) {
            String servers = transactional != null ? transactional.servers() : bootstrap.get();
            KafkaSink.createTopic(servers, topic, 1, (short) 1, Map.of(), "dead-letter queue");
            topicReady = true;
        }
        if (transactional != null) {
            transactional.send(record);
            return;
        }
        failIfSendFailed();
        try {
            producer().send(record, (md, e) -> {
                if (e != null) {
                    sendFailure.compareAndSet(null, e);
                }
            });
        } catch (KafkaException e) {
            throw new IOException("dead-letter topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private static void header(RecordHeaders h, String key, String value) {
        if (value != null) {
            h.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(clientSettings);
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    private void failIfSendFailed() throws IOException {
        Exception e = sendFailure.get();
        if (e != null) {
            throw new IOException("dead-letter topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        if (producer != null) {
            try {
                producer.flush();
            } catch (KafkaException e) {
                throw new IOException("dead-letter topic '" + topic + "': " + e.getMessage(), e);
            }
            failIfSendFailed();
        }
    }

    @Override
    public void close() throws IOException {
        if (producer != null) {
            try {
                flush();
            } finally {
                KafkaProducer<byte[], byte[]> p = producer;
                producer = null;
                p.close(Duration.ofSeconds(10));
            }
        }
    }
}
