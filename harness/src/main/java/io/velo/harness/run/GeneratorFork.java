package io.velo.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.scenario.RecordGenerator;
import io.velo.harness.scenario.Scenario;
import io.velo.harness.scenario.ScenarioLoader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The load generator's JVM: {@code GeneratorFork CONFIG-JSON}. Open loop: {@code producers} threads,
 * each with its own Kafka producer (its own connection), send the scenario's records at the times the
 * {@link Schedule} gives — record {@code seq} is due at {@code t0 + due(seq)} whatever happened to the
 * records before it — and stamp each with that intended time, so that the latency measured at the
 * sink counts from when the record should have left, not from when a stalled sender got round to it.
 * Thread {@code k} of {@code P} sends records {@code k+1, k+1+P, …}: together exactly 1..N.
 *
 * <p>Reports {@code velo-gen-tick {…}} each second (sent so far, how far behind schedule) and
 * {@code velo-gen-result {…}} at the end. The self-test's latency injection lives here: every record
 * leaves {@code delay_us} after its due time (and keeps its due time as its stamp), a real delay added
 * to every record's latency.
 */
public final class GeneratorFork {
    static final String TICK = "velo-gen-tick ";
    static final String RESULT = "velo-gen-result ";
    static final String READY = "velo-gen-ready";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GeneratorFork() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode c = MAPPER.readTree(Files.readString(Path.of(args[0])));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        ObjectNode result;
        try {
            result = run(c, out);
        } catch (Throwable t) {
            result = MAPPER.createObjectNode().put("error", t.toString());
        }
        out.println(RESULT + MAPPER.writeValueAsString(result));
        out.flush();
        System.exit(0);
    }

    static ObjectNode run(JsonNode c, PrintStream out) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        c.path("overrides").fields().forEachRemaining(e -> overrides.put(e.getKey(), e.getValue().asText()));
        Scenario scenario = ScenarioLoader.load(Path.of(c.get("scenario").asText()), overrides);
        Schedule schedule = RunPlan.schedule(scenario, c.path("rate").asDouble(-1));
        long delay = c.path("delay_us").asLong(0);
        int producers = c.get("producers").asInt();
        String topic = c.get("topic").asText();
        long total = schedule.totalRecords();
        AtomicLong sent = new AtomicLong();
        long[] sentBy = new long[producers];
        AtomicLong acked = new AtomicLong();
        AtomicLong malformed = new AtomicLong();
        AtomicLong maxBehindMicros = new AtomicLong();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        Callback onAck = (md, e) -> {
            if (e != null) {
                sendFailure.compareAndSet(null, e);
            } else {
                acked.incrementAndGet();
            }
        };
        List<Thread> threads = new ArrayList<>();
        long[] start = new long[1];
        List<KafkaProducer<byte[], byte[]>> clients = new ArrayList<>();
        for (int k = 0; k < producers; k++) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.get("bootstrap").asText());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
            p.put(ProducerConfig.ACKS_CONFIG, "1");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "velo-gen-" + k);
            c.path("producer").fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
            clients.add(producer);
            RecordGenerator gen = new RecordGenerator(scenario.generator(), scenario.generator().seed(), k, producers);
            final int index = k;
            Thread t = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                for (long seq = index + 1; seq <= total && sendFailure.get() == null; seq += producers) {
                    long due = start[0] + schedule.dueMicros(seq);
                    long sendAt = due + delay;
                    long now = EpochClock.micros();
                    // park, never spin: on a small machine a spinning generator takes the engine's CPU.
                    // A park wakes tens of microseconds late; the record keeps its due time as its stamp,
                    // so that lateness is in the latency measured, not hidden
                    while (now < sendAt) {
                        LockSupport.parkNanos((sendAt - now) * 1000);
                        now = EpochClock.micros();
                    }
                    long behind = now - sendAt;
                    if (behind > maxBehindMicros.get()) {
                        maxBehindMicros.accumulateAndGet(behind, Math::max);
                    }
                    buf.clear();
                    long got = gen.next(due, buf);
                    if (got != seq) {
                        sendFailure.compareAndSet(null, new IllegalStateException("generator " + index + " made record " + got + ", expected " + seq));
                        break;
                    }
                    if (gen.malformed()) {
                        malformed.incrementAndGet();
                    }
                    buf.flip();
                    byte[] value = new byte[buf.remaining()];
                    buf.get(value);
                    try {
                        producer.send(new ProducerRecord<>(topic, gen.key(), value), onAck);
                    } catch (RuntimeException e) {
                        sendFailure.compareAndSet(null, e);
                        break;
                    }
                    sent.incrementAndGet();
                    sentBy[index]++;
                }
                producer.flush();
            }, "velo-gen-" + k);
            threads.add(t);
        }
        // connected and warm before the clock starts: metadata fetched, then wait for the start time
        for (KafkaProducer<byte[], byte[]> p : clients) {
            p.partitionsFor(topic);
        }
        long t0;
        if (c.has("t0_micros")) {
            t0 = c.get("t0_micros").asLong();
        } else {
            out.println(READY);
            out.flush();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("start ")) {
                throw new IllegalStateException("expected 'start <epoch-micros>' on stdin, got " + line);
            }
            t0 = Long.parseLong(line.substring(6).trim());
        }
        start[0] = t0;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        threads.forEach(Thread::start);
        while (threads.stream().anyMatch(Thread::isAlive)) {
            threads.get(0).join(1000);
            if (threads.get(0).isAlive() || threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(Math.max(0, 1000 - System.currentTimeMillis() % 1000));
            }
            out.println(TICK + MAPPER.writeValueAsString(MAPPER.createObjectNode().put("epoch_ms", System.currentTimeMillis())
                    .put("sent", sent.get()).put("acked", acked.get()).put("behind_us_max", maxBehindMicros.getAndSet(0))));
        }
        for (KafkaProducer<byte[], byte[]> p : clients) {
            p.close();
        }
        ObjectNode r = MAPPER.createObjectNode();
        r.put("planned", total);
        r.put("sent", sent.get());
        var per = r.putArray("sent_per_producer");
        for (long n : sentBy) {
            per.add(n);
        }
        r.put("acked", acked.get());
        r.put("malformed", malformed.get());
        r.put("cpu_ns", os.getProcessCpuTime() - cpuStart);
        r.put("end_epoch_ms", System.currentTimeMillis());
        if (sendFailure.get() != null) {
            r.put("error", "sending failed: " + sendFailure.get());
        }
        return r;
    }
}
