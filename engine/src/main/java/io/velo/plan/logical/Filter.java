package io.velo.plan.logical;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.SqlPrinter;
import java.util.List;

/** WHERE: the input rows for which {@code condition} is true. */
public record Filter(LogicalNode input, Expr condition) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Filter(LogicalNode.only(inputs), condition);
    }

    @Override
    public String describe() {
        return "Filter " + SqlPrinter.print(condition);
    }
}
