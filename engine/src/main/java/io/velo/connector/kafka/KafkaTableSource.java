package io.velo.connector.kafka;

import io.velo.batch.RecordBatch;
import io.velo.codec.BytesDecoder;
import io.velo.codec.TextFieldDecoder;
import io.velo.connector.spi.Source;
import io.velo.failure.FailureHandler;
import io.velo.failure.JobFailedException;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A topic read as a keyed table's changelog: every partition from its beginning, in no consumer
 * group (a table is the whole topic, for every job that joins it; nothing is committed). A message
 * is an upsert of the row its value decodes to — its key column from the value, or from the message
 * key when the value has none — and a message without a value (a tombstone) deletes the row of its
 * key: the row comes out with {@link RecordBatch#deleted} set and only the key column, parsed from
 * the message key. {@link #caughtUp()} tells when the end offsets the topic had at open are reached;
 * from then on a poll takes what has arrived without waiting.
 */
public final class KafkaTableSource implements Source {
    private static final long TOPIC_WAIT_MILLIS = 10_000;

    private final String name;
    private final Schema schema;
    private final String topic;
    private final Supplier<String> bootstrap;
    private final Map<String, Object> clientSettings;
    private final int keyColumn;
    private final BytesDecoder decoder;
    private final TextFieldDecoder keyDecoder;
    private final String format;
    private final FailureHandler failures;
    private final JobMetrics metrics;

    private KafkaConsumer<byte[], byte[]> consumer;
    private Iterator<ConsumerRecord<byte[], byte[]>> pending;
    private Map<TopicPartition, Long> end;
    private boolean caughtUp;

    /** @param keyColumn the table's PRIMARY KEY column */
    public KafkaTableSource(String name, Schema schema, String topic, Supplier<String> bootstrap, Map<String, Object> clientSettings,
                            int keyColumn, String format, BytesDecoder decoder, TextFieldDecoder keyDecoder, FailureHandler failures,
                            JobMetrics metrics) {
        this.name = name;
        this.schema = schema;
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.clientSettings = clientSettings;
        this.keyColumn = keyColumn;
        this.format = format;
        this.decoder = decoder;
        this.keyDecoder = keyDecoder;
        this.failures = failures;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public boolean bounded() {
        return false;
    }

    @Override
    public void open() {
        String servers = bootstrap.get();
        KafkaBrokers.requireReachable(servers, "table '" + name + "'");
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group: nothing to commit or share
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try {
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> parts = partitions(servers);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            end = new HashMap<>(consumer.endOffsets(parts, Duration.ofSeconds(15)));
        } catch (KafkaException e) {
            throw new JobFailedException("table '" + name + "': cannot read topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /** The topic's partitions; it may appear within 10 s (another job of the script creates it). */
    private List<TopicPartition> partitions(String servers) {
        long deadline = System.currentTimeMillis() + TOPIC_WAIT_MILLIS;
        while (true) {
            List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(15)).get(topic);
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> parts = new ArrayList<>();
                for (PartitionInfo i : infos) {
                    parts.add(new TopicPartition(topic, i.partition()));
                }
                return parts;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new JobFailedException("table '" + name + "': topic '" + topic + "' does not exist at " + servers
                        + " (waited " + TOPIC_WAIT_MILLIS / 1000 + " s)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobFailedException("table '" + name + "': interrupted", e);
            }
        }
    }

    /**
     * Takes the topic's end offsets now as the ones {@link #caughtUp()} waits for: after the job was
     * quiet, reading up to them brings the table to what the topic holds now, not to what a last
     * fetch happened to bring.
     */
    public void markEnd() {
        try {
            end = new HashMap<>(consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5)));
            caughtUp = false;
        } catch (KafkaException e) {
            // the broker did not answer: the table goes on as it was, taking changes as its polls bring them
        }
    }

    /** Whether every partition has been read up to the end offset it had when the table opened (or at {@link #markEnd}). */
    public boolean caughtUp() {
        if (caughtUp) {
            return true;
        }
        if (pending != null && pending.hasNext()) {
            return false;
        }
        try {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (consumer.position(e.getKey(), Duration.ofSeconds(15)) < e.getValue()) {
                    return false;
                }
            }
        } catch (KafkaException e) {
            throw new JobFailedException("table '" + name + "': cannot read topic '" + topic + "': " + e.getMessage(), e);
        }
        caughtUp = true;
        return true;
    }

    @Override
    public boolean poll(RecordBatch batch) {
        batch.sourceName = topic;
        batch.partitioned = true;
        if (pending == null || !pending.hasNext()) {
            try {
                pending = consumer.poll(caughtUp ? Duration.ZERO : Duration.ofMillis(100)).iterator();
            } catch (KafkaException e) {
                throw new JobFailedException("table '" + name + "': cannot read topic '" + topic + "': " + e.getMessage(), e);
            }
        }
        long now = System.currentTimeMillis();
        while (batch.size < batch.capacity && pending.hasNext()) {
            ConsumerRecord<byte[], byte[]> r = pending.next();
            metrics.addRecordsIn(1);
            decodeInto(batch, r, now);
        }
        return true;
    }

    private void decodeInto(RecordBatch batch, ConsumerRecord<byte[], byte[]> r, long now) {
        int row = batch.size;
        byte[] value = r.value();
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (value == null) {
                if (key == null) {
                    throw new RecordError(RecordError.MALFORMED_INPUT, "a tombstone (a message without a value) needs a key");
                }
                for (int c = 0; c < batch.columns.length; c++) {
                    batch.columns[c].setNull(row);
                }
                keyDecoder.decode(schema.field(keyColumn).name(), key, schema.field(keyColumn).type(), batch.columns[keyColumn], row);
                batch.ensureChangeColumns();
                batch.deleted[row] = true;
            } else {
                decoder.decode(value, 0, value.length, batch, row);
                if (batch.columns[keyColumn].isNull(row) && key != null) {
                    keyDecoder.decode(schema.field(keyColumn).name(), key, schema.field(keyColumn).type(), batch.columns[keyColumn], row);
                }
                if (batch.deleted != null) {
                    batch.deleted[row] = false;
                }
            }
            long ts = r.timestamp() >= 0 ? r.timestamp() : now;
            batch.timestamp[row] = ts;
            batch.eventTime[row] = ts;
            batch.partition[row] = r.partition();
            batch.offset[row] = r.offset();
            batch.raw[row] = value;
            batch.key[row] = key;
            batch.size++;
        } catch (RecordError e) {
            failures.onKafkaRecordError(r.topic(), r.partition(), r.offset(), r.key(), value, e.code(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            KafkaConsumer<byte[], byte[]> c = consumer;
            consumer = null;
            c.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public String describe() {
        return "kafka_source " + topic + " (" + format + "), as a table: from the beginning, tombstones delete";
    }
}
