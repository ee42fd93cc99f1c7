package io.velo.harness.run;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's output topic as it is written (all partitions from the start, no group) and, for
 * every row that carries the generator's intended send time ({@code sent_us}), records its latency
 * from that time to now — the sink's write observed — in an HdrHistogram {@link Recorder}, in
 * microseconds. Only rows whose intended time falls in the measured window count; the warm-up's are
 * seen (and verified) but not timed. Every value also goes to the check (the {@code Consumer}).
 */
public final class Observer implements AutoCloseable {
    /** Highest latency the histograms track: an hour, in microseconds. */
    static final long MAX_MICROS = 3_600_000_000L;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram all = new Histogram(MAX_MICROS, 3);
    private final Consumer<byte[]> check;
    private final byte[] field;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean stop;
    private volatile long rows;
    private volatile long lastRowMillis = System.currentTimeMillis();
    private volatile Throwable failure;

    public Observer(String bootstrap, String topic, boolean readCommitted, String sentField, Consumer<byte[]> check) {
        this.check = check;
        this.field = ("\"" + sentField + "\":").getBytes(StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100"); // returns at the first byte; the wait only bounds idle fetches
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "velo-observer");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (parts.isEmpty()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null) {
                for (PartitionInfo i : infos) {
                    parts.add(new TopicPartition(topic, i.partition()));
                }
            }
            if (parts.isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("output topic '" + topic + "' has no partitions after 15 s");
                }
                sleep(100);
            }
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::loop, "velo-observer");
        thread.setDaemon(true);
        thread.start();
    }

    /** The measured window, in epoch microseconds of intended send time. */
    public void window(long startMicros, long endMicros) {
        this.windowStart = startMicros;
        this.windowEnd = endMicros;
    }

    private void loop() {
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = EpochClock.micros();
                    byte[] v = r.value();
                    rows++;
                    lastRowMillis = System.currentTimeMillis();
                    if (v == null) {
                        continue;
                    }
                    long sent = sentMicros(v);
                    if (sent > 0 && sent >= windowStart && sent < windowEnd) {
                        long latency = Math.max(0, Math.min(MAX_MICROS, now - sent));
                        recorder.recordValue(latency);
                    }
                    check.accept(v);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** The number after {@code "sent_us":} in a JSON row, or -1. */
    long sentMicros(byte[] v) {
        outer:
        for (int i = 0; i + field.length < v.length; i++) {
            for (int j = 0; j < field.length; j++) {
                if (v[i + j] != field[j]) {
                    continue outer;
                }
            }
            int k = i + field.length;
            while (k < v.length && (v[k] == ' ' || v[k] == '"')) {
                k++;
            }
            long n = 0;
            boolean any = false;
            while (k < v.length && v[k] >= '0' && v[k] <= '9') {
                n = n * 10 + (v[k++] - '0');
                any = true;
            }
            return any ? n : -1;
        }
        return -1;
    }

    /** The latencies recorded since the last call (an interval histogram; the caller logs it). */
    public synchronized Histogram interval() {
        Histogram h = recorder.getIntervalHistogram();
        all.add(h);
        return h;
    }

    /** Every latency recorded so far (call {@link #interval} first to include the latest). */
    public synchronized Histogram total() {
        return all.copy();
    }

    public long rows() {
        return rows;
    }

    public long lastRowMillis() {
        return lastRowMillis;
    }

    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
