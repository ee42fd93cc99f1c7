package io.velo.plan;

import io.velo.config.JobProperties;
import io.velo.connector.spi.Source;
import java.util.List;

/**
 * The in-memory relation of {@link Planner#planInMemory}: the caller pushes batches, so there is no
 * source to open and no connector property to check. Not registered: no {@code '<name>.type'} selects it.
 */
final class MemorySourceType implements SourceType {
    static final MemorySourceType INSTANCE = new MemorySourceType();

    private MemorySourceType() {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public List<String> defaults() {
        return List.of("format", "auto.offset.reset"); // what the planner gave every source not a file, kept so its settings stay as they were
    }

    @Override
    public io.velo.codec.Format format(JobProperties props, String name, String format) {
        return null; // batches arrive decoded
    }

    @Override
    public boolean bounded(JobProperties props, String name) {
        return true;
    }

    @Override
    public Source create(Context c) {
        return null;
    }

    @Override
    public String describe(Context c, Source created) {
        String at = c.props().get(c.name() + ".path", KafkaClients.topic(c.props(), c.name()));
        return name() + " " + at + " (" + c.format() + ")";
    }
}
