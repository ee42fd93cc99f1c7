package io.velo.harness.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.connector.kafka.KafkaBrokers;
import io.velo.harness.kafka.Digest;
import io.velo.harness.kafka.KafkaBenchmark;
import io.velo.harness.kafka.PipeFork;
import io.velo.harness.kafka.TradeMessages;
import io.velo.harness.pipeline.PipelineBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;

/**
 * The peer comparison: the same two queries run by Velo and by Kafka Streams 4.1.1 on the same broker,
 * in the same run, from the same input topic, each side in a fresh JVM, both outputs verified exactly.
 *
 * <p>Input. {@code records} generated trades ({@link TradeMessages}, seed {@value #SEED}) written
 * round-robin over one 3-partition topic without keys, as {@code bench kafka} writes them, followed by a
 * closing tail: records of closing symbols ({@value #CLOSING_PREFIX}…, quantity 0, so the filter drops
 * them) whose event times go on at the trades' pace until the last trade's window ended
 * {@value #GRACE_MS} ms before, so that the last windows close on both sides. Both sides read all of it
 * (the rates count it). The expected outputs are computed here, independently of both sides: the
 * filter's output digest from {@link TradeMessages#expectedOutput}, and the count of every (symbol,
 * 1-second window) of the trades. The closing symbols' windows close too: Velo writes theirs (a few
 * dozen rows) and the verification leaves them out; the Streams side drops them before its sink, since
 * its end is counted in acknowledged output rows.
 *
 * <p>The tumbling count's lateness. A consumer reads its partitions unevenly (a fetch's worth of one
 * partition, then of the next), so event time arrives out of order by up to some seconds; both sides get
 * the same tolerance, {@value #GRACE_MS} ms — Streams' window grace, Velo's
 * {@code watermark.max_out_of_orderness} — which no read skew of this layout comes near, so no record is
 * late and the counts are exact. Final rows: Velo's EMIT FINAL writes a window's rows once its watermark
 * (largest event time seen minus the tolerance) passes the window's end; Streams'
 * {@code suppress(untilWindowCloses)} does once stream time passes end + grace: one row per window,
 * at the same point of the input, on both sides. Streams groups by the symbol read from the JSON, which
 * re-keys the stream and so goes through a repartition topic (the closing symbols are chosen to reach
 * each of its partitions); Velo aggregates in its one job. Each side thus runs the query the way its
 * model runs it on this input.
 *
 * <p>Measurement, identical on both sides: "warm" means the clock starts once the side has processed a
 * warm-up prefix of the input ({@value #WARMUP_PERCENT}% of the records, the JIT has compiled the path by
 * then), and stops when the producer has the last expected output record acknowledged (Velo: the end of
 * the job's {@code finish()}, which returns once its sink's sends are acknowledged). The rate is the
 * records processed after the clock started over that time. CPU and allocation are those of the side's
 * whole JVM over the same section ({@link io.velo.harness.measure.ProcessCounters}). Start-up (JVM start
 * to the first input record processed) is reported apart. Figures are medians over the repetitions, each
 * repetition with fresh output topics, group ids and JVMs. A side whose output differs from the
 * expected one makes its query {@code verified: false}, with the difference in {@code problems}.
 */
public final class PeerComparison {
    static final long SEED = 42;
    static final int PARTITIONS = KafkaBenchmark.PARTITIONS;
    static final long WINDOW_MS = 1000;
    static final int WARMUP_PERCENT = 20;
    /** The closing tail's symbols start with it; the verification leaves their windows out. */
    static final String CLOSING_PREFIX = "~";
    /** Both sides' lateness tolerance: Streams' grace, Velo's {@code watermark.max_out_of_orderness}. */
    static final long GRACE_MS = 60_000;
    static final String PEER = "Kafka Streams 4.1.1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Knobs for tests and hand runs.
     *
     * @param streamsSettings overrides of the Streams side's properties ({@link #streamsSettings()})
     * @param sabotagePeer    the Streams side drops one trade the queries keep (the self-check that a wrong answer is caught)
     * @param emit            the Streams tumbling count's final emission: {@code suppress} or {@code on_window_close}
     */
    public record Options(Map<String, String> streamsSettings, boolean sabotagePeer, String emit) {
        public static final Options DEFAULTS = new Options(Map.of(), false, "suppress");
    }

