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
    /**
     * One callback for every send of a producer (a lambda per send would allocate per record): keeps
     * the first failure. A producer replaced by {@link #recover} fails its pending sends as it closes;
     * those belong to the generation given up, and are ignored.
     */
    private org.apache.kafka.clients.producer.Callback onSent;
    private volatile int generation;

    private org.apache.kafka.clients.producer.Callback callbackFor(int gen) {
        return (md, e) -> {
            if (e != null && !this.aborted && gen == this.generation) {
                sendFailure.compareAndSet(null, e);
            }
        };
    }
    private KafkaProducer<byte[], byte[]> producer;
    /** {@code transactional.id} in {@code 'mode' = 'transactional'}, else null. */
    private final String transactionalId;
    private boolean inTransaction;
    /** The last transaction was aborted: its failed sends are no error, and nothing is left to flush. */
    private volatile boolean aborted;

    public KafkaSink(String name, String topic, Supplier<String> bootstrap, Map<String, Object> clientSettings, String format,
                     BytesEncoder encoder, int keyColumn, int partitions, short replication) {
        this(name, topic, bootstrap, clientSettings, format, encoder, keyColumn, partitions, replication, null);
    }

    public KafkaSink(String name, String topic, Supplier<String> bootstrap, Map<String, Object> clientSettings, String format,
                     BytesEncoder encoder, int keyColumn, int partitions, short replication, String transactionalId) {
        this.transactionalId = transactionalId;
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
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
        }
        onSent = callbackFor(++generation);
        try {
            producer = new KafkaProducer<>(p);
            if (transactionalId != null) {
                // fences an earlier instance with the same id and aborts what it left open (a killed process)
                producer.initTransactions();
            }
        } catch (KafkaException e) {
            throw new JobFailedException("sink '" + name + "': cannot produce to topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    @Override
    public boolean transactional() {
        return transactionalId != null;
    }

    @Override
    public void beginTransaction() {
        try {
            producer.beginTransaction();
            inTransaction = true;
            aborted = false;
        } catch (KafkaException e) {
            throw failed(e);
        }
    }

    /**
     * Commits the transaction: every message sent since {@link #beginTransaction} (output, dead
     * letters and changelog entries sent through {@link #send}) and the source's offsets, atomically.
     */
    @Override
    public void commitTransaction(io.velo.connector.spi.SourcePositions positions) {
        try {
            sendOffsets(positions);
            producer.commitTransaction();
            inTransaction = false;
        } catch (org.apache.kafka.common.errors.ProducerFencedException | org.apache.kafka.common.errors.InvalidProducerEpochException e) {
            throw new JobFailedException("sink '" + name + "': another instance with transactional.id '" + transactionalId
                    + "' took over (give each instance of a job its own '" + name + ".kafka.transactional.id')", e);
        } catch (KafkaException e) {
            // a send that failed first (its callback may come just after the last check) put the producer into
            // the error state this commit reports: that failure says whether a replay can help
            Exception first = sendFailure.get();
            throw failed(first != null && transientFailure(first) ? first : e);
        }
        failIfSendFailed();
    }

    /** A Kafka source's offsets into the open transaction; several sources' (a join, a UNION ALL) each with its group. */
    private void sendOffsets(io.velo.connector.spi.SourcePositions positions) {
        if (positions instanceof io.velo.connector.spi.SourcePositions.All all) {
            for (io.velo.connector.spi.SourcePositions p : all.parts()) {
                sendOffsets(p);
            }
        } else if (positions instanceof KafkaPositions kp && !kp.isEmpty()) {
            producer.sendOffsetsToTransaction(kp.offsets(), kp.group());
        }
    }

    @Override
    public void abortTransaction() {
        if (!inTransaction || producer == null) {
            return;
        }
        inTransaction = false;
        aborted = true;
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // fenced or broker gone: the transaction is aborted by the broker (timeout) or the next instance
        }
        sendFailure.set(null); // the sends the abort failed are not failures of the job
    }

    /**
     * Sends one message on this sink's producer (inside its transaction when transactional): dead
     * letters and changelog entries committed together with the output.
     */
    public void send(ProducerRecord<byte[], byte[]> record) {
        failIfSendFailed();
        try {
            producer.send(record, onSent);
        } catch (KafkaException e) {
            throw new io.velo.failure.SinkUnavailableException("sink '" + name + "': cannot write to topic '" + record.topic() + "': " + e.getMessage(), e);
        }
    }

    /** The bootstrap servers this sink writes to (opened). */
    public String servers() {
        return bootstrap.get();
    }

    /**
     * Creates the topic now when it does not exist, so that jobs started beside this one (a script whose
     * jobs all run at once) can read it from their start, before this job has opened.
     */
    public void prepare() {
        createTopic(bootstrap.get());
    }

    private void createTopic(String servers) {
        createTopic(servers, topic, partitions, replication, Map.of(), name);
    }

    /** Creates {@code topic} when it does not exist (also the changelog and dead-letter topics). */
    static void createTopic(String servers, String topic, int partitions, short replication, Map<String, String> configs, String name) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(p)) {
            if (admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(configs))).all().get(15, TimeUnit.SECONDS);
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
        // encode the batch, then send it: two clock reads per batch time the encoding apart from the sends
        long t0 = System.nanoTime();
        if (values.length < n) {
            values = new byte[Math.max(n, values.length * 2)][];
            keys = new byte[values.length][];
        }
        for (int i = 0; i < n; i++) {
            int row = batch.liveRow(i);
            if (tombstones && batch.isDeleted(row)) {
                values[i] = null; // a table's retraction: the key's tombstone
            } else {
                message.clear();
                encoder.encode(batch, row, message);
                values[i] = message.toByteArray();
            }
            keys[i] = keyColumn < 0 || batch.columns[keyColumn].isNull(row) ? null
                    : batch.columns[keyColumn].text(row).getBytes(StandardCharsets.UTF_8);
        }
        encodeNanos += System.nanoTime() - t0;
        try {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, keys[i], values[i]), onSent);
                values[i] = null;
                keys[i] = null;
            }
        } catch (KafkaException e) {
            java.util.Arrays.fill(values, null);
            java.util.Arrays.fill(keys, null);
            throw failed(e);
        }
        return n;
    }

    /** Whether retractions are written as tombstones (a message with the row's key and no value): a table's changelog. */
    private boolean tombstones;

    /** Writes retractions as tombstones of their key instead of encoded rows (the output is a table). */
    public void writeTombstones() {
        this.tombstones = true;
    }

    private byte[][] values = new byte[0][];
    private byte[][] keys = new byte[0][];
    private long encodeNanos;

    @Override
    public long encodeNanos() {
        return encodeNanos;
    }

    private void failIfSendFailed() {
        Exception e = sendFailure.get();
        if (e != null) {
            throw failed(e);
        }
    }

    /**
     * A failed send or commit: transient ones (the broker did not answer in time, a leader moved) may
     * be replayed under RetryWithBackoff; others (a message over {@code max.request.size}, an
     * authorisation error) fail the job at once, since a replay would fail the same way.
     */
    private JobFailedException failed(Exception e) {
        String message = "sink '" + name + "': cannot write to topic '" + topic + "': " + e.getMessage();
        return transientFailure(e) ? new io.velo.failure.SinkUnavailableException(message, e) : new JobFailedException(message, e);
    }

    /** A retriable error anywhere in the cause chain, or a transaction the broker asks to abort (and so to redo). */
    private static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RetriableException || t instanceof org.apache.kafka.common.errors.TransactionAbortableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops what is pending after a failure: the open transaction is aborted, or (at-least-once, or
     * a producer the failure left unusable) the producer is replaced, so the job can replay from its
     * last commit. The replay's sends are new sends: at-least-once may repeat rows; a transaction
     * does not.
     */
    @Override
    public boolean recover() {
        generation++; // what the old producer still reports is not this sink's any more
        sendFailure.set(null);
        KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        inTransaction = false;
        if (p != null) {
            try {
                p.close(java.time.Duration.ZERO);
            } catch (KafkaException e) {
                // already broken: it is being replaced
            }
        }
        try {
            open();
        } catch (JobFailedException e) {
            return false;
        }
        return true;
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
            if (inTransaction) {
                abortTransaction(); // a transaction the runner did not commit is not the job's output
            } else if (!aborted) {
                flush();
            }
        } finally {
            KafkaProducer<byte[], byte[]> p = producer;
            producer = null;
            p.close(java.time.Duration.ofSeconds(10));
        }
    }

    public String topic() {
        return topic;
    }

    @Override
    public String describe() {
        return "kafka_sink " + topic + " (" + format + ")";
    }
}
