package io.velo.exec.metrics;

/**
 * Counters of one job. Every input record ends in exactly one of: written (or consumed by an
 * aggregation), filtered out by WHERE/HAVING, failed (logged or dead-lettered), late, or beyond LIMIT
 * — so the counts add up to the input.
 */
public final class JobMetrics {
    public long recordsIn;
    public long recordsOut;
    public long failed;
    public long deadLettered;
    public long filtered;
    public long late;
    public long aggregated;
    public long skippedAfterLimit;
    public long batches;
    public long decimalPromotions;

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(recordsIn).append(" records read, ").append(recordsOut).append(" written");
        if (aggregated > 0) {
            sb.append(", ").append(aggregated).append(" aggregated");
        }
        if (filtered > 0) {
            sb.append(", ").append(filtered).append(" filtered out");
        }
        sb.append(", ").append(failed).append(" failed");
        if (deadLettered > 0) {
            sb.append(" (").append(deadLettered).append(" dead-lettered)");
        }
        if (late > 0) {
            sb.append(", ").append(late).append(" late");
        }
        if (skippedAfterLimit > 0) {
            sb.append(", ").append(skippedAfterLimit).append(" beyond LIMIT");
        }
        return sb.toString();
    }
}
