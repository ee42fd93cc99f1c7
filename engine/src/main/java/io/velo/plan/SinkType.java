package io.velo.plan;

import io.velo.config.JobProperties;
import io.velo.connector.spi.Sink;
import io.velo.sql.ast.Pos;
import io.velo.types.Schema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

/** A kind of sink: what the planner asks of it, and how to open one. */
interface SinkType extends ConnectorType {
    /**
     * What a sink type gets from the planner. {@code primaryKey} is the output column marked PRIMARY KEY
     * (or null); {@code pos} is the sink's name in the statement; {@code log} takes retry messages;
     * {@code table}: the output is a table (CREATE TABLE … AS), whose retractions a Kafka sink writes as tombstones.
     */
    record Context(String name, Schema schema, JobProperties props, String format, boolean retractions, String primaryKey,
                   Supplier<String> kafka, Path baseDir, String jobName, Pos pos, PathSafety paths, PrintStream log, boolean table) { }

    Sink create(Context c);

    /** The sink's line in the plan text. */
    String describe(Context c, Sink created);
}
