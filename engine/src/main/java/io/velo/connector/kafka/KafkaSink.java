package io.velo.connector.kafka;

import io.velo.batch.RecordBatch;
import io.velo.codec.BytesEncoder;
import io.velo.codec.OutputBuffer;
import io.velo.connector.spi.Sink;
import io.velo.failure.JobFailedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes each live row as one message (value from the format's byte encoder, key from
 * {@code '<name>.key.field'} or the PRIMARY KEY item) with a {@link KafkaProducer}. The topic is created
 * on open when it does not exist ({@code '<name>.partitions'}, {@code '<name>.replication.factor'}).
 * {@link #flush} waits for every send to be acknowledged; a failed send fails the job naming the topic.
 */
public final class KafkaSink implements Sink {
    private final String name;
    private final String topic;
    private final Supplier<String> bootstrap;
    private final Map<String, Object> clientSettings;
    private final String format;
    private final BytesEncoder encoder;
    private final int keyColumn;
    private final int partitions;
    private final short replication;
    private final OutputBuffer message = new OutputBuffer(256);
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaSink(String name, String topic, Supplier<String> bootstrap, Map<String, Object> clientSettings, String format,
                     BytesEncoder encoder, int keyColumn, int partitions, short replication) {
        this.name = name;
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.clientSettings = clientSettings;
        this.format = format;
        this.encoder = encoder;
        this.keyColumn = keyColumn;
        this.partitions = partitions;
        this.replication = replication;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void open() {
        String servers = bootstrap.get();
        createTopic(servers);
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        try {
            producer = new KafkaProducer<>(p);
        } catch (KafkaException e) {
            throw new JobFailedException("sink '" + name + "': cannot produce to topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private void createTopic(String servers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(p)) {
            if (admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication))).all().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new JobFailedException("sink '" + name + "': cannot create topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException | KafkaException e) {
            throw new JobFailedException("sink '" + name + "': cannot create topic '" + topic + "' (is the broker at " + servers
                    + " reachable?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailedException("sink '" + name + "': interrupted creating topic '" + topic + "'", e);
        }
    }

    @Override
    public int write(RecordBatch batch) {
        failIfSendFailed();
        int n = batch.liveCount();
        for (int i = 0; i < n; i++) {
            int row = batch.liveRow(i);
            message.clear();
            encoder.encode(batch, row, message);
            byte[] value = message.toByteArray();
            byte[] key = keyColumn < 0 || batch.columns[keyColumn].isNull(row) ? null
                    : batch.columns[keyColumn].text(row).getBytes(StandardCharsets.UTF_8);
            try {
                producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
            } catch (KafkaException e) {
                throw failed(e);
            }
        }
        return n;
    }

    private void failIfSendFailed() {
        Exception e = sendFailure.get();
        if (e != null) {
            throw failed(e);
        }
    }

    private JobFailedException failed(Exception e) {
        return new JobFailedException("sink '" + name + "': cannot write to topic '" + topic + "': " + e.getMessage(), e);
    }

    @Override
    public void flush() {
        if (producer == null) {
            return;
        }
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw failed(e);
        }
        failIfSendFailed();
    }

    @Override
    public void close() {
        if (producer == null) {
            return;
        }
        try {
            flush();
        } finally {
            KafkaProducer<byte[], byte[]> p = producer;
            producer = null;
            p.close(java.time.Duration.ofSeconds(10));
        }
    }

    @Override
    public String describe() {
        return "kafka_sink " + topic + " (" + format + ")";
    }
}
