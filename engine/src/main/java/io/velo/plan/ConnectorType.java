package io.velo.plan;

import io.velo.codec.Format;
import io.velo.codec.Formats;
import io.velo.config.JobProperties;
import java.util.List;

/**
 * One kind of connector, the value of {@code '<name>.type'}: everything the planner needs to know about
 * a kind is asked of its type, so the planner never compares type names. A new connector is one
 * {@link SourceType} or {@link SinkType} class and one registration in {@link Connectors}.
 */
interface ConnectorType {
    /** The value of {@code '<name>.type'} that selects this kind. */
    String name();

    /** The connector keys whose catalogue defaults apply to a connector of this kind. */
    List<String> defaults();

    /** Whether this kind talks to Kafka: the job then needs a broker and dead-letters to a topic by default. */
    default boolean usesKafka() {
        return false;
    }

    /**
     * The format of connector {@code name}: an unknown one is an error at {@code '<name>.format'}, as is
     * one this kind cannot carry.
     */
    default Format format(JobProperties props, String name, String format) {
        return Formats.require(props, name, format);
    }
}
