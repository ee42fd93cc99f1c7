package io.velo.harness.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.api.Engine;
import io.velo.config.Setting;
import io.velo.connector.kafka.KafkaBrokers;
import io.velo.harness.pipeline.PipelineBenchmark;
import io.velo.plan.JobPlan;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code velo bench kafka}: on one broker, a raw consume→produce pipe ({@link RawPipe}) and then the
 * engine running a filter + projection Kafka→SQL→Kafka read the same generated JSON trades
 * ({@link TradeMessages}) from the same 3-partition topic, with the same client settings: the ones the
 * engine's batch strategy suggests, read from the engine's own plan of the benchmark's SQL and handed
 * to the raw pipe, so that the ratio measures the engine, not the settings.
 *
 * <p>Method. The input is loaded (untimed) while its digest and the digest of the query's expected
 * output are computed here, independently of the engine. Each side then runs in a fresh JVM
 * ({@link PipeFork}) that times it from its first record to its last acknowledged send and counts the
 * bytes allocated by every thread of that JVM. After each side, its output topic is read back: the raw
 * pipe's must equal the input, the engine's the expected output, by count and order-independent
 * checksum ({@link Digest}). Unverified is a failure: no figure stands without its answer.
 */
public final class KafkaBenchmark {
    public static final String RESULT_MARKER = "velo-kafka-bench-result ";
    public static final int PARTITIONS = 3;
    static final long SEED = 42;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final long records;
    private final int repetitions;
    private final String kafkaSpec;
    private final boolean sabotage;
    private final PrintStream progress;

    /**
     * @param sabotage the engine's SQL drops one record the query should keep (the self-check that a
     *                 wrong answer is caught)
     * @param progress where progress goes (a terminal), or null
     */
    public KafkaBenchmark(long records, int repetitions, String kafkaSpec, boolean sabotage, PrintStream progress) {
        this.records = records;
        this.repetitions = repetitions;
        this.kafkaSpec = kafkaSpec;
        this.sabotage = sabotage;
        this.progress = progress;
    }

    /** A side that failed to run: its message is the command's error. */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** The contract JSON; {@code verified} false when an output differs; throws {@link Failed} when a side cannot run. */
    public ObjectNode run() {
        Instant started = Instant.now();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        String in = "velo-bench-trades-" + runId;
        List<String> topics = new ArrayList<>();
        phase("starting Kafka (" + kafkaSpec + ")");
        try (KafkaBrokers.Broker broker = KafkaBrokers.open(kafkaSpec)) {
            String bootstrap = broker.bootstrapServers();
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            try {
                requireReachable(admin, bootstrap);
                try {
                    createTopic(admin, in, topics);
                    Settings settings = settings(sql(in, "velo-bench-settings", "unused", ""), bootstrap);
                    Loaded loaded = load(bootstrap, in, settings.producer);
                    String where = sabotage ? " AND trade_id <> " + loaded.firstSelected : "";
                    Set<String> problems = new LinkedHashSet<>();
                    List<ObjectNode> runs = new ArrayList<>();
                    for (int rep = 0; rep < repetitions; rep++) {
                        String rawOut = "velo-bench-raw-out-" + runId + "-" + rep;
                        String engineOut = "velo-bench-engine-out-" + runId + "-" + rep;
                        createTopic(admin, rawOut, topics);
                        createTopic(admin, engineOut, topics);
                        runs.add(repetition(rep, bootstrap, in, rawOut, engineOut, runId, where, settings, loaded, problems));
                    }
                    return result(started, settings, loaded, runs, problems, sql(in, "velo-bench-engine-" + runId, "<output topic>", where));
                } finally {
                    deleteTopics(admin, topics);
                }
            } finally {
                admin.close(Duration.ofSeconds(5)); // not the default close, which waits a minute on a broker that went away
            }
        } catch (BenchKafkaFailure e) {
            throw new Failed(e.getMessage());
        } catch (io.velo.connector.kafka.EmbeddedKafka.StartException e) {
            throw new Failed("cannot start Kafka: " + e.getMessage());
        } finally {
            phase(null);
        }
    }

