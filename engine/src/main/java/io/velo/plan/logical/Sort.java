package io.velo.plan.logical;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.SqlPrinter;
import java.util.List;

/** ORDER BY over the output columns (a position such as {@code ORDER BY 2} names one); needs a bounded input. */
public record Sort(LogicalNode input, List<Expr.OrderItem> keys) implements LogicalNode {
    public Sort {
        keys = List.copyOf(keys);
    }

    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Sort(LogicalNode.only(inputs), keys);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Sort ");
        for (int i = 0; i < keys.size(); i++) {
            Expr.OrderItem it = keys.get(i);
            sb.append(i > 0 ? ", " : "").append(SqlPrinter.print(it.expr())).append(it.descending() ? " DESC" : "");
        }
        return sb.toString();
    }
}
