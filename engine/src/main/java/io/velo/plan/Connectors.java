package io.velo.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector kinds by {@code '<name>.type'}: a new connector is one {@link SourceType} or
 * {@link SinkType} class and one line here. Names match exactly, as the {@code type} property's values
 * are written in {@code PropertyCatalog}.
 */
final class Connectors {
    private static final Map<String, SourceType> SOURCES = new HashMap<>();
    private static final Map<String, SinkType> SINKS = new HashMap<>();
    private static final List<String> NAMES = new ArrayList<>();

    static {
        register(new KafkaSourceType());
        register(new KafkaSinkType());
        register(new FileSourceType());
        register(new FileSinkType());
    }

    private Connectors() {
    }

    private static void register(SourceType t) {
        SOURCES.put(t.name(), t);
        NAMES.add(t.name());
    }

    private static void register(SinkType t) {
        SINKS.put(t.name(), t);
        NAMES.add(t.name());
    }

    /** The registered kinds, in registration order. */
    static List<String> names() {
        return List.copyOf(NAMES);
    }

    /** The source kind named {@code type}, or null (unknown, or a sink kind). */
    static SourceType source(String type) {
        return type == null ? null : SOURCES.get(type);
    }

    /** The sink kind named {@code type}, or null (unknown, or a source kind). */
    static SinkType sink(String type) {
        return type == null ? null : SINKS.get(type);
    }

    /** Whether a connector of this type, source or sink, talks to Kafka (and so needs a broker). */
    static boolean usesKafka(String type) {
        ConnectorType t = source(type) != null ? source(type) : sink(type);
        return t != null && t.usesKafka();
    }
}
