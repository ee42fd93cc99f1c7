package io.velo.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every property Velo reads, declared once. Job-level keys (batching, failures, delivery, time) and
 * connector keys, which are written {@code '<source-or-sink-name>.<key>'}.
 */
public final class PropertyCatalog {
    public static final List<String> STRATEGIES = List.of("fixed_size", "time_window", "memory_based", "adaptive_size", "low_latency", "mega_batch");
    public static final List<String> FAILURE_STRATEGIES = List.of("LogAndContinue", "SendToDLQ", "FailBatch", "RetryWithBackoff");

    private static final Map<String, PropertyDef> JOB = new LinkedHashMap<>();
    private static final Map<String, PropertyDef> CONNECTOR = new LinkedHashMap<>();
    /** Which connector kinds read each connector key (a key no connector of that kind reads is an error). */
    private static final Map<String, List<String>> CONNECTOR_KINDS = new LinkedHashMap<>();
    private static final List<String> ALL_KINDS = List.of("kafka_source", "kafka_sink", "file_source", "file_sink");
    private static final List<String> KAFKA = List.of("kafka_source", "kafka_sink");
    private static final List<String> FILES = List.of("file_source", "file_sink");
    /** Keys that may also be written with a {@code source.} or {@code sink.} prefix. */
    private static final List<String> SCOPABLE_PREFIXES = List.of("batch.", "failure_strategy", "max_retries", "retry_backoff");

    private PropertyCatalog() {
    }

    private static void job(String key, PropertyType type, String def, List<String> choices, String strategy, String doc) {
        JOB.put(key, new PropertyDef(key, type, def, choices, strategy, doc));
    }

    private static void conn(String key, PropertyType type, String def, List<String> choices, String doc) {
        conn(key, type, def, choices, ALL_KINDS, doc);
    }

    private static void conn(String key, PropertyType type, String def, List<String> choices, List<String> kinds, String doc) {
        CONNECTOR.put(key, new PropertyDef(key, type, def, choices, null, doc));
        CONNECTOR_KINDS.put(key, kinds);
    }

    /** The connector kinds that read {@code key} ({@code kafka.*} keys: Kafka connectors). */
    public static List<String> kindsReading(String key) {
        if (key.startsWith("kafka.")) {
            return KAFKA;
        }
        return CONNECTOR_KINDS.getOrDefault(key, ALL_KINDS);
    }

