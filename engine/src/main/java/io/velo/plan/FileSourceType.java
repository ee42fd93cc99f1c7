package io.velo.plan;

import io.velo.codec.Format;
import io.velo.config.JobProperties;
import io.velo.connector.file.FileSource;
import io.velo.connector.spi.Source;
import io.velo.sql.SqlException;
import java.util.List;

/** {@code file_source}: lines of text files (a glob), bounded unless {@code '<name>.watch'}. */
final class FileSourceType implements SourceType {
    static final String NAME = "file_source";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> defaults() {
        return List.of("format", "has_headers", "delimiter", "watch");
    }

    @Override
    public Format format(JobProperties props, String name, String format) {
        Format f = SourceType.super.format(props, name, format);
        if (!f.text()) {
            throw new SqlException(props.pos(name + ".format"), "file_source reads text formats (json, csv); '" + format
                    + "' is a message format, read by kafka_source");
        }
        return f;
    }

    @Override
    public boolean bounded(JobProperties props, String name) {
        return !props.bool(name + ".watch", false);
    }

    @Override
    public boolean samplesFiles() {
        return true;
    }

    @Override
    public String reads() {
        return "files";
    }

    @Override
    public String describe(Context c, Source created) {
        if (c.declared() != null && RunTables.holds(c.declared().sinkPath()) && c.props().get(c.name() + ".path") == null) {
            return "the table " + c.name() + " of this run (" + c.declared().origin() + ")";
        }
        return created.describe();
    }

    @Override
    public Source create(Context c) {
        JobProperties props = c.props();
        String name = c.name();
        // an earlier statement's output is read back from the file its sink wrote
        String path = props.get(name + ".path", c.declared() != null ? c.declared().sinkPath() : null);
        if (path == null) {
            throw new SqlException(c.pos(), "file source '" + name + "' needs '" + name + ".path'");
        }
        c.paths().readSource(props, name, path, c.pos());
        FileSource source = new FileSource(name, c.schema(), SourceSchemas.inferred(name, c.declared(), props), c.baseDir(), path, c.format(),
                SourceSchemas.delimiter(props, name), props.bool(name + ".has_headers", true), props.bool(name + ".watch", false),
                c.eventTimeColumn(), c.keyColumn(), c.batching(), c.fields(), c.failures(), c.metrics());
        source.eventTimeFormat(Planner.eventTimeFormat(props, name));
        return source;
    }
}
