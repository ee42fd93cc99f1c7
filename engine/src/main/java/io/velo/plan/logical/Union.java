package io.velo.plan.logical;

import java.util.List;

/**
 * {@code UNION ALL}: the rows of every input, each input a query of its own, into one output. Bounded
 * inputs are read one after the other, in order; unbounded ones in turn as their rows come.
 */
public record Union(List<LogicalNode> inputs, boolean bounded) implements LogicalNode {
    public Union {
        inputs = List.copyOf(inputs);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Union(inputs, bounded);
    }

    @Override
    public String describe() {
        return "Union All (" + inputs.size() + " branches, " + (bounded ? "each read to its end in turn" : "read as their rows come") + ")";
    }
}
