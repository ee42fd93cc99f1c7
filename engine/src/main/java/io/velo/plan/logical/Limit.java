package io.velo.plan.logical;

import java.util.List;

/** LIMIT: the first {@code count} rows. */
public record Limit(LogicalNode input, long count) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Limit(LogicalNode.only(inputs), count);
    }

    @Override
    public String describe() {
        return "Limit " + count;
    }
}