    /** A Kafka operation of the benchmark itself (topics, loading, reading back) that failed. */
    private static final class BenchKafkaFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchKafkaFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ObjectNode repetition(int rep, String bootstrap, String in, String rawOut, String engineOut, String runId, String where,
                                  Settings settings, Loaded loaded, Set<String> problems) {
        String label = repetitions > 1 ? " (run " + (rep + 1) + " of " + repetitions + ")" : "";
        phase("raw pipe" + label);
        ObjectNode raw = fork("raw", rawConfig(bootstrap, in, rawOut, "velo-bench-raw-" + runId + "-" + rep, settings));
        phase("reading the raw pipe's output back");
        Digest rawGot = digest(bootstrap, rawOut);
        if (!rawGot.sameAs(loaded.input)) {
            problems.add("the raw pipe's output (" + rawGot + ") differs from its input (" + loaded.input + ")");
        }
        phase("engine" + label);
        ObjectNode engineConfig = baseConfig(bootstrap);
        engineConfig.put("sql", sql(in, "velo-bench-engine-" + runId + "-" + rep, engineOut, where));
        ObjectNode engine = fork("engine", engineConfig);
        phase("reading the engine's output back");
        Digest engineGot = digest(bootstrap, engineOut);
        if (!engineGot.sameAs(loaded.expected)) {
            problems.add("the engine's output (" + engineGot + ") differs from the expected output (" + loaded.expected + ")");
        }
        if (engine.get("records_in").asLong() != records || engine.get("unaccounted").asLong() != 0) {
            problems.add("the engine read " + engine.get("records_in").asLong() + " records (" + engine.get("summary").asText()
                    + "), not exactly " + records);
        }
        ObjectNode r = MAPPER.createObjectNode();
        r.put("raw_pipe_rps", rate(raw));
        r.put("engine_rps", rate(engine));
        r.put("ratio", round(rate(engine) / rate(raw), 4));
        r.put("raw_pipe_elapsed_s", round(raw.get("elapsed_nanos").asLong() / 1e9, 3));
        r.put("engine_elapsed_s", round(engine.get("elapsed_nanos").asLong() / 1e9, 3));
        r.put("raw_pipe_alloc_bytes_per_record", round(raw.get("alloc_bytes").asDouble() / records, 1));
        r.put("engine_alloc_bytes_per_record", round(engine.get("alloc_bytes").asDouble() / records, 1));
        r.put("raw_pipe_cpu_ns_per_record", cpuPerRecord(raw));
        r.put("engine_cpu_ns_per_record", cpuPerRecord(engine));
        r.put("raw_pipe_records_out", rawGot.count());
        r.put("engine_records_out", engineGot.count());
        r.put("engine_batches", engine.get("batches").asLong());
        r.put("engine_summary", engine.get("summary").asText());
        return r;
    }

    // ---------------------------------------------------------------- the SQL and its client settings

    /** The benchmark's job; {@code where} adds to the filter (the sabotage). */
    public static String sql(String in, String group, String out, String where) {
        return "CREATE STREAM trades (" + TradeMessages.SQL_COLUMNS + ")\n"
                + "WITH ('trades.type' = 'kafka_source', 'trades.topic' = '" + in + "', 'trades.group.id' = '" + group + "');\n"
                + "CREATE STREAM big_trades AS " + TradeMessages.SQL_SELECT + where + "\n"
                + "WITH ('big_trades.type' = 'kafka_sink', 'big_trades.topic' = '" + out + "', 'big_trades.partitions' = '" + PARTITIONS + "');\n";
    }

    /** The client settings of both sides, each with the origin the engine gives it. */
    public record Settings(Map<String, String> consumer, Map<String, String> producer, ObjectNode described) { }

