package io.velo.plan;

import io.velo.codec.Encoder;
import io.velo.codec.Format;
import io.velo.codec.FormatContext;
import io.velo.config.JobProperties;
import io.velo.connector.RetryingSink;
import io.velo.connector.file.FileSink;
import io.velo.connector.spi.Sink;
import io.velo.failure.FailureStrategy;
import io.velo.sql.SqlException;
import io.velo.sql.parser.Durations;
import java.util.List;

/**
 * {@code file_sink}: a text file, replaced or appended to. With {@code 'sink.failure_strategy'} =
 * RetryWithBackoff its writes are retried (a Kafka sink's client retries on its own).
 */
final class FileSinkType implements SinkType {
    static final String NAME = "file_sink";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> defaults() {
        return List.of("format", "has_headers", "delimiter", "decimal.encoding", "append");
    }

    @Override
    public Format format(JobProperties props, String name, String format) {
        Format f = SinkType.super.format(props, name, format);
        if (!f.text()) {
            throw new SqlException(props.pos(name + ".format"), "file_sink writes text formats (json, csv); '" + format
                    + "' is a message format, written by kafka_sink");
        }
        return f;
    }

    @Override
    public Sink create(Context c) {
        JobProperties props = c.props();
        String name = c.name();
        Encoder encoder = format(props, name, c.format()).textEncoder(new FormatContext(name, c.schema(), props, c.baseDir(), null,
                c.retractions()), true);
        String path = props.get(name + ".path");
        if (path == null) {
            throw new SqlException(c.pos(), "file sink '" + name + "' needs '" + name + ".path'");
        }
        c.paths().writeSink(props, name, path, c.pos());
        Sink sink = new FileSink(name, c.baseDir().resolve(path), path, encoder, props.bool(name + ".append", false));
        if (FailureStrategy.parse(props.scoped("sink", "failure_strategy", "LogAndContinue")) == FailureStrategy.RETRY_WITH_BACKOFF) {
            sink = new RetryingSink(sink, Integer.parseInt(props.scoped("sink", "max_retries", "3")),
                    Durations.parseMillis(props.scoped("sink", "retry_backoff", "1000ms")), c.log());
        }
        return sink;
    }

    @Override
    public String describe(Context c, Sink created) {
        if (RunTables.holds(c.props().get(c.name() + ".path"))) {
            return "a table of this run, kept for the later statements until the run ends (no sink named)";
        }
        return (created instanceof RetryingSink ? "[RetryWithBackoff] " : "") + name() + " " + c.props().get(c.name() + ".path")
                + " (" + c.format() + ")";
    }
}
