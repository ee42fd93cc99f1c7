package io.velo.plan.logical;

/**
 * The plan text of EXPLAIN and {@code velo check}, rendered from an annotated logical plan: the
 * statement kind and job name, the sink, each node below it one level deeper (a node's inputs one
 * level below it), then the job's batching, failure handling and, for Kafka jobs, delivery.
 */
public final class PlanText {
    private PlanText() {
    }

    /**
     * The job-wide lines under the tree.
     *
     * @param delivery the Kafka delivery guarantee, or null for a job without Kafka
     */
    public record JobNotes(String batching, String failures, String delivery) {
    }

    public static String render(String kind, String jobName, Sink root, JobNotes notes) {
        StringBuilder plan = new StringBuilder();
        plan.append(kind).append(' ').append(jobName).append('\n');
        plan.append("  ").append(root.describe()).append('\n');
        tree(plan, root.input(), "    ");
        plan.append("  Batching: ").append(notes.batching()).append('\n');
        plan.append("  Failures: ").append(notes.failures()).append('\n');
        if (notes.delivery() != null) {
            plan.append("  Delivery: ").append(notes.delivery()).append('\n');
        }
        return plan.toString();
    }

    /** {@code node} at {@code indent}, its inputs below it (a note of where an aggregation keeps its state takes a level of its own). */
    private static void tree(StringBuilder plan, LogicalNode node, String indent) {
        if (node instanceof Aggregate a && a.state() != null) {
            plan.append(indent).append("State: ").append(a.state()).append('\n');
            indent += "  ";
        }
        plan.append(indent).append(node.describe()).append('\n');
        for (LogicalNode in : node.inputs()) {
            tree(plan, in, indent + "  ");
        }
    }
}