    private PeerComparison() {
    }

    /** The comparison on a running broker, with the default options. */
    public static ObjectNode run(String bootstrap, long records, int repetitions, PrintStream progressOrNull) {
        return run(bootstrap, records, repetitions, progressOrNull, Options.DEFAULTS);
    }

    /**
     * The comparison on a running broker. Throws {@link KafkaBenchmark.Failed} (or another runtime
     * exception naming the Kafka operation) when a side cannot run at all; a wrong answer is not thrown
     * but reported as {@code verified: false}.
     */
    public static ObjectNode run(String bootstrap, long records, int repetitions, PrintStream progress, Options options) {
        if (records < 100) {
            throw new IllegalArgumentException("records must be at least 100, not " + records);
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, not " + repetitions);
        }
        Instant started = Instant.now();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        String in = "velo-peer-trades-" + runId;
        List<String> topics = new ArrayList<>();
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        try {
            KafkaBenchmark.requireReachable(admin, bootstrap);
            try {
                KafkaBenchmark.createTopic(admin, in, topics);
                phase(progress, "loading " + records + " trades");
                Expected expected = load(bootstrap, in, records);
                ObjectNode root = MAPPER.createObjectNode();
                root.put("records", records);
                ObjectNode veloSettings = MAPPER.createObjectNode();
                ObjectNode streamsSettings = MAPPER.createObjectNode();
                for (String query : StreamsFork.queries()) {
                    Map<String, String> streams = new LinkedHashMap<>(streamsSettings(query));
                    streams.putAll(options.streamsSettings());
                    streamsSettings.set(query, MAPPER.valueToTree(streams));
                    List<ObjectNode> runs = new ArrayList<>();
                    Set<String> problems = new LinkedHashSet<>();
                    for (int rep = 0; rep < repetitions; rep++) {
                        String label = query + (repetitions > 1 ? " (run " + (rep + 1) + " of " + repetitions + ")" : "");
                        runs.add(repetition(admin, bootstrap, in, query, runId + "-" + rep, label, expected, streams, options, topics,
                                problems, progress));
                    }
                    root.set(query, summary(runs, problems));
                    veloSettings.set(query, KafkaBenchmark.settings(veloSql(query, in, "velo-peer-settings", "unused", "unused", expected),
                            bootstrap).described());
                }
                root.put("peer", PEER);
                ObjectNode settings = root.putObject("settings");
                settings.set("velo", veloSettings);
                settings.set("kafka_streams", streamsSettings);
                ((ObjectNode) streamsSettings.get("tumbling_count")).put("emit", options.emit());
                ((ObjectNode) streamsSettings.get("tumbling_count")).put("grace", GRACE_MS + " ms");
                settings.put("velo_tumbling_count.watermark.max_out_of_orderness", GRACE_MS + " ms");
                root.put("input_records", expected.inputRecords);
                root.put("partitions", PARTITIONS);
                root.put("repetitions", repetitions);
                root.put("warmup_records", expected.warmup);
                root.put("expected_filter_records_out", expected.filter.count());
                root.put("expected_windows", expected.windows.size());
                root.put("sql_filter_projection", veloSql("filter_projection", in, "<group>", "<output topic>", "<changelog>", expected));
                root.put("sql_tumbling_count", veloSql("tumbling_count", in, "<group>", "<output topic>", "<changelog>", expected));
                root.put("method", "the same input topic (trades round-robin over the partitions, then a closing tail of " + (expected.inputRecords - records)
                        + " records that closes the last windows) for both sides; "
                        + "each side in a fresh JVM per query and repetition; warm: the clock starts after the first " + WARMUP_PERCENT
                        + "% of the input was processed and stops when the last expected output record is acknowledged; rate = records "
                        + "processed in that section / its time; CPU and allocation of the side's whole JVM in that section; start-up = JVM "
                        + "start to first input record; outputs read back and compared exactly with what is computed from the generator");
                if (options.sabotagePeer()) {
                    root.put("sabotaged", "kafka_streams");
                }
                root.put("started_at", started.toString());
                root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
                root.set("jvm_args", MAPPER.valueToTree(PipelineBenchmark.childJvmArgs()));
                root.put("cores", Runtime.getRuntime().availableProcessors());
                return root;
            } finally {
                KafkaBenchmark.deleteTopics(admin, topics);
            }
        } finally {
            phase(progress, null);
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The Streams side's settings for a query: the best found for throughput on a 2-core machine. Two
     * stream threads for the stateless filter (faster than one); one for the tumbling count, because two
     * threads own different partitions and drift apart in event time by more than any bounded grace
     * (at 300,000 records, by more than 60 s: records dropped as late, caught by the verification).
     */
    static Map<String, String> streamsSettings(String query) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, query.equals("filter_projection") ? "2" : "1");
        m.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        m.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        m.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(16L << 20));
        m.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class.getName());
        m.put("internal.leave.group.on.close", "true");
        m.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
        m.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), "262144");
        m.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        m.put(StreamsConfig.consumerPrefix("max.poll.records"), "2000");
        m.put(StreamsConfig.consumerPrefix("fetch.min.bytes"), "65536");
        m.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), "100");
        // max.partition.fetch.bytes stays at its 1 MB default: larger fetches let one partition run far ahead of the
        // others in event time (a whole partition in one fetch drops the others' records as late)
        m.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return m;
    }

    // ---------------------------------------------------------------- the queries on Velo

    static String veloSql(String query, String in, String group, String out, String changelog, Expected e) {
        if (query.equals("filter_projection")) {
            return KafkaBenchmark.sql(in, group, out, "");
        }
        return "CREATE STREAM trades (" + TradeMessages.SQL_COLUMNS + ")\n"
                + "WITH ('trades.type' = 'kafka_source', 'trades.topic' = '" + in + "', 'trades.group.id' = '" + group + "', "
                + "'trades.event.time.field' = 'event_time');\n"
                + "CREATE STREAM counts AS SELECT symbol, COUNT(*) AS trades, _window_start AS window_start FROM trades\n"
                + "GROUP BY symbol WINDOW TUMBLING(event_time, INTERVAL '1' SECOND) EMIT FINAL\n"
                + "WITH ('counts.type' = 'kafka_sink', 'counts.topic' = '" + out + "', 'counts.partitions' = '" + PARTITIONS + "', "
                + "'counts.key.field' = 'symbol', 'watermark.max_out_of_orderness' = '" + GRACE_MS + "ms', "
                + "'changelog.topic' = '" + changelog + "');\n";
    }

    // ---------------------------------------------------------------- one repetition of one query

    private static ObjectNode repetition(Admin admin, String bootstrap, String in, String query, String id, String label, Expected e,
                                         Map<String, String> streams, Options options, List<String> topics, Set<String> problems,
                                         PrintStream progress) {
        String veloOut = "velo-peer-velo-" + query + "-" + id;
        String peerOut = "velo-peer-streams-" + query + "-" + id;
        String changelog = "velo-peer-velo-changelog-" + query + "-" + id;
        KafkaBenchmark.createTopic(admin, veloOut, topics);
        KafkaBenchmark.createTopic(admin, peerOut, topics);
        topics.add(changelog); // the job creates it; deleted with the rest
        boolean filter = query.equals("filter_projection");
        long expectedOut = filter ? e.filter.count() : e.windows.size();

        phase(progress, "Velo, " + label);
        ObjectNode vc = MAPPER.createObjectNode();
        vc.put("bootstrap", bootstrap);
        vc.put("records", e.inputRecords);
        vc.put("warmup_records", e.warmup);
        vc.put("progress", false);
        vc.put("sql", veloSql(query, in, "velo-peer-velo-" + query + "-" + id, veloOut, changelog, e));
        ObjectNode velo = KafkaBenchmark.fork(PipeFork.class, "engine", vc);
        if (velo.get("records_in").asLong() != e.inputRecords || velo.get("unaccounted").asLong() != 0) {
            problems.add("Velo read " + velo.get("records_in").asLong() + " records (" + velo.get("summary").asText() + "), not exactly "
                    + e.inputRecords);
        }
        phase(progress, "reading Velo's output back, " + label);
        verify("Velo", bootstrap, veloOut, filter, e, problems);

        phase(progress, "Kafka Streams, " + label);
        String appId = "velo-peer-streams-" + query + "-" + id;
        ObjectNode sc = MAPPER.createObjectNode();
        sc.put("bootstrap", bootstrap);
        sc.put("in", in);
        sc.put("out", peerOut);
        sc.put("application_id", appId);
        sc.put("input_records", e.inputRecords);
        sc.put("expected_out", expectedOut);
        sc.put("warmup_records", e.warmup);
        sc.put("window_ms", WINDOW_MS);
        sc.put("grace_ms", GRACE_MS);
        sc.put("emit", options.emit());
        sc.put("closing_prefix", CLOSING_PREFIX);
        if (options.sabotagePeer()) {
            sc.put("drop_trade_id", e.firstSelected);
        }
        sc.set("settings", MAPPER.valueToTree(streams));
        ObjectNode peer;
        try {
            peer = KafkaBenchmark.fork(StreamsFork.class, query, sc);
        } finally {
            deleteInternalTopics(admin, appId);
        }
        if (!peer.get("complete").asBoolean()) {
            problems.add("Kafka Streams had " + peer.get("records_out").asLong() + " of " + expectedOut
                    + " output records acknowledged when its input was processed and its output stopped");
        }
        if (peer.get("records_in").asLong() != e.inputRecords) {
            problems.add("Kafka Streams processed " + peer.get("records_in").asLong() + " records, not " + e.inputRecords);
        }
        phase(progress, "reading Kafka Streams' output back, " + label);
        verify("Kafka Streams", bootstrap, peerOut, filter, e, problems);

        ObjectNode r = MAPPER.createObjectNode();
        r.put("velo_rps", rate(velo));
        r.put("peer_rps", rate(peer));
        r.put("ratio", round(rate(velo) / rate(peer), 4));
        r.put("velo_elapsed_s", round(velo.get("elapsed_nanos").asLong() / 1e9, 3));
        r.put("peer_elapsed_s", round(peer.get("elapsed_nanos").asLong() / 1e9, 3));
        r.put("velo_measured_records", velo.get("measured_records").asLong());
        r.put("peer_measured_records", peer.get("measured_records").asLong());
        r.put("velo_cpu_ns_per_record", perRecord(velo, "cpu_nanos"));
        r.put("peer_cpu_ns_per_record", perRecord(peer, "cpu_nanos"));
        r.put("velo_alloc_bytes_per_record", perRecord(velo, "alloc_bytes"));
        r.put("peer_alloc_bytes_per_record", perRecord(peer, "alloc_bytes"));
        r.put("velo_startup_ms", velo.get("startup_ms").asLong());
        r.put("peer_startup_ms", peer.get("startup_ms").asLong());
        r.put("velo_summary", velo.get("summary").asText());
        return r;
    }

    /** Reads a side's output topic back and compares it exactly with the expected output. */
    private static void verify(String side, String bootstrap, String topic, boolean filter, Expected e, Set<String> problems) {
        if (filter) {
            Digest got = new Digest();
            KafkaBenchmark.readBack(bootstrap, topic, got::add);
            if (!got.sameAs(e.filter)) {
                problems.add(side + "'s output (" + got + ") differs from the expected output (" + e.filter + ")");
            }
            return;
        }
        Map<String, Long> rows = new HashMap<>();
        List<String> unreadable = new ArrayList<>();
        KafkaBenchmark.readBack(bootstrap, topic, value -> {
            String row = windowRow(value);
            if (row == null) {
                if (unreadable.size() < 3) {
                    unreadable.add(new String(value, StandardCharsets.UTF_8));
                }
            } else if (!row.startsWith(CLOSING_PREFIX)) {
                rows.merge(row, 1L, Long::sum);
            }
        });
        if (!unreadable.isEmpty()) {
            problems.add(side + " wrote rows that are not {symbol, window_start, trades}, e.g. " + unreadable);
        }
        Map<String, Long> want = new HashMap<>();
        e.windows.forEach((window, count) -> want.merge(window + "|" + count, 1L, Long::sum));
        if (!rows.equals(want)) {
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            want.forEach((k, n) -> {
                if (!n.equals(rows.get(k))) {
                    missing.add(k + " ×" + n + " (got ×" + rows.getOrDefault(k, 0L) + ")");
                }
            });
            rows.forEach((k, n) -> {
                if (!want.containsKey(k)) {
                    extra.add(k + " ×" + n);
                }
            });
            problems.add(side + "'s window counts differ from the expected " + want.size() + " (symbol|window_start|trades): "
                    + missing.size() + " expected rows missing or repeated, e.g. " + missing.subList(0, Math.min(3, missing.size()))
                    + "; " + extra.size() + " unexpected, e.g. " + extra.subList(0, Math.min(3, extra.size())));
        }
    }

    /** {@code symbol|window_start_millis|trades} of an output row, or null when it is not one. */
    static String windowRow(byte[] value) {
        try {
            JsonNode n = MAPPER.readTree(value);
            JsonNode symbol = n.get("symbol");
            JsonNode start = n.get("window_start");
            JsonNode trades = n.get("trades");
            if (n.size() != 3 || symbol == null || !symbol.isTextual() || start == null || trades == null || !trades.canConvertToLong()) {
                return null;
            }
            long startMillis = start.isNumber() ? start.asLong() : Instant.parse(start.asText()).toEpochMilli();
            return symbol.asText() + "|" + startMillis + "|" + trades.asLong();
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the input and its expected outputs

    /**
     * What was loaded and what the queries must write: the filter's output digest, the count per
     * {@code symbol|window_start_millis}, the first trade the filter keeps (for the sabotage).
     */
    record Expected(long inputRecords, long warmup, Digest filter, Map<String, Long> windows, long firstSelected) { }

    private static Expected load(String bootstrap, String topic, long records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        TradeMessages trades = new TradeMessages(SEED);
        Digest filter = new Digest();
        Map<String, Long> windows = new LinkedHashMap<>();
        long firstSelected = -1;
        long lastEventTime = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long i = 0;
            for (; i < records; i++) {
                byte[] m = trades.next();
                long t = trades.eventTime();
                lastEventTime = Math.max(lastEventTime, t);
                windows.merge(trades.symbol() + "|" + (t - Math.floorMod(t, WINDOW_MS)), 1L, Long::sum);
                if (trades.selected()) {
                    filter.add(trades.expectedOutput());
                    if (firstSelected < 0) {
                        firstSelected = trades.tradeId();
                    }
                }
                send(producer, topic, (int) (i % PARTITIONS), m, failure);
            }
            // the closing tail: the trades' clock goes on (1 ms a record, round-robin) until the last trade's window
            // ends a grace period before, spread over closing symbols that reach every repartition partition
            long lastWindowEnd = lastEventTime - Math.floorMod(lastEventTime, WINDOW_MS) + WINDOW_MS;
            long tail = lastWindowEnd + GRACE_MS + WINDOW_MS - lastEventTime;
            List<String> closing = closingSymbols();
            for (long j = 1; j <= tail; j++, i++) {
                String m = "{\"trade_id\":" + -j + ",\"symbol\":\"" + closing.get((int) (j % closing.size())) + "\",\"price\":\"0.0000\","
                        + "\"quantity\":0,\"side\":\"BUY\",\"event_time\":" + (lastEventTime + j) + "}";
                send(producer, topic, (int) (i % PARTITIONS), m.getBytes(StandardCharsets.UTF_8), failure);
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("cannot load topic '" + topic + "': " + failure.get().getMessage(), failure.get());
            }
            return new Expected(records + tail, records * WARMUP_PERCENT / 100, filter, windows, firstSelected);
        }
    }

    /**
     * Closing symbols, one for each partition the Streams side's repartition topic (as many partitions as
     * the input) sends a key to, so that the tail advances the stream time of every downstream task.
     */
    static List<String> closingSymbols() {
        String[] bySlot = new String[PARTITIONS];
        int found = 0;
        for (int k = 0; found < PARTITIONS; k++) {
            String s = CLOSING_PREFIX + "end" + k;
            int slot = Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (bySlot[slot] == null) {
                bySlot[slot] = s;
                found++;
            }
        }
        return List.of(bySlot);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value,
                             AtomicReference<Exception> failure) {
        // no record timestamp from the event times: the broker would treat 2023 records as past a retention limit
        producer.send(new ProducerRecord<>(topic, partition, null, value), (md, ex) -> {
            if (ex != null) {
                failure.compareAndSet(null, ex);
            }
        });
    }

    private static void deleteInternalTopics(Admin admin, String appId) {
        try {
            List<String> internal = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(appId + "-")).toList();
            KafkaBenchmark.deleteTopics(admin, new ArrayList<>(internal));
        } catch (Exception e) {
            // best effort, as for the other topics
        }
    }

    // ---------------------------------------------------------------- figures

    private static ObjectNode summary(List<ObjectNode> runs, Set<String> problems) {
        ObjectNode q = MAPPER.createObjectNode();
        q.put("velo_rps", median(runs, "velo_rps"));
        q.put("peer_rps", median(runs, "peer_rps"));
        q.put("ratio", median(runs, "ratio"));
        q.put("velo_rps_min", runs.stream().mapToDouble(r -> r.get("velo_rps").asDouble()).min().orElse(0));
        q.put("velo_rps_max", runs.stream().mapToDouble(r -> r.get("velo_rps").asDouble()).max().orElse(0));
        q.put("peer_rps_min", runs.stream().mapToDouble(r -> r.get("peer_rps").asDouble()).min().orElse(0));
        q.put("peer_rps_max", runs.stream().mapToDouble(r -> r.get("peer_rps").asDouble()).max().orElse(0));
        for (String f : List.of("velo_cpu_ns_per_record", "peer_cpu_ns_per_record", "velo_alloc_bytes_per_record",
                "peer_alloc_bytes_per_record", "velo_startup_ms", "peer_startup_ms")) {
            q.put(f, median(runs, f));
        }
        q.put("verified", problems.isEmpty());
        ArrayNode a = q.putArray("problems");
        problems.forEach(a::add);
        ArrayNode rs = q.putArray("runs");
        runs.forEach(rs::add);
        return q;
    }

    private static double rate(JsonNode side) {
        return round(side.get("measured_records").asLong() / (side.get("elapsed_nanos").asLong() / 1e9), 1);
    }

    private static double perRecord(JsonNode side, String field) {
        long v = side.get(field).asLong();
        return v < 0 ? -1 : round((double) v / side.get("measured_records").asLong(), 1);
    }

    private static double median(List<ObjectNode> runs, String field) {
        return PipelineBenchmark.median(runs.stream().mapToDouble(r -> r.get(field).asDouble()).toArray());
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void phase(PrintStream progress, String what) {
        if (progress != null) {
            progress.print(what == null ? "\r\033[K" : "\r\033[K" + what + "…");
            progress.flush();
        }
    }

    // ---------------------------------------------------------------- by hand

    /**
     * {@code PeerComparison [--records N] [--repetitions N] [--bootstrap HOST:PORT] [--emit suppress|on_window_close]
     * [--streams-set KEY=VALUE]…}: without a bootstrap, on the embedded broker. Prints the JSON; exit 2 on bad usage.
     */
    public static void main(String[] args) throws Exception {
        long records = 300_000;
        int repetitions = 1;
        String bootstrap = null;
        String emit = "suppress";
        Map<String, String> overrides = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--records" -> records = Long.parseLong(v);
                    case "--repetitions" -> repetitions = Integer.parseInt(v);
                    case "--bootstrap" -> bootstrap = v;
                    case "--emit" -> emit = v;
                    case "--streams-set" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--streams-set needs KEY=VALUE, not '" + v + "'");
                        }
                        overrides.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (records < 100 || repetitions < 1) {
                throw new IllegalArgumentException("--records must be at least 100 and --repetitions at least 1");
            }
            if (!emit.equals("suppress") && !emit.equals("on_window_close")) {
                throw new IllegalArgumentException("--emit is suppress or on_window_close, not '" + emit + "'");
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            System.err.println("PeerComparison: " + e.getMessage());
            System.err.println("usage: PeerComparison [--records N] [--repetitions N] [--bootstrap HOST:PORT] "
                    + "[--emit suppress|on_window_close] [--streams-set KEY=VALUE]...");
            System.exit(2);
            return;
        }
        Options options = new Options(overrides, false, emit);
        ObjectNode result;
        try {
            if (bootstrap == null) {
                try (KafkaBrokers.Broker broker = KafkaBrokers.open("embedded")) {
                    result = run(broker.bootstrapServers(), records, repetitions, System.err, options);
                }
            } else {
                result = run(bootstrap, records, repetitions, System.err, options);
            }
        } catch (RuntimeException e) {
            System.err.println("PeerComparison: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.exit(0);
    }
}
