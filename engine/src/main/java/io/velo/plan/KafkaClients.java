package io.velo.plan;

import io.velo.config.JobProperties;
import io.velo.config.Setting;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** What the Kafka source and sink types read alike: topic, broker, client pass-through and delivery mode. */
final class KafkaClients {
    private KafkaClients() {
    }

    static boolean transactional(JobProperties props) {
        return "transactional".equalsIgnoreCase(props.get("mode", "at_least_once"));
    }

    static String topic(JobProperties props, String name) {
        return props.get(name + ".topic", props.get(name + ".topic.name", name));
    }

    /** {@code '<name>.bootstrap.servers'} when set, else the command's broker (started only when asked for). */
    static Supplier<String> bootstrap(JobProperties props, String name, Supplier<String> kafka) {
        String servers = props.get(name + ".bootstrap.servers");
        return servers != null ? () -> servers : kafka;
    }

    /**
     * The {@code '<name>.kafka.<client key>'} settings, passed through to the client — checked first
     * against the client's own configuration ({@code ConsumerConfig} / {@code ProducerConfig}): an
     * unknown key or a value of the wrong type is a positioned error at {@code check}, never a key the
     * client silently ignores (a mistyped {@code isolation.level} would change what the job reads).
     */
    static Map<String, Object> settings(JobProperties props, String name, boolean consumer) {
        String prefix = name.toLowerCase(Locale.ROOT) + ".kafka.";
        org.apache.kafka.common.config.ConfigDef def = consumer ? org.apache.kafka.clients.consumer.ConsumerConfig.configDef()
                : org.apache.kafka.clients.producer.ProducerConfig.configDef();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Setting s : props.all()) {
            if (s.key().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                String key = s.key().substring(prefix.length());
                var k = def.configKeys().get(key);
                if (k == null) {
                    String near = io.velo.config.PropertyCatalog.suggest(key, def.names());
                    throw new io.velo.sql.SqlException(s.keyPos(), "'" + key + "' is not a Kafka " + (consumer ? "consumer" : "producer")
                            + " setting" + (near != null ? "; did you mean '" + s.key().substring(0, s.key().length() - key.length()) + near + "'?" : ""));
                }
                try {
                    Object v = org.apache.kafka.common.config.ConfigDef.parseType(key, s.value(), k.type);
                    if (k.validator != null) {
                        k.validator.ensureValid(key, v);
                    }
                } catch (org.apache.kafka.common.config.ConfigException e) {
                    throw new io.velo.sql.SqlException(s.pos(), "'" + s.key() + "': " + e.getMessage());
                }
                out.put(key, s.value());
            }
        }
        return out;
    }
}
