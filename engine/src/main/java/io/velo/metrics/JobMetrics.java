package io.velo.metrics;

/**
 * Counters of one job. Every input record ends in exactly one of: written (or consumed by an
 * aggregation), filtered out by WHERE/HAVING, failed (logged or dead-lettered), late, or beyond LIMIT
 * — so the counts add up to the input.
 */
public final class JobMetrics {
    public long recordsIn;
    public long recordsOut;
    public long failed;
    /** Result rows of an aggregation that failed (HAVING or SELECT expressions over aggregates). */
    public long failedResults;
    /** Result rows of an aggregation that HAVING or DISTINCT filtered out. */
    public long resultRowsFiltered;
    /** Whether input records end in an aggregation (then they are counted as aggregated, not written). */
    public boolean aggregating;
    /** Failures by error code, in the order first seen. */
    public final java.util.Map<String, Long> failuresByCode = new java.util.LinkedHashMap<>();
    public long deadLettered;
    public long filtered;
    public long late;
    public long aggregated;
    public long skippedAfterLimit;
    /** Records a decode thread had read when the job stopped (LIMIT reached, SIGTERM): never processed. */
    public long unprocessedAtStop;
    public long batches;
    public long decimalPromotions;

    /**
     * Input records not accounted for: every record read must be written (or aggregated), filtered,
     * failed, late or beyond LIMIT. Non-zero means a bug, and the job says so.
     */
    public long unaccounted() {
        long ends = (aggregating ? aggregated + filtered + failed + late
                : recordsOut + filtered + failed + late + skippedAfterLimit) + unprocessedAtStop;
        return recordsIn - ends;
    }

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
        if (!failuresByCode.isEmpty() && failed > 0) {
            StringBuilder codes = new StringBuilder();
            failuresByCode.forEach((code, n) -> codes.append(codes.length() == 0 ? "" : ", ").append(code).append(" ×").append(n));
            sb.append(" [").append(codes).append(']');
        }
        if (resultRowsFiltered > 0) {
            sb.append(", ").append(resultRowsFiltered).append(" result rows filtered");
        }
        if (failedResults > 0) {
            sb.append(", ").append(failedResults).append(" result rows failed");
        }
        if (late > 0) {
            sb.append(", ").append(late).append(" late");
        }
        if (unprocessedAtStop > 0) {
            sb.append(", ").append(unprocessedAtStop).append(" read ahead but not processed when the job stopped");
        }
        if (skippedAfterLimit > 0) {
            sb.append(", ").append(skippedAfterLimit).append(" beyond LIMIT");
        }
        return sb.toString();
    }
}
