package io.velo.plan.logical;

import java.util.List;

/**
 * Where the rows of the input are shared out among the worker threads that run the nodes above it
 * (up to the projection): cut into ranges (stateless), or by hash of the GROUP BY key, the watermark
 * then assigned here. With one worker it records why the query runs on one thread
 * ({@code serialReason}), and a plan shows it only when {@code 'parallelism'} was set.
 */
public record Exchange(LogicalNode input, int workers, boolean byKey, boolean watermark, String serialReason)
        implements LogicalNode {
    @Override
    public List<LogicalNode> inputs() {
        return List.of(input);
    }

    @Override
    public LogicalNode withInputs(List<LogicalNode> inputs) {
        return new Exchange(LogicalNode.only(inputs), workers, byKey, watermark, serialReason);
    }

    @Override
    public String describe() {
        if (workers <= 1) {
            return "Parallel: one thread (" + serialReason + ")";
        }
        return "Parallel: " + workers + " workers, " + (byKey
                ? "rows by hash of the GROUP BY key (each worker owns its keys' state)" + (watermark ? ", watermark assigned here" : "")
                : "each batch's rows cut into ranges, output kept in order");
    }
}
