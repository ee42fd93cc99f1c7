package io.velo.plan.logical;

import io.velo.sql.ast.Pos;
import io.velo.types.Schema;
import java.util.List;

/**
 * {@code FROM (SELECT … FROM s …) AS alias}: the inner query's plan (its Project over its Filter over
 * the stream), whose rows, of {@code schema}, the outer query reads under {@code alias}.
 */
public record Derived(LogicalNode input, String alias, Pos pos, Schema schema) implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Derived(LogicalNode.only(inputs), alias, pos, schema);
    }

    @Override
    public String describe() {
        return "Subquery AS " + alias + " [" + schema + "]";
    }
}
