package io.velo.plan.logical;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import java.util.List;

/**
 * GROUP BY {@code keys} (as written: a position such as {@code GROUP BY 1} is resolved when
 * compiled), optionally over a window, computing {@code calls} (the query's aggregate calls in the
 * order first met in SELECT then HAVING, each once by its text), emitting changes or final rows.
 * {@code state} says where the state is kept when the planner noted it, else null.
 */
public record Aggregate(LogicalNode input, List<Expr> keys, List<Expr.Call> calls, Query.WindowSpec window, Query.Emit emit,
                        String state) implements LogicalNode {
    public Aggregate {
        keys = List.copyOf(keys);
        calls = List.copyOf(calls);
    }

    /** This aggregation with a note of where its state is kept. */
    public Aggregate withState(String note) {
        return new Aggregate(input, keys, calls, window, emit, note);
    }

    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Aggregate(LogicalNode.only(inputs), keys, calls, window, emit, state);
    }

    @Override
    public String describe() {
        StringBuilder d = new StringBuilder("Aggregate");
        if (!keys.isEmpty()) {
            d.append(" GROUP BY ");
            for (int i = 0; i < keys.size(); i++) {
                d.append(i > 0 ? ", " : "").append(SqlPrinter.print(keys.get(i)));
            }
        }
        if (window != null) {
            d.append(" WINDOW ").append(window.kind()).append("(")
                    .append(window.kind() == Query.WindowKind.SESSION ? window.gap() : window.size()).append("ms")
                    .append(window.kind() == Query.WindowKind.SLIDING ? ", " + window.advance() + "ms" : "")
                    .append(window.timeColumn() != null ? " ON " + SqlPrinter.print(window.timeColumn()) : " ON _event_time")
                    .append(")");
        }
        d.append(" [");
        for (int i = 0; i < calls.size(); i++) {
            d.append(i > 0 ? ", " : "").append(SqlPrinter.print(calls.get(i)));
        }
        return d.append("] EMIT ").append(emit).toString();
    }
}
