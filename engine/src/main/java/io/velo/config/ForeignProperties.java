package io.velo.config;

import java.util.List;
import java.util.Locale;

/**
 * Properties written for the original engine (velostream), read by Velo. Each one either takes its
 * Velo meaning (it becomes the Velo property that does the same: {@code 'retry.max.attempts'} is
 * {@code 'max_retries'}), or is accepted with a one-line warning saying what Velo does instead. None
 * is dropped without a word. Two places use them: a statement's WITH ({@link #sql}) and the original's
 * YAML config layout ({@link #file}: {@code datasource:}/{@code datasink:} blocks, {@code consumer_config},
 * {@code schema}, {@code topic}, {@code file}, profiles, {@code metadata}).
 */
public final class ForeignProperties {
    /**
     * What a foreign property becomes: {@code key = value} in Velo's terms ({@code key} null: nothing is
     * set), and the warning to show (null: the meaning is Velo's own, nothing to say). {@code weak}: a
     * fallback that a firmer key of the same file setting the same property replaces.
     */
    public record Translation(String key, String value, String warning, boolean weak) {
        static Translation to(String key, String value) {
            return new Translation(key, value, null, false);
        }

        static Translation warn(String warning) {
            return new Translation(null, null, warning, false);
        }
    }

    private static final String NO_CAP = "Velo sets no memory, group or join cap and never spills to disk: state is held in memory "
            + "(watermarks bound windowed state)";
    private static final String NO_CACHE = "Velo holds a joined table in memory, one current row per key, updated as its source changes: "
            + "there is no cache or refresh to set";
    private static final String NO_OBSERVABILITY = "Velo exports no traces or Prometheus metrics: a job's counts are printed in its run summary";
    private static final String NO_PROFILE = "Velo applies no performance profile: it batches by 'batch.strategy' ('batch.*'); "
            + "Kafka client settings go in '<name>.kafka.<setting>'";
    private static final String DESCRIPTIVE = "descriptive only: Velo keeps no catalogue metadata";

    private ForeignProperties() {
    }

    /** A job-level key of a statement's WITH written for the original engine, or null when it is not one. */
    public static Translation sql(String key, String value) {
        String v = value == null ? "" : value.trim();
        if (key.startsWith("circuit.breaker.")) {
            return Translation.warn("Velo has no circuit breaker: a failing sink write is retried with 'failure_strategy' = "
                    + "'RetryWithBackoff' ('max_retries', 'retry_backoff'), otherwise the job stops with the error");
        }
        if (key.startsWith("observability.") || key.startsWith("prometheus.") || key.startsWith("@")) {
            return Translation.warn(NO_OBSERVABILITY);
        }
        switch (key) {
            case "retry.max.attempts":
                return Translation.to("max_retries", v);
            case "retry.initial.delay":
                return Translation.to("retry_backoff", v);
            case "retry.backoff.strategy":
                return v.equalsIgnoreCase("exponential") ? Translation.to(null, null)
                        : Translation.warn("Velo's retry backoff is exponential (it doubles each retry), not '" + v + "'");
            case "retry.multiplier":
                return v.equals("2") || v.equals("2.0") ? Translation.to(null, null)
                        : Translation.warn("Velo's retry backoff doubles each retry (multiplier 2), not " + v);
            case "retry.max.delay":
                return Translation.warn("Velo's retry backoff doubles without a cap; bound the retries with 'max_retries'");
            case "max.memory.mb": case "max.groups": case "max.joins": case "spill.to.disk": case "memory.pressure.threshold":
                return Translation.warn(NO_CAP);
            case "join.timeout":
                return Translation.warn("Velo's stream-table join looks up the table's current row at once and never waits");
            case "cache.enabled": case "cache.ttl_seconds":
                return Translation.warn(NO_CACHE);
            case "dead.letter.queue.topic":
                return Translation.to("dlq.topic", v);
            case "dead.letter.queue.enabled":
                return Boolean.parseBoolean(v) ? Translation.to("failure_strategy", "SendToDLQ") : Translation.to(null, null);
            case "delivery.guarantee":
                if (v.equalsIgnoreCase("exactly_once")) {
                    return Translation.to("mode", "transactional");
                }
                if (v.equalsIgnoreCase("at_least_once")) {
                    return Translation.to("mode", "at_least_once");
                }
                return Translation.to("mode", v); // refused by 'mode' with its choices
            case "retention":
                return Translation.warn("Velo keeps a table with no sink until the run ends and a sink's output as the sink keeps "
                        + "it (a topic's retention is the topic's own setting)");
            case "compression":
                return Translation.warn("Velo's file sinks write plain text; a Kafka sink compresses with '<name>.kafka.compression.type'");
            case "refresh_interval":
                return Translation.warn("Velo refreshes nothing on a schedule: a table follows its input as it changes");
            case "performance_profile":
                return Translation.warn(NO_PROFILE + " (profile '" + v + "')");
            case "linger.ms": case "acks": case "compression.type": case "fetch.max.wait.ms": case "max.poll.records":
                return Translation.warn("Velo passes Kafka client settings per connector: write '<name>.kafka." + key + "'");
            default:
                return null;
        }
    }

