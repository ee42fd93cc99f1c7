package io.velo.plan.logical;

import java.util.List;

/**
 * A {@link Join} of two streams as the physical planner planned it: an interval join, with a note of
 * what its state keeps and when a row leaves it (and, for an outer join, is written unmatched).
 */
public record IntervalJoin(Join join, String state) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return join.inputs();
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new IntervalJoin((Join) join.withInputs(inputs), state);
    }

    @Override
    public String describe() {
        return join.kind() + " Interval Join ON " + io.velo.sql.ast.SqlPrinter.print(join.condition())
                + (join.withinMillis() != null ? " WITHIN " + join.withinMillis() + "ms" : "") + "; state: " + state;
    }
}
