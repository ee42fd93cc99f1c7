package io.velo.connector.kafka;

import io.velo.batch.RecordBatch;
import io.velo.codec.BytesDecoder;
import io.velo.config.BatchConfig;
import io.velo.connector.spi.Source;
import io.velo.failure.FailureHandler;
import io.velo.failure.JobFailedException;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic with a {@link KafkaConsumer} into pooled batches, each message value decoded from its
 * bytes by the source's format ({@link BytesDecoder}). Unbounded. The records a consumer poll returned beyond the batch (or beyond
 * {@code --max-records}) are held for the next poll, so the count read is exact. {@link #commit}
 * commits, per partition, the offset after the last record handed to a batch (or failed): the runner
 * calls it only once the sink has flushed those records (at-least-once). A malformed message is a
 * record error positioned {@code topic/partition@offset}.
 */
public final class KafkaSource implements Source {
    private final String name;
    private final Schema schema;
    private final String topic;
    private final Supplier<String> bootstrap;
    private final Map<String, Object> clientSettings;
    private final int eventTimeColumn;
    private io.velo.types.EventTimeFormat eventTimeFormat = io.velo.types.EventTimeFormat.AUTO;
    private final int keyColumn;
    private final BatchConfig batching;
    private final BytesDecoder decoder;
    private final String format;
    private final FailureHandler failures;
    private final JobMetrics metrics;

    private KafkaConsumer<byte[], byte[]> consumer;
    private Iterator<ConsumerRecord<byte[], byte[]>> pending;
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private int recordLimit;
    private long readBudget = Long.MAX_VALUE;

    public KafkaSource(String name, Schema schema, String topic, Supplier<String> bootstrap, Map<String, Object> clientSettings,
                       int eventTimeColumn, int keyColumn, BatchConfig batching, String format, BytesDecoder decoder,
                       FailureHandler failures, JobMetrics metrics) {
        this.name = name;
        this.schema = schema;
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.clientSettings = clientSettings;
        this.eventTimeColumn = eventTimeColumn;
        this.keyColumn = keyColumn;
        this.batching = batching;
        this.format = format;
        this.decoder = decoder;
        this.failures = failures;
        this.metrics = metrics;
        this.recordLimit = batching.maxRecords();
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
        Properties p = new Properties();
        p.putAll(clientSettings);
        servers = bootstrap.get();
        KafkaBrokers.requireReachable(servers, "source '" + name + "'");
        Properties ap = new Properties();
        ap.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(ap)) { // one client for the checks
            if (aloneBecause != null) {
                requireNoOtherMember(admin, String.valueOf(clientSettings.get(ConsumerConfig.GROUP_ID_CONFIG)));
            }
            requireTopic(admin);
        }
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // a mistyped topic is an error, not a new empty topic
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try {
            consumer = new KafkaConsumer<>(p);
            consumer.subscribe(List.of(topic), new HandOver());
        } catch (KafkaException e) {
            throw new JobFailedException("source '" + name + "': cannot consume topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /**
     * A rebalance takes partitions away (another instance joined the group, or this one is leaving):
     * first the runner commits what was processed (offsets, or the transaction holding them), then
     * the records already fetched for those partitions but not yet in a batch are dropped, since the
     * next owner reads them from the committed offsets. Partitions lost without a revoke (this
     * instance was too slow and left the group) commit nothing: the next owner repeats their records.
     */
    private final class HandOver implements org.apache.kafka.clients.consumer.ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (handOver != null && !consumed.isEmpty()) {
                handOver.run();
            }
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
            drop(partitions);
        }
    }

    private Runnable handOver;
    private String servers;

    private static final long TOPIC_WAIT_MILLIS = 10_000;

    /**
     * The topic must exist: a mistyped name would otherwise wait forever on nothing (or, with the
     * broker's auto-creation, on a new empty topic). It may appear within 10 s — another job of the
     * same script creates it as its sink opens.
     */
    private void requireTopic(org.apache.kafka.clients.admin.Admin admin) {
        long deadline = System.currentTimeMillis() + TOPIC_WAIT_MILLIS;
        try {
            while (true) {
                java.util.Set<String> names = admin.listTopics().names().get(15, java.util.concurrent.TimeUnit.SECONDS);
                if (names.contains(topic)) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    String near = io.velo.config.PropertyCatalog.suggest(topic, names);
                    throw new JobFailedException("source '" + name + "': topic '" + topic + "' does not exist at " + servers
                            + " (waited " + TOPIC_WAIT_MILLIS / 1000 + " s)" + (near != null ? "; did you mean '" + near + "'?" : ""));
                }
                Thread.sleep(200);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new JobFailedException("source '" + name + "': cannot list the topics at " + servers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailedException("source '" + name + "': interrupted", e);
        }
    }
    private String aloneBecause;

    @Override
    public void readAlone(String why) {
        aloneBecause = why;
    }

    /**
     * A stateful job's state is not split by partition yet, so a second instance in the group would
     * compute from half the input while both restore the whole state: it is refused at start.
     */
    private void requireNoOtherMember(org.apache.kafka.clients.admin.Admin admin, String group) {
        try {
            var d = admin.describeConsumerGroups(List.of(group)).all().get(15, java.util.concurrent.TimeUnit.SECONDS).get(group);
            Object instance = clientSettings.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            long others = d == null ? 0 : d.members().stream()
                    .filter(m -> instance == null || !m.groupInstanceId().map(instance::equals).orElse(false)).count();
            if (others > 0) {
                throw new JobFailedException("source '" + name + "': consumer group '" + group + "' already has " + others
                        + " member(s) reading topic '" + topic + "'; this job keeps " + aloneBecause + ", which is not split by partition "
                        + "yet, so it runs as one instance per group: stop the other instance, or give this one its own '" + name + ".group.id'"
                        + " (a killed instance stays a member until its session times out, 45 s by default; with 'instance.id' set, "
                        + "a restarted instance takes its place at once)");
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
                throw new JobFailedException("source '" + name + "': cannot describe consumer group '" + group + "': " + e.getCause().getMessage(), e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new JobFailedException("source '" + name + "': cannot describe consumer group '" + group + "' within 15 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailedException("source '" + name + "': interrupted", e);
        }
    }

    @Override
    public void onHandOver(Runnable commitNow) {
        this.handOver = commitNow;
    }

    private void drop(java.util.Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            consumed.remove(tp);
        }
        if (pending != null && pending.hasNext()) {
            List<ConsumerRecord<byte[], byte[]>> keep = new java.util.ArrayList<>();
            while (pending.hasNext()) {
                ConsumerRecord<byte[], byte[]> r = pending.next();
                if (!partitions.contains(new TopicPartition(r.topic(), r.partition()))) {
                    keep.add(r);
                }
            }
            pending = keep.iterator();
        }
    }

    /** The record's partition, one object per partition (records of a poll come partition by partition). */
    private TopicPartition partitionOf(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = lastPartition;
        if (tp == null || tp.partition() != r.partition() || !tp.topic().equals(r.topic())) {
            tp = new TopicPartition(r.topic(), r.partition());
            lastPartition = tp;
        }
        return tp;
    }

    private TopicPartition lastPartition;

    /** How long a source may see nothing before it asks the broker whether it is still there. */
    private static final long QUIET_PROBE_MILLIS = 10_000;
    private long lastRecords = System.currentTimeMillis();
    private long lastProbe;

    /**
     * A consumer whose broker went away polls nothing, silently, for ever. After 10 s without records
     * (and then every 10 s) the source asks the broker for the topic's end offsets: a broker that
     * does not answer within 10 s fails the job with a message naming it and the topic, instead of a
     * job that looks idle. A broker that comes back in time is used again by the same clients.
     */
    private void probeWhenQuiet(long now) {
        if (now - lastRecords < QUIET_PROBE_MILLIS || now - lastProbe < QUIET_PROBE_MILLIS) {
            return;
        }
        lastProbe = now;
        try {
            consumer.endOffsets(consumer.assignment().isEmpty() ? List.of(new TopicPartition(topic, 0)) : consumer.assignment(),
                    Duration.ofMillis(QUIET_PROBE_MILLIS));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new JobFailedException("source '" + name + "': Kafka at " + servers + " has not answered for "
                    + (System.currentTimeMillis() - lastRecords) / 1000 + " s (topic '" + topic + "'): the broker went away", e);
        } catch (KafkaException e) {
            throw new JobFailedException("source '" + name + "': cannot consume topic '" + topic + "': " + e.getMessage(), e);
        }
        lastProbe = System.currentTimeMillis();
    }

    /** Records fetched and not yet handed over, or a partition whose last fetch reported lag. */
    @Override
    public boolean behind() {
        if (pending != null && pending.hasNext() && readBudget > 0) {
            return true;
        }
        java.util.Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition tp : assigned) {
            java.util.OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent() && lag.getAsLong() > 0) {
                return true;
            }
        }
        if (assigned.isEmpty()) {
            return false;
        }
        // the last fetch may be old (a stall): ask the broker for the ends (the last stable offsets when
        // reading committed records) and compare them with where this consumer is
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
            for (TopicPartition tp : assigned) {
                Long end = ends.get(tp);
                if (end != null && consumer.position(tp, Duration.ofSeconds(5)) < end) {
                    return true;
                }
            }
        } catch (KafkaException e) {
            return false; // cannot tell: the idle end stands (a broker that went away is reported by the quiet probe)
        }
        return false;
    }

    @Override
    public io.velo.connector.spi.SourcePositions positions() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        consumed.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        return new KafkaPositions(offsets, consumer.groupMetadata());
    }

    @Override
    public void committed() {
        consumed.clear();
        readSinceCommit = 0;
    }

    /** Records handed out since the last commit: a rewind gives them back to the --max-records budget. */
    private long readSinceCommit;

    @Override
    public boolean rewind() {
        try {
            java.util.Set<TopicPartition> assigned = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(30));
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata o = committed.get(tp);
                if (o != null) {
                    consumer.seek(tp, o.offset());
                } else if ("latest".equals(String.valueOf(clientSettings.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)))) {
                    return false; // nothing committed to go back to
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
        } catch (KafkaException e) {
            return false;
        }
        pending = null;
        consumed.clear();
        if (readBudget != Long.MAX_VALUE) {
            readBudget += readSinceCommit;
        }
        readSinceCommit = 0;
        return true;
    }

    @Override
    public void limitRecords(int n) {
        recordLimit = Math.max(1, Math.min(n, batching.maxRecords()));
    }

    @Override
    public void limitTotal(long records) {
        readBudget = records;
    }

    @Override
    public boolean poll(RecordBatch batch) {
        if (readBudget <= 0) {
            return false;
        }
        batch.sourceName = topic;
        batch.partitioned = true;
        int limit = Math.min(batch.capacity, recordLimit);
        long t0 = System.nanoTime();
        if (pending == null || !pending.hasNext()) {
            try {
                pending = consumer.poll(Duration.ofMillis(Math.max(10, Math.min(100, batching.maxWaitMillis())))).iterator();
            } catch (KafkaException e) {
                throw new JobFailedException("source '" + name + "': cannot consume topic '" + topic + "': " + e.getMessage(), e);
            }
        }
        long t1 = System.nanoTime();
        waitNanos += t1 - t0;
        long now = System.currentTimeMillis();
        if (pending.hasNext()) {
            lastRecords = now;
        } else {
            probeWhenQuiet(now);
        }
        while (batch.size < limit && readBudget > 0 && pending.hasNext()) {
            ConsumerRecord<byte[], byte[]> r = pending.next();
            metrics.addRecordsIn(1);
            readBudget--;
            readSinceCommit++;
            consumed.put(partitionOf(r), r.offset() + 1);
            decodeInto(batch, r, now);
        }
        decodeNanos += System.nanoTime() - t1;
        return true;
    }

    private long waitNanos;
    private long decodeNanos;

    @Override
    public long waitNanos() {
        return waitNanos;
    }

    @Override
    public long decodeNanos() {
        return decodeNanos;
    }

    private void decodeInto(RecordBatch batch, ConsumerRecord<byte[], byte[]> r, long now) {
        int row = batch.size;
        byte[] value = r.value();
        try {
            if (value == null) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "the message has no value (a tombstone)");
            }
            decoder.decode(value, 0, value.length, batch, row);
            long ts = r.timestamp() >= 0 ? r.timestamp() : now;
            batch.timestamp[row] = ts;
            batch.eventTime[row] = eventTimeColumn >= 0 ? eventTime(batch, row) : ts;
            batch.partition[row] = r.partition();
            batch.offset[row] = r.offset();
            batch.raw[row] = value;
            batch.headers[row] = r.headers(); // the consumer's own object: HEADER() reads it, nothing is copied
            batch.headerReader = KafkaHeaders.LAST_VALUE;
            batch.key[row] = keyColumn >= 0 ? (batch.columns[keyColumn].isNull(row) ? null : batch.columns[keyColumn].text(row))
                    : r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            batch.size++;
        } catch (RecordError e) {
            failures.onKafkaRecordError(r.topic(), r.partition(), r.offset(), r.key(), value, e.code(), e.getMessage());
        }
    }

    private long eventTime(RecordBatch batch, int row) {
        return eventTimeFormat.millis(batch.columns[eventTimeColumn], row, schema.field(eventTimeColumn).type(),
                schema.field(eventTimeColumn).name());
    }

    /** How the event-time field is read ({@code 'event.time.format'}). */
    public void eventTimeFormat(io.velo.types.EventTimeFormat format) {
        this.eventTimeFormat = format;
    }

    /** Commits the positions after every record handed out so far (the caller has flushed the sink). */
    @Override
    public void commit() {
        readSinceCommit = 0;
        if (consumer == null || consumed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        consumed.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        try {
            consumer.commitSync(offsets);
            consumed.clear();
        } catch (KafkaException e) {
            throw new JobFailedException("source '" + name + "': cannot commit offsets of topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        handOver = null; // leaving the group at close commits nothing: the runner has committed, or must not
        if (consumer != null) {
            KafkaConsumer<byte[], byte[]> c = consumer;
            consumer = null;
            c.close(Duration.ofSeconds(5));
        }
    }

    public String topic() {
        return topic;
    }

    /** The consumer group the source reads in. */
    public String group() {
        return String.valueOf(clientSettings.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Override
    public String describe() {
        return "kafka_source " + topic + " (" + format + ")";
    }
}
