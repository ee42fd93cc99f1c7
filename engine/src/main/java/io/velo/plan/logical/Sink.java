package io.velo.plan.logical;

import io.velo.sql.ast.Pos;
import io.velo.types.Schema;
import java.util.List;

/**
 * The root: where the rows go — the named sink, or standard output when {@code name} is null —
 * with the output items marked PRIMARY KEY. {@code pos} is the query's. {@code description} and
 * {@code schema} (the output's) are known once the planner compiled the query and created the
 * sink, null before.
 */
public record Sink(LogicalNode input, String name, Pos pos, List<String> primaryKey, String description, Schema schema)
        implements LogicalNode {
    public Sink {
        primaryKey = List.copyOf(primaryKey);
    }

    /** This sink with its connector's description and the output schema. */
    public Sink describedAs(String connector, Schema output) {
        return new Sink(input, name, pos, primaryKey, connector, output);
    }

    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Sink(LogicalNode.only(inputs), name, pos, primaryKey, description, schema);
    }

    @Override
    public String describe() {
        return "Sink " + (name == null ? "stdout" : name) + ": " + description + " [" + schema + "]"
                + (primaryKey.isEmpty() ? "" : " PRIMARY KEY (" + String.join(", ", primaryKey) + ")");
    }
}
