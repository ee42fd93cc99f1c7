package io.velo.plan;

import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.connector.spi.Source;
import io.velo.failure.FailureHandler;
import io.velo.metrics.JobMetrics;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import io.velo.types.Schema;
import java.nio.file.Path;
import java.util.function.Supplier;

/** A kind of source: what the planner asks of it, and how to open one. */
interface SourceType extends ConnectorType {
    /**
     * What a source type gets from the planner. {@code declared} is the catalogue entry of the source
     * (a declaration, or the output of an earlier statement), or null; {@code pos} is the FROM clause.
     */
    record Context(String name, Schema schema, JobProperties props, String format, int eventTimeColumn, BatchConfig batching,
                   TextFieldDecoder fields, FailureHandler failures, JobMetrics metrics, String jobName, Supplier<String> kafka,
                   Path baseDir, Catalog.Entry declared, Pos pos, PathSafety paths) {
        /**
         * The column named by {@code '<name>.key.field'}, or -1. Worked out when a type asks for it, so a
         * bad key field is reported after what the type checks first (its path, say).
         */
        int keyColumn() {
            String field = props.get(name + ".key.field");
            if (field == null) {
                return -1;
            }
            int i = schema.indexOf(field);
            if (i < 0) {
                throw new SqlException(props.pos(name + ".key.field"), "key field '" + field + "' is not a column of '" + name + "' ("
                        + schema + ")");
            }
            return i;
        }
    }

    /** Whether a source of this kind with these properties ends (ORDER BY, final groups of a bounded input). */
    boolean bounded(JobProperties props, String name);

    /** Whether the schema may be inferred from a sample of the source's file when none is declared. */
    default boolean samplesFiles() {
        return false;
    }

    /** Whether a source of this kind can commit its positions in a sink's transaction ('mode' = 'transactional'). */
    default boolean transactional() {
        return false;
    }

    /** What a job reading this kind reads, in the message refusing 'mode' = 'transactional'. */
    default String reads() {
        return name();
    }

    /** Opens (or, for a source the caller feeds, returns null for) a source of this kind. */
    Source create(Context c);

    /** The source's line in the plan text. */
    default String describe(Context c, Source created) {
        return created.describe();
    }
}
