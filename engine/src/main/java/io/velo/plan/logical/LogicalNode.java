package io.velo.plan.logical;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A node of a query's logical plan: what the query computes, between the parsed statement and the
 * physical operators. Nodes are immutable; a rewrite returns a new tree. The planner builds the tree
 * from the AST ({@code io.velo.plan.LogicalPlanner}), compiles operators from it, annotates it with
 * what it decided on the way (connector descriptions, the parallel exchange, the state store, the
 * retraction gate) and renders the plan text from it ({@link PlanText}).
 *
 * <p>A single-input query is a chain: Sink ← Limit ← Sort ← Distinct ← Retract ← Project ← Having
 * ← Aggregate (or Analytic) ← Filter ← (Exchange ←) Scan, each node present only when the query needs it. A
 * {@link Join} has two inputs.
 */
public sealed interface LogicalNode permits Scan, Filter, Aggregate, Analytic, Having, Project, Retract, Distinct, Sort, Limit, Sink, Join,
        IntervalJoin, Exchange, Subquery, Derived, Union {
    /** The node's inputs, left to right (none for a scan). */
    List<LogicalNode> inputs();

    /** This node over other inputs (as many as {@link #inputs()}). */
    LogicalNode withInputs(List<LogicalNode> inputs);

    /** The line of plan text that describes this node alone. */
    String describe();

    /** Rewrites the tree bottom up: {@code f} sees each node after its inputs were rewritten. */
    default LogicalNode transformUp(UnaryOperator<LogicalNode> f) {
        List<LogicalNode> in = inputs();
        if (in.isEmpty()) {
            return f.apply(this);
        }
        List<LogicalNode> out = new ArrayList<>(in.size());
        boolean changed = false;
        for (LogicalNode i : in) {
            LogicalNode t = i.transformUp(f);
            changed |= t != i;
            out.add(t);
        }
        return f.apply(changed ? withInputs(out) : this);
    }

    /** The first node of {@code type} met going down the tree, left input first, or null. */
    default <T extends LogicalNode> T find(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        for (LogicalNode i : inputs()) {
            T t = i.find(type);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** The one input of a single-input node. */
    static LogicalNode only(List<LogicalNode> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("expected one input, got " + inputs.size());
        }
        return inputs.get(0);
    }
}