    /** A connector key's value written for the original engine ({@code 'type' = 'file_source_mmap'}), or null. */
    public static Translation sqlValue(String connectorKey, String value) {
        String v = value == null ? "" : value.trim();
        if (connectorKey.equals("type") && v.equals("file_source_mmap")) {
            return new Translation("type", "file_source", "read as a 'file_source': Velo reads files through its buffered reader", false);
        }
        if (connectorKey.equals("late.data.strategy") && v.equals("update_previous")) {
            return new Translation(connectorKey, "drop", "Velo does not update earlier results with late records: they are dropped and counted", false);
        }
        return null;
    }

    /** The job-level value written for the original engine, or null ({@code 'late.data.strategy' = 'update_previous'}). */
    public static Translation sqlJobValue(String key, String value) {
        return key.equals("late.data.strategy") ? sqlValue(key, value) : null;
    }

    /**
     * A key of the original's YAML layout, flattened ({@code datasource.consumer_config.bootstrap.servers}),
     * or null when it is none (it is then read as a Velo key).
     */
    public static Translation file(String flat, String value) {
        String v = value == null ? "" : value.trim();
        String side = null;
        String k = flat;
        for (String block : List.of("datasource.", "datasink.")) {
            if (flat.startsWith(block)) {
                side = block;
                k = flat.substring(block.length());
            }
        }
        if (flat.startsWith("performance_profiles.") || flat.startsWith("delivery_profiles.")) {
            return Translation.to(null, null); // a profile's definition: only a selected profile is a setting (and warned)
        }
        if (flat.startsWith("metadata.")) {
            return Translation.warn(DESCRIPTIVE);
        }
        if (flat.equals("performance_profile") || flat.equals("delivery_profile")) {
            return Translation.warn(NO_PROFILE + " (profile '" + v + "')");
        }
        if (flat.startsWith("processing.")) {
            String rest = dotted(flat.substring("processing.".length()));
            return switch (rest) {
                case "batch.size" -> Translation.to("batch.size", v);
                case "mode" -> Translation.warn("Velo reads a file to its end (set 'watch' to follow it) and a topic as it grows; "
                        + "there is no processing mode to choose (mode '" + v + "')");
                default -> Translation.warn("Velo refreshes nothing on a schedule: a file table is read once, a topic table follows "
                        + "its topic");
            };
        }
        if (flat.startsWith("output.")) {
            return Translation.warn("an output's settings (retention, format, compression) belong to the sink that writes it; "
                    + "not read here");
        }
        if (flat.equals("producer.group")) {
            return Translation.warn("a Kafka producer has no group; Velo's sink producer is named by the job (its transactional.id when transactional)");
        }
        if (flat.equals("consumer.group")) {
            return Translation.to("group.id", v);
        }
        if (flat.equals("file.path")) {
            return Translation.to("path", v);
        }
        if (flat.startsWith("data_source.")) {
            String rest = flat.substring("data_source.".length());
            return switch (rest) {
                case "type" -> new Translation("original.family", v.toLowerCase(Locale.ROOT) + "|source", null, false);
                case "path" -> new Translation("path", v, null, true);
                case "format" -> Translation.to("format", v.toLowerCase(Locale.ROOT));
                case "has_headers" -> Translation.to("has_headers", v);
                default -> Translation.warn("not read by Velo's file source");
            };
        }
        if (flat.startsWith("table.")) {
            String rest = flat.substring("table.".length());
            if (rest.equals("primary_key")) {
                return Translation.to("key.field", v);
            }
            return Translation.warn(NO_CACHE);
        }
        if (flat.startsWith("loading.") || flat.startsWith("cache.") || flat.startsWith("table_config.")
                || flat.startsWith("performance.indexing") || flat.startsWith("performance.concurrency")
                || flat.startsWith("performance.connection_pool_size")) {
            return Translation.warn(NO_CACHE);
        }
        if (flat.startsWith("schema.fields")) {
            return Translation.to("original.schema.fields", v);
        }
        for (String block : List.of("topic_config.", "stream_config.", "stream.config.")) {
            if (k.startsWith(block)) {
                String rest = dotted(k.substring(block.length()));
                if (rest.equals("partitions") || rest.equals("replication.factor")) {
                    return Translation.to(rest, v);
                }
                return Translation.warn("Velo creates a missing topic with 'partitions' and 'replication.factor' only; "
                        + "set other topic settings on the broker");
            }
        }
        if (flat.startsWith("headers.") || (side != null && k.startsWith("headers."))) {
            return Translation.warn("Velo writes no fixed record headers");
        }
        if (side == null && !k.startsWith("schema.")) { // (a top-level schema: block is the source's or sink's, as inside one)
            return null;
        }
        if (k.equals("type")) {
            return new Translation("original.family", v.toLowerCase(Locale.ROOT) + (side.equals("datasource.") ? "|source" : "|sink"), null, false);
        }
        if (k.startsWith("consumer_config.") || k.startsWith("producer_config.")) {
            String client = dotted(k.substring(k.indexOf('.') + 1));
            return switch (client) {
                case "bootstrap.servers", "auto.offset.reset", "group.id" -> Translation.to(client, v);
                case "enable.auto.commit", "auto.commit.interval.ms" ->
                        Translation.warn("Velo commits offsets itself, every 'commit.interval' once the sink has flushed");
                default -> Translation.to("kafka." + client, v);
            };
        }
        if (k.startsWith("schema.")) {
            String rest = dotted(k.substring("schema.".length()));
            return switch (rest) {
                case "key.field" -> Translation.to("key.field", v);
                case "value.serializer", "value.format" -> Translation.to("format", v.toLowerCase(Locale.ROOT));
                case "value.schema.file" -> Translation.to("avro.schema", v);
                case "key.format" -> v.equalsIgnoreCase("string") ? Translation.to(null, null)
                        : Translation.warn("Velo reads and writes record keys as UTF-8 text, not " + v);
                case "schema.registry.url" -> Translation.warn("Velo uses no schema registry: an Avro source needs 'avro.schema'");
                default -> Translation.warn("not a schema setting Velo reads");
            };
        }
        if (k.startsWith("performance.")) {
            String rest = dotted(k.substring("performance.".length()));
            if (side.equals("datasink.")) {
                return Translation.to("kafka." + rest, v);
            }
            return Translation.warn("a Kafka consumer reads whatever compression the producer used; nothing to set");
        }
        if (k.equals("topic") || k.equals("topic.name") || k.equals("path") || k.equals("format")) {
            return Translation.to(k, v);
        }
        return Translation.warn("not a setting Velo reads for a " + (side.equals("datasource.") ? "source" : "sink"));
    }

    /** The original writes Kafka client settings with dots or underscores ({@code session_timeout_ms}). */
    private static String dotted(String key) {
        return key.replace('_', '.');
    }
}
