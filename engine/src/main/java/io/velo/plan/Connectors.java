package io.velo.plan;

import io.velo.codec.Format;
import io.velo.codec.FormatContext;
import io.velo.codec.Formats;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.config.Setting;
import io.velo.connector.kafka.KafkaSink;
import io.velo.connector.kafka.KafkaSource;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.failure.FailureHandler;
import io.velo.metrics.JobMetrics;
import io.velo.sql.SqlException;
import io.velo.types.Schema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Connectors by {@code type}: a new connector is one factory and one entry here. (The file connector
 * is still built inline by the planner; it moves here next.)
 */
final class Connectors {
    /** What a source factory gets from the planner. */
    record SourceContext(String name, Schema schema, JobProperties props, String format, int eventTimeColumn, int keyColumn,
                         BatchConfig batching, TextFieldDecoder fields, FailureHandler failures, JobMetrics metrics,
                         String jobName, Supplier<String> kafka, Path baseDir) { }

    /** What a sink factory gets from the planner. */
    record SinkContext(String name, Schema schema, JobProperties props, String format, boolean retractions, String primaryKey,
                       Supplier<String> kafka, Path baseDir, String jobName) { }

    interface SourceFactory {
        Source create(SourceContext c);
    }

    interface SinkFactory {
        Sink create(SinkContext c);
    }

    private static final Map<String, SourceFactory> SOURCES = Map.of("kafka_source", Connectors::kafkaSource);
    private static final Map<String, SinkFactory> SINKS = Map.of("kafka_sink", Connectors::kafkaSink);

    private Connectors() {
    }

    static SourceFactory source(String type) {
        return SOURCES.get(type);
    }

    static SinkFactory sink(String type) {
        return SINKS.get(type);
    }

    /** Whether a connector of this type talks to Kafka (and so needs a broker). */
    static boolean usesKafka(String type) {
        return type != null && type.startsWith("kafka_");
    }

    static boolean transactional(JobProperties props) {
        return "transactional".equalsIgnoreCase(props.get("mode", "at_least_once"));
    }

    static String topic(JobProperties props, String name) {
        return props.get(name + ".topic", props.get(name + ".topic.name", name));
    }

    private static Source kafkaSource(SourceContext c) {
        Format format = Formats.require(c.props(), c.name(), c.format());
        io.velo.codec.BytesDecoder decoder = format.decoder(new FormatContext(c.name(), c.schema(), c.props(), c.baseDir(), c.fields(), false));
        Map<String, Object> client = clientSettings(c.props(), c.name());
        client.putIfAbsent("group.id", c.props().get(c.name() + ".group.id", c.jobName()));
        client.putIfAbsent("auto.offset.reset", c.props().get(c.name() + ".auto.offset.reset", "earliest"));
        if (transactional(c.props())) {
            client.putIfAbsent("isolation.level", "read_committed"); // exactly-once reads only committed input
        }
        String instance = c.props().get("instance.id");
        if (instance != null) {
            // static membership: a restarted instance takes its place back at once, without waiting out
            // the killed one's session (45 s by default) in a rebalance
            client.putIfAbsent("group.instance.id", c.jobName() + "-" + instance);
        }
        return new KafkaSource(c.name(), c.schema(), topic(c.props(), c.name()), bootstrap(c.props(), c.name(), c.kafka()), client,
                c.eventTimeColumn(), c.keyColumn(), c.batching(), format.name(), decoder, c.failures(), c.metrics());
    }

    private static Sink kafkaSink(SinkContext c) {
        Format format = Formats.require(c.props(), c.name(), c.format());
        io.velo.codec.BytesEncoder encoder = format.encoder(new FormatContext(c.name(), c.schema(), c.props(), c.baseDir(), null, c.retractions()));
        String keyField = c.props().get(c.name() + ".key.field", c.primaryKey());
        int keyColumn = -1;
        if (keyField != null) {
            keyColumn = c.schema().indexOf(keyField);
            if (keyColumn < 0) {
                throw new SqlException(c.props().pos(c.name() + ".key.field"), "key field '" + keyField + "' is not a column of the output ("
                        + c.schema() + ")");
            }
        }
        Map<String, Object> client = clientSettings(c.props(), c.name());
        String txId = null;
        if (transactional(c.props())) {
            // stable across restarts: a restarted job fences its killed predecessor and aborts what it left open
            String instance = c.props().get("instance.id");
            txId = String.valueOf(client.getOrDefault("transactional.id", "velo-" + c.jobName() + "-" + c.name() + (instance == null ? "" : "-" + instance)));
            client.putIfAbsent("transaction.timeout.ms", "30000");
        }
        return new KafkaSink(c.name(), topic(c.props(), c.name()), bootstrap(c.props(), c.name(), c.kafka()), client,
                format.name(), encoder, keyColumn, Integer.parseInt(c.props().get(c.name() + ".partitions", "1")),
                Short.parseShort(c.props().get(c.name() + ".replication.factor", "1")), txId);
    }

    /** {@code '<name>.bootstrap.servers'} when set, else the command's broker (started only when asked for). */
    private static Supplier<String> bootstrap(JobProperties props, String name, Supplier<String> kafka) {
        String servers = props.get(name + ".bootstrap.servers");
        return servers != null ? () -> servers : kafka;
    }

    /** The {@code '<name>.kafka.<client key>'} settings, passed through to the client. */
    private static Map<String, Object> clientSettings(JobProperties props, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ".kafka.";
        Map<String, Object> out = new LinkedHashMap<>();
        for (Setting s : props.all()) {
            if (s.key().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                out.put(s.key().substring(prefix.length()), s.value());
            }
        }
        return out;
    }
}
