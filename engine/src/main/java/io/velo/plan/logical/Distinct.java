package io.velo.plan.logical;

import java.util.List;

/** SELECT DISTINCT: each distinct output row once. */
public record Distinct(LogicalNode input) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Distinct(LogicalNode.only(inputs));
    }

    @Override
    public String describe() {
        return "Distinct";
    }
}
