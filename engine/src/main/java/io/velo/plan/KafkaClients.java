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

    /** The {@code '<name>.kafka.<client key>'} settings, passed through to the client. */
    static Map<String, Object> settings(JobProperties props, String name) {
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