    /**
     * Plans the benchmark's SQL (no I/O) and reads the Kafka client settings the engine will use —
     * the batch strategy's suggestions, or whatever a later change makes them — so the raw pipe gets
     * exactly the same.
     */
    public static Settings settings(String sql, String bootstrap) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        JobPlan job = null;
        for (Object step : new Engine(quiet, quiet).kafka(bootstrap).planScript(sql, Path.of(".").toAbsolutePath(), List.of())) {
            if (step instanceof JobPlan jp) {
                job = jp;
            }
        }
        if (job == null) {
            throw new IllegalStateException("the benchmark's SQL plans no job");
        }
        Map<String, String> consumer = new LinkedHashMap<>();
        Map<String, String> producer = new LinkedHashMap<>();
        ObjectNode described = MAPPER.createObjectNode();
        ObjectNode c = described.putObject("consumer");
        ObjectNode p = described.putObject("producer");
        for (Setting s : job.properties().all()) {
            String key = s.key().toLowerCase(Locale.ROOT);
            if (key.startsWith("trades.kafka.")) {
                consumer.put(s.key().substring("trades.kafka.".length()), s.value());
                c.put(s.key().substring("trades.kafka.".length()), s.value() + " (" + s.origin() + ")");
            } else if (key.startsWith("big_trades.kafka.")) {
                producer.put(s.key().substring("big_trades.kafka.".length()), s.value());
                p.put(s.key().substring("big_trades.kafka.".length()), s.value() + " (" + s.origin() + ")");
            }
        }
        c.put("enable.auto.commit", "false (both sides commit with commitSync after flushing, about once a second and at the end)");
        c.put("auto.offset.reset", "earliest");
        p.put("acks", "all (the engine's sink default)");
        return new Settings(consumer, producer, described);
    }

    private ObjectNode baseConfig(String bootstrap) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("bootstrap", bootstrap);
        n.put("records", records);
        n.put("progress", progress != null);
        return n;
    }

    private ObjectNode rawConfig(String bootstrap, String in, String out, String group, Settings settings) {
        ObjectNode n = baseConfig(bootstrap);
        n.put("in", in);
        n.put("out", out);
        n.put("group", group);
        n.set("consumer", MAPPER.valueToTree(settings.consumer));
        n.set("producer", MAPPER.valueToTree(settings.producer));
        return n;
    }

    // ---------------------------------------------------------------- topics, loading, reading back

    private static final int REACH_TIMEOUT_SECONDS = 10;

    public static void requireReachable(Admin admin, String bootstrap) {
        try {
            admin.describeCluster().clusterId().get(REACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new BenchKafkaFailure("cannot reach Kafka at " + bootstrap + " within " + REACH_TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Creates a topic and adds it to the ones deleted at the end. */
    public static void createTopic(Admin admin, String topic, List<String> created) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            created.add(topic);
        } catch (Exception e) {
            throw new BenchKafkaFailure("cannot create topic '" + topic + "': " + e, e);
        }
        awaitLeaders(admin, topic, PARTITIONS);
    }

    /**
     * Waits until every partition of a new topic has a leader: the controller acknowledges the creation
     * before the broker has taken the partitions up, and a load that starts in that gap waits on the
     * producer's delivery timeout (two minutes) when the broker is slow to do it.
     */
    public static void awaitLeaders(Admin admin, String topic, int partitions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String missing = "no description";
        while (System.nanoTime() < deadline) {
            try {
                var d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
                List<Integer> leaderless = d.partitions().stream()
                        .filter(p -> p.leader() == null || p.leader().isEmpty()).map(p -> p.partition()).toList();
                if (leaderless.isEmpty() && d.partitions().size() == partitions) {
                    return;
                }
                missing = "partitions without a leader: " + leaderless + " of " + d.partitions().size();
            } catch (Exception e) {
                missing = e.toString();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchKafkaFailure("interrupted waiting for the leaders of '" + topic + "'", e);
            }
        }
        throw new BenchKafkaFailure("topic '" + topic + "' has no leader for every partition within 30 s (" + missing + ")", null);
    }

    public static void deleteTopics(Admin admin, List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: an embedded broker's data goes with it; on a shared cluster the names are unique
        }
    }

    /** What was loaded: the input's digest, the expected output's, and the first trade the query keeps. */
    private record Loaded(Digest input, Digest expected, long firstSelected, long bytes) { }

    /** Writes the trades round-robin over the partitions (untimed), with the producer settings both sides use. */
    private Loaded load(String bootstrap, String topic, Map<String, String> producerSettings) {
        Properties p = new Properties();
        p.putAll(producerSettings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        TradeMessages trades = new TradeMessages(SEED);
        Digest input = new Digest();
        Digest expected = new Digest();
        long firstSelected = -1;
        long bytes = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        long lastProgress = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (long i = 0; i < records; i++) {
                byte[] m = trades.next();
                input.add(m);
                bytes += m.length;
                if (trades.selected()) {
                    expected.add(trades.expectedOutput());
                    if (firstSelected < 0) {
                        firstSelected = trades.tradeId();
                    }
                }
                // no record timestamp from the generated event times: the broker would treat 2023 records as past their
                // retention and delete the segments under a run that lasts longer than its retention check interval
                producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, m), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                if (progress != null && (i & 0xffff) == 0 && System.nanoTime() - lastProgress > 1_000_000_000L) {
                    lastProgress = System.nanoTime();
                    progress.printf("\rloading: %,d of %,d trades   ", i, records);
                    progress.flush();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new BenchKafkaFailure("cannot load topic '" + topic + "': " + failure.get().getMessage(), failure.get());
        }
        return new Loaded(input, expected, firstSelected, bytes);
    }

    /**
     * Reads a whole topic back (untimed) into a digest, up to its end offsets when called: a side
     * reports only once its producer had every send acknowledged, so nothing more can arrive.
     */
    private static Digest digest(String bootstrap, String topic) {
        Digest d = new Digest();
        readBack(bootstrap, topic, d::add);
        return d;
    }

    /** Reads a whole topic back, as {@link #digest} does, handing each value (empty for none) to {@code each}. */
    public static void readBack(String bootstrap, String topic, java.util.function.Consumer<byte[]> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, pi.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new BenchKafkaFailure("reading topic '" + topic + "' back took more than 120 s", null);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    each.accept(r.value() == null ? new byte[0] : r.value());
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof BenchKafkaFailure) {
                throw e;
            }
            throw new BenchKafkaFailure("cannot read topic '" + topic + "' back: " + e, e);
        }
    }

    // ---------------------------------------------------------------- the forked sides

    /** Runs one side in a child JVM with this JVM's class path and options; its marked stdout line is the result. */
    private ObjectNode fork(String side, ObjectNode config) {
        return fork(PipeFork.class, side, config);
    }

    /**
     * Runs {@code mainClass side CONFIG-JSON} in a child JVM (this JVM's class path and the benchmarks' JVM
     * options) and returns the JSON of its stdout line after {@link #RESULT_MARKER}; {@link Failed} when it
     * cannot run, reports an {@code error} or measured no time.
     */
    public static ObjectNode fork(Class<?> mainClass, String side, ObjectNode config) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(PipelineBenchmark.childJvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.add(side);
        cmd.add(config.toString());
        String result = null;
        int exit;
        try {
            Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            proc.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(RESULT_MARKER)) {
                        result = line.substring(RESULT_MARKER.length());
                    }
                }
            }
            exit = proc.waitFor();
        } catch (IOException e) {
            throw new Failed("could not start a JVM for the " + side + " side: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while the " + side + " side ran");
        }
        if (result == null || exit != 0) {
            throw new Failed("the " + side + " side's JVM exited with code " + exit + (result == null ? " and no result" : ""));
        }
        ObjectNode r;
        try {
            r = (ObjectNode) MAPPER.readTree(result);
        } catch (IOException e) {
            throw new Failed("unreadable result from the " + side + " side: " + e.getMessage());
        }
        if (r.has("error")) {
            throw new Failed(r.get("error").asText());
        }
        if (r.get("elapsed_nanos").asLong() <= 0) {
            throw new Failed("the " + side + " side measured no time");
        }
        return r;
    }

    // ---------------------------------------------------------------- the result

    private ObjectNode result(Instant started, Settings settings, Loaded loaded, List<ObjectNode> runs, Set<String> problems, String sql) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("records", records);
        root.put("raw_pipe_rps", median(runs, "raw_pipe_rps"));
        root.put("engine_rps", median(runs, "engine_rps"));
        root.put("ratio", median(runs, "ratio"));
        root.put("engine_alloc_bytes_per_record", median(runs, "engine_alloc_bytes_per_record"));
        root.put("verified", problems.isEmpty());
        if (!problems.isEmpty()) {
            ArrayNode a = root.putArray("problems");
            problems.forEach(a::add);
        }
        root.put("raw_pipe_alloc_bytes_per_record", median(runs, "raw_pipe_alloc_bytes_per_record"));
        root.put("raw_pipe_cpu_ns_per_record", median(runs, "raw_pipe_cpu_ns_per_record"));
        root.put("engine_cpu_ns_per_record", median(runs, "engine_cpu_ns_per_record"));
        root.put("expected_records_out", loaded.expected.count());
        root.put("engine_records_out", runs.get(runs.size() - 1).get("engine_records_out").asLong());
        root.put("raw_pipe_records_out", runs.get(runs.size() - 1).get("raw_pipe_records_out").asLong());
        root.put("input_bytes_per_record", round((double) loaded.bytes / records, 1));
        root.put("partitions", PARTITIONS);
        root.put("repetitions", repetitions);
        if (repetitions > 1) {
            root.put("ratio_min", runs.stream().mapToDouble(r -> r.get("ratio").asDouble()).min().orElse(0));
            root.put("ratio_max", runs.stream().mapToDouble(r -> r.get("ratio").asDouble()).max().orElse(0));
        }
        ArrayNode a = root.putArray("runs");
        runs.forEach(a::add);
        root.put("kafka", kafkaSpec);
        root.put("sql", sql);
        root.set("client_settings", settings.described());
        if (sabotage) {
            root.put("sabotaged", true);
        }
        root.put("method", "each side in a fresh JVM; timed from its first record to its last acknowledged send; "
                + "allocation summed over every thread of that JVM (Kafka client threads included); "
                + "outputs read back and compared by count and order-independent checksum");
        root.put("started_at", started.toString());
        root.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.set("jvm_args", MAPPER.valueToTree(PipelineBenchmark.childJvmArgs()));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("cpu", PipelineBenchmark.cpuModel());
        return root;
    }

    /** One line for the terminal: the contract's figures and the verdict. */
    public static String summaryLine(JsonNode r) {
        return String.format("bench kafka: %,d records | raw pipe %,.0f rec/s | engine %,.0f rec/s | ratio %.3f | engine %.1f B/record%s",
                r.get("records").asLong(), r.get("raw_pipe_rps").asDouble(), r.get("engine_rps").asDouble(), r.get("ratio").asDouble(),
                r.get("engine_alloc_bytes_per_record").asDouble(), r.get("verified").asBoolean() ? " | verified" : " | NOT VERIFIED");
    }

    private double rate(JsonNode side) {
        return round(records / (side.get("elapsed_nanos").asLong() / 1e9), 1);
    }

    private double cpuPerRecord(JsonNode side) {
        long cpu = side.get("cpu_nanos").asLong();
        return cpu < 0 ? -1 : round((double) cpu / records, 1);
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

    private void phase(String what) {
        if (progress != null) {
            progress.print(what == null ? "\r\033[K" : "\r\033[K" + what + "…");
            progress.flush();
        }
    }
}