    static {
        job("batch.enable", PropertyType.BOOL, "true", null, null, "batch records between source and operators");
        job("batch.strategy", PropertyType.ENUM, "fixed_size", STRATEGIES, null, "how records are grouped into batches");
        job("batch.size", PropertyType.INT, "1000", null, "fixed_size", "records per batch");
        job("batch.timeout", PropertyType.DURATION, "1000ms", null, "fixed_size", "longest wait before an incomplete batch is processed");
        job("batch.window", PropertyType.DURATION, "1s", null, "time_window", "time window collecting one batch");
        job("batch.memory_size", PropertyType.LONG, "1048576", null, "memory_based", "bytes of input per batch");
        job("batch.min_size", PropertyType.INT, "10", null, "adaptive_size", "smallest adaptive batch");
        job("batch.adaptive_max_size", PropertyType.INT, "1000", null, "adaptive_size", "largest adaptive batch");
        job("batch.target_latency", PropertyType.DURATION, "100ms", null, "adaptive_size", "processing time per batch the size adapts to");
        job("batch.low_latency_max_size", PropertyType.INT, "1", null, "low_latency", "records before immediate processing");
        job("batch.low_latency_wait", PropertyType.DURATION, "1ms", null, "low_latency", "longest wait");
        job("batch.eager_processing", PropertyType.BOOL, "true", null, "low_latency", "process as soon as records arrive");
        job("batch.mega_batch_size", PropertyType.INT, "50000", null, "mega_batch", "records per mega batch");
        job("batch.parallel", PropertyType.BOOL, "false", null, "mega_batch", "decode on a second thread while operators run");
        job("batch.reuse_buffer", PropertyType.BOOL, "true", null, "mega_batch", "reuse batch buffers through the pool");
        job("failure_strategy", PropertyType.ENUM, "LogAndContinue", FAILURE_STRATEGIES, null, "what happens to a record that fails");
        job("max_retries", PropertyType.INT, "3", null, null, "retries for RetryWithBackoff");
        job("retry_backoff", PropertyType.DURATION, "1000ms", null, null, "first backoff for RetryWithBackoff (doubles each retry)");
        job("dlq.path", PropertyType.STRING, null, null, null, "dead-letter file (JSON lines) for SendToDLQ");
        job("dlq.topic", PropertyType.STRING, null, null, null, "dead-letter Kafka topic for SendToDLQ (default <job>-dlq for a job that reads or writes Kafka and has no dlq.path)");
        job("commit.interval", PropertyType.DURATION, "1000ms", null, null, "how often an unbounded job commits: flushes its sink and commits the source offsets (or the transaction holding output, offsets and state)");
        job("changelog.topic", PropertyType.STRING, null, null, null, "compacted topic holding a transactional stateful job's state (default <job>-changelog)");
        job("instance.id", PropertyType.STRING, null, null, null, "names this instance of the job (one per process): its Kafka consumers' static group.instance.id and part of its transactional.id; a restarted instance resumes at once, and two instances of one job need different ids");
        job("parallelism", PropertyType.INT, null, null, null, "worker threads for the query's middle (filter, aggregation, projection): stateless stages share out each batch's rows, stateful ones partition rows by GROUP BY key and merge the results back into one thread's order (default: the cores available, for batches of 1,024 rows and more; 1 runs on the reading thread)");
        job("mode", PropertyType.ENUM, "at_least_once", List.of("at_least_once", "transactional"), null, "delivery guarantee");
        job("decimal.rounding", PropertyType.ENUM, "half_up", List.of("half_up", "half_even"), null, "rounding of decimal * and /");
        job("event.time.field", PropertyType.STRING, null, null, null, "input field holding the event time (epoch millis or ISO-8601)");
        job("watermark.max_out_of_orderness", PropertyType.DURATION, "0ms", null, null, "how far event time may go back before records are late");
        job("event.time.format", PropertyType.STRING, null, null, null, "how the event-time field is read: epoch_millis, epoch_seconds, iso8601, or a date-time pattern such as yyyy-MM-dd HH:mm:ss.SSS (UTC); unset, a number is epoch millis and text epoch millis or ISO-8601");
        job("watermark.strategy", PropertyType.ENUM, null, List.of("bounded_out_of_orderness"), null, "how the watermark advances: the largest event time seen minus 'watermark.max_out_of_orderness', record by record (the only strategy)");
        job("late.data.strategy", PropertyType.ENUM, "drop", List.of("drop", "dead_letter"), null, "what happens to late records");

        conn("type", PropertyType.ENUM, null, List.of("kafka_source", "kafka_sink", "file_source", "file_sink"), "connector kind");
        conn("topic", PropertyType.STRING, null, null, KAFKA, "Kafka topic");
        conn("topic.name", PropertyType.STRING, null, null, KAFKA, "Kafka topic");
        conn("bootstrap.servers", PropertyType.STRING, null, null, KAFKA, "Kafka bootstrap servers");
        conn("group.id", PropertyType.STRING, null, null, List.of("kafka_source"), "Kafka consumer group");
        conn("auto.offset.reset", PropertyType.ENUM, "earliest", List.of("earliest", "latest", "none"), List.of("kafka_source"), "Kafka start position");
        conn("format", PropertyType.ENUM, "json", io.velo.codec.Formats.names(), "record format (codec/Formats)");
        conn("path", PropertyType.STRING, null, null, FILES, "file path (sources may use a glob)");
        conn("has_headers", PropertyType.BOOL, "true", null, FILES, "CSV header row");
        conn("delimiter", PropertyType.CHAR, ",", null, ALL_KINDS, "CSV delimiter");
        conn("schema", PropertyType.STRING, null, null, "inline column list 'id BIGINT, price DECIMAL(18,4)'");
        conn("avro.schema", PropertyType.STRING, null, null, KAFKA, "Avro record schema: JSON inline or an .avsc file (sources: required; sinks: derived from the columns when unset)");
        conn("avro.framing", PropertyType.ENUM, "single_object", List.of("single_object", "binary"), KAFKA, "Avro message framing: single-object encoding (C3 01 + schema fingerprint) or the bare datum");
        conn("proto.file", PropertyType.STRING, null, null, KAFKA, "Protobuf: the .proto file describing the messages (relative to the SQL file)");
        conn("proto.message", PropertyType.STRING, null, null, KAFKA, "Protobuf: the message type of each Kafka message (full name; optional when the file has one message)");
        conn("key.field", PropertyType.STRING, null, null, List.of("kafka_source", "kafka_sink", "file_source"), "field used as the record key (_key)");
        conn("partitions", PropertyType.INT, "1", null, KAFKA, "partitions of a topic the engine creates");
        conn("replication.factor", PropertyType.INT, "1", null, KAFKA, "replication of a topic the engine creates");
        conn("watch", PropertyType.BOOL, "false", null, List.of("file_source"), "keep reading data appended to the file");
        conn("decimal.encoding", PropertyType.ENUM, "string", List.of("string", "number"), List.of("kafka_sink", "file_sink"), "JSON decimals as strings (keeping scale) or numbers");
        conn("config_file", PropertyType.STRING, null, null, "YAML file with more properties (extends:, ${ENV:default})");
        conn("event.time.field", PropertyType.STRING, null, null, List.of("kafka_source", "file_source"), "field of this source holding the event time");
        conn("event.time.format", PropertyType.STRING, null, null, List.of("kafka_source", "file_source"), "how this source's event-time field is read (see the job key 'event.time.format')");
        conn("append", PropertyType.BOOL, "false", null, List.of("file_sink"), "file sink appends instead of replacing the file");
    }

    public static PropertyDef jobKey(String key) {
        PropertyDef d = JOB.get(key);
        if (d != null) {
            return d;
        }
        for (String prefix : new String[] {"source.", "sink."}) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                for (String p : SCOPABLE_PREFIXES) {
                    if (rest.startsWith(p) && JOB.containsKey(rest)) {
                        return JOB.get(rest);
                    }
                }
            }
        }
        return null;
    }

    public static PropertyDef connectorKey(String key) {
        if (key.startsWith("kafka.")) {
            return new PropertyDef(key, PropertyType.STRING, null, null, null, "passed to the Kafka client");
        }
        return CONNECTOR.get(key);
    }

    public static Collection<PropertyDef> jobKeys() {
        return JOB.values();
    }

    public static Collection<PropertyDef> connectorKeys() {
        return CONNECTOR.values();
    }

    /** The closest known key, for "did you mean" hints; case is ignored, so 'Batch.Size' finds 'batch.size'. */
    public static String suggest(String key, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.max(2, key.length() / 3) ? best : null;
    }

    public static List<String> allJobKeyNames() {
        return new ArrayList<>(JOB.keySet());
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
