package io.velo.plan;

import io.velo.codec.BytesEncoder;
import io.velo.codec.Format;
import io.velo.codec.FormatContext;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.config.KafkaSuggestions;
import io.velo.connector.kafka.KafkaSink;
import io.velo.connector.spi.Sink;
import io.velo.sql.SqlException;
import java.util.List;
import java.util.Map;

/** {@code kafka_sink}: a topic written by a producer, transactional in 'mode' = 'transactional'. */
final class KafkaSinkType implements SinkType {
    @Override
    public String name() {
        return "kafka_sink";
    }

    @Override
    public List<String> defaults() {
        return List.of("format", "decimal.encoding", "partitions", "replication.factor");
    }

    @Override
    public boolean usesKafka() {
        return true;
    }

    /** Producer settings the sink's batch strategy suggests, where nothing was set. */
    private static void suggest(JobProperties props, String name) {
        BatchConfig batching = BatchConfig.from(props, "sink");
        String why = "batch.strategy=" + batching.strategy();
        KafkaSuggestions.forSink(batching).forEach((k, v) -> props.suggest(name + ".kafka." + k, v, why));
    }

    @Override
    public Sink create(Context c) {
        JobProperties props = c.props();
        String name = c.name();
        suggest(props, name);
        Format format = format(props, name, c.format());
        boolean tombstones = c.table() && c.retractions(); // a table's retractions are tombstones, its rows need no _deleted flag
        BytesEncoder encoder = format.encoder(new FormatContext(name, c.schema(), props, c.baseDir(), null, c.retractions() && !tombstones));
        String keyField = props.get(name + ".key.field", c.primaryKey());
        int keyColumn = -1;
        if (keyField != null) {
            keyColumn = c.schema().indexOf(keyField);
            if (keyColumn < 0) {
                throw new SqlException(props.pos(name + ".key.field"), "key field '" + keyField + "' is not a column of the output ("
                        + c.schema() + ")");
            }
        }
        Map<String, Object> client = KafkaClients.settings(props, name, false);
        String txId = null;
        if (KafkaClients.transactional(props)) {
            // stable across restarts: a restarted job fences its killed predecessor and aborts what it left open
            String instance = props.get("instance.id");
            txId = String.valueOf(client.getOrDefault("transactional.id", "velo-" + c.jobName() + "-" + name + (instance == null ? "" : "-" + instance)));
            client.putIfAbsent("transaction.timeout.ms", "30000");
        }
        KafkaSink sink = new KafkaSink(name, KafkaClients.topic(props, name), KafkaClients.bootstrap(props, name, c.kafka()), client,
                format.name(), encoder, keyColumn, Integer.parseInt(props.get(name + ".partitions", "1")),
                Short.parseShort(props.get(name + ".replication.factor", "1")), txId);
        if (tombstones) {
            if (keyColumn < 0) {
                var type = props.setting(name + ".type");
                if (type != null && type.origin().equals(RunTables.ORIGIN)) {
                    throw new SqlException(c.pos(), "table '" + name + "' retracts rows and is kept in a Kafka topic (a table of this run "
                            + "read while its job runs), which holds them as tombstones of their key: mark the key item PRIMARY KEY, "
                            + "GROUP BY one selected column, or name a sink");
                }
                throw new SqlException(c.pos(), "table '" + name + "' retracts rows, which a Kafka topic holds as tombstones of their key: "
                        + "mark the key item PRIMARY KEY or set '" + name + ".key.field'");
            }
            sink.writeTombstones(); // a retraction is the key's tombstone: compaction and table readers drop the key
        }
        return sink;
    }

    @Override
    public String describe(Context c, Sink created) {
        var type = c.props().setting(c.name() + ".type");
        String ofRun = type != null && type.origin().equals(RunTables.ORIGIN)
                ? ", a table of this run (no sink named), read by the later statements as it changes" : "";
        return name() + " " + KafkaClients.topic(c.props(), c.name()) + " (" + c.format() + ")" + ofRun;
    }
}
