package io.velo.plan.logical;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.SqlPrinter;
import java.util.List;

/**
 * The analytic calls of the SELECT list ({@code f(…) OVER (…)}, each once by its text, in the order
 * first met), computed for every input row over the rows of its partition before the projection
 * reads them. {@code state} says what each partition keeps once the planner worked it out, else null.
 */
public record Analytic(LogicalNode input, List<Expr.Call> calls, String state) implements LogicalNode {
    public Analytic {
        calls = List.copyOf(calls);
    }

    /** This node with a note of what each partition keeps. */
    public Analytic withState(String note) {
        return new Analytic(input, calls, note);
    }

    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Analytic(LogicalNode.only(inputs), calls, state);
    }

    @Override
    public String describe() {
        StringBuilder d = new StringBuilder("Analytic [");
        for (int i = 0; i < calls.size(); i++) {
            d.append(i > 0 ? ", " : "").append(SqlPrinter.print(calls.get(i)));
        }
        d.append(']');
        return state == null ? d.toString() : d.append(" per partition: ").append(state).toString();
    }
}
