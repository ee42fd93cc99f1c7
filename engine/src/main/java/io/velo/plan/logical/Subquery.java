package io.velo.plan.logical;

import java.util.List;

/**
 * A subquery over a keyed table that an expression of the node above it reads (a scalar subquery,
 * {@code IN (SELECT …)}, {@code EXISTS (SELECT …)}): its inputs are the rows it is evaluated for and
 * the table's scan; {@code access} says how it reads the table (a key lookup, a scan per row, or one
 * result per version of the table). Only the plan text has it: the expression's evaluator does the work.
 */
public record Subquery(LogicalNode input, Scan table, String text, String access) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input, table);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        if (inputs.size() != 2 || !(inputs.get(1) instanceof Scan s)) {
            throw new IllegalArgumentException("a subquery has its input and its table's scan");
        }
        return new Subquery(inputs.get(0), s, text, access);
    }

    @Override
    public String describe() {
        return "Subquery " + text + ": " + access;
    }
}
