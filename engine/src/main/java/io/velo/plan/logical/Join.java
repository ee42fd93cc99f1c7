package io.velo.plan.logical;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import java.util.List;

/**
 * {@code left [kind] JOIN right ON condition [WITHIN …]}: two inputs. The planner has no operator
 * for it yet and refuses a plan containing one, at {@code pos} (the JOIN keyword).
 */
public record Join(LogicalNode left, LogicalNode right, Expr condition, Query.JoinType kind, Long withinMillis, Pos pos)
        implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(left, right);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("a join has two inputs, got " + inputs.size());
        }
        return new Join(inputs.get(0), inputs.get(1), condition, kind, withinMillis, pos);
    }

    @Override
    public String describe() {
        return kind + " Join" + (condition != null ? " ON " + SqlPrinter.print(condition) : "")
                + (withinMillis != null ? " WITHIN " + withinMillis + "ms" : "");
    }
}
