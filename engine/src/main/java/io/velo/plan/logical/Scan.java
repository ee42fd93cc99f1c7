package io.velo.plan.logical;

import io.velo.sql.ast.Pos;
import io.velo.types.Schema;
import java.util.List;

/**
 * Reads a source: its name (and alias) in the query, its schema and its event time field (null
 * when records carry none). {@code schema} is null for a source not resolved (the right side of a
 * join, which the planner refuses before resolving it); {@code description} is the connector's
 * (file, topic, format) once it was created, null before.
 */
public record Scan(String source, String alias, Pos pos, Schema schema, String eventTimeField, String description)
        implements LogicalNode {
    /** This scan with its connector's description. */
    public Scan describedAs(String connector) {
        return new Scan(source, alias, pos, schema, eventTimeField, connector);
    }

    @Override
    public List<LogicalNode> inputs() {
        return List.of();
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        if (!inputs.isEmpty()) {
            throw new IllegalArgumentException("a scan has no inputs");
        }
        return this;
    }

    @Override
    public String describe() {
        return "Source " + source + ": " + description + " [" + schema + "]" + (eventTimeField != null ? " event time: " + eventTimeField : "");
    }
}
