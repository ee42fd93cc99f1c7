package io.velo.plan;

import io.velo.codec.BytesDecoder;
import io.velo.codec.Format;
import io.velo.codec.FormatContext;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.config.KafkaSuggestions;
import io.velo.connector.kafka.KafkaSource;
import io.velo.connector.spi.Source;
import java.util.List;
import java.util.Map;

/** {@code kafka_source}: a topic read by a consumer group; unbounded, and the one source a transaction can include. */
final class KafkaSourceType implements SourceType {
    static final String NAME = "kafka_source";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> defaults() {
        return List.of("format", "auto.offset.reset");
    }

    @Override
    public boolean usesKafka() {
        return true;
    }

    @Override
    public boolean bounded(JobProperties props, String name) {
        return false;
    }

    @Override
    public boolean transactional() {
        return true;
    }

    /** Consumer settings the batch strategy suggests, where nothing was set. */
    private static void suggest(JobProperties props, String name, BatchConfig batching) {
        String why = "batch.strategy=" + batching.strategy();
        KafkaSuggestions.forSource(batching).forEach((k, v) -> props.suggest(name + ".kafka." + k, v, why));
    }

    @Override
    public Source create(Context c) {
        JobProperties props = c.props();
        String name = c.name();
        suggest(props, name, c.batching());
        Format format = format(props, name, c.format());
        BytesDecoder decoder = format.decoder(new FormatContext(name, c.schema(), props, c.baseDir(), c.fields(), false));
        Map<String, Object> client = KafkaClients.settings(props, name, true);
        client.putIfAbsent("group.id", props.get(name + ".group.id", c.jobName()));
        client.putIfAbsent("auto.offset.reset", props.get(name + ".auto.offset.reset", "earliest"));
        if (KafkaClients.transactional(props)) {
            client.putIfAbsent("isolation.level", "read_committed"); // exactly-once reads only committed input
        }
        String instance = props.get("instance.id");
        if (instance != null) {
            // static membership: a restarted instance takes its place back at once, without waiting out
            // the killed one's session (45 s by default) in a rebalance
            client.putIfAbsent("group.instance.id", c.jobName() + "-" + instance);
        }
        KafkaSource source = new KafkaSource(name, c.schema(), KafkaClients.topic(props, name), KafkaClients.bootstrap(props, name, c.kafka()),
                client, c.eventTimeColumn(), c.keyColumn(), c.batching(), format.name(), decoder, c.failures(), c.metrics());
        source.eventTimeFormat(Planner.eventTimeFormat(props, name));
        return source;
    }

    /**
     * The topic read as a keyed table's changelog (joined by a query): every partition from the
     * beginning, in no consumer group, tombstones deleting (see {@link io.velo.connector.kafka.KafkaTableSource}).
     */
    io.velo.connector.kafka.KafkaTableSource createTable(Context c, int keyColumn) {
        JobProperties props = c.props();
        String name = c.name();
        Format format = format(props, name, c.format());
        BytesDecoder decoder = format.decoder(new FormatContext(name, c.schema(), props, c.baseDir(), c.fields(), false));
        Map<String, Object> client = KafkaClients.settings(props, name, true);
        if (KafkaClients.transactional(props)) {
            client.putIfAbsent("isolation.level", "read_committed");
        }
        return new io.velo.connector.kafka.KafkaTableSource(name, c.schema(), KafkaClients.topic(props, name),
                KafkaClients.bootstrap(props, name, c.kafka()), client, keyColumn, format.name(), decoder, c.fields(), c.failures(),
                c.metrics());
    }
}
