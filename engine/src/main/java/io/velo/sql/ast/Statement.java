package io.velo.sql.ast;

import io.velo.types.DataType;
import java.util.List;

/** Top-level statements. */
public sealed interface Statement {
    Pos pos();

    record ColumnDef(Pos pos, String name, DataType type, boolean primaryKey) { }

    record Property(Pos keyPos, String key, Pos valuePos, String value) { }

    /** {@code CREATE STREAM|TABLE name [(cols)] AS SELECT … [EMIT …] [WITH (…)]}. */
    record CreateAs(Pos pos, boolean table, String name, Pos namePos, List<ColumnDef> columns, Query query,
                    List<Property> with) implements Statement { }

    /** {@code CREATE STREAM|TABLE name (cols) WITH (…)}: declares a source. */
    record CreateSource(Pos pos, boolean table, String name, Pos namePos, List<ColumnDef> columns,
                        List<Property> with) implements Statement { }

    record InsertInto(Pos pos, String sink, Pos sinkPos, Query query, List<Property> with) implements Statement { }

    /** {@code SELECT …} or {@code SELECT … INTO sink}. */
    record Select(Pos pos, Query query, String into, Pos intoPos, List<Property> with) implements Statement { }

    record Show(Pos pos, String what) implements Statement { }

    record Describe(Pos pos, String name) implements Statement { }

    record Explain(Pos pos, Statement statement) implements Statement { }

    /** Server job commands: START JOB name AS SELECT …, STOP / PAUSE / RESUME JOB name. */
    record JobCommand(Pos pos, String verb, String name, Query query, List<Property> with) implements Statement { }
}
