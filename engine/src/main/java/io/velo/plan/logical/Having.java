package io.velo.plan.logical;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.SqlPrinter;
import java.util.List;

/** HAVING: the groups of the aggregation below for which {@code condition} is true. */
public record Having(LogicalNode input, Expr condition) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Having(LogicalNode.only(inputs), condition);
    }

    @Override
    public String describe() {
        return "Having " + SqlPrinter.print(condition);
    }
}
