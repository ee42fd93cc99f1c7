package io.velo.plan.logical;

import java.util.List;

/**
 * The result of an EMIT CHANGES aggregation as a changelog that can take a group's row back (a
 * group that leaves HAVING, or whose row fails): the planner adds it where the projection can retract.
 */
public record Retract(LogicalNode input) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Retract(LogicalNode.only(inputs));
    }

    @Override
    public String describe() {
        return "Retract groups that leave HAVING or whose row fails (_deleted rows)";
    }
}
