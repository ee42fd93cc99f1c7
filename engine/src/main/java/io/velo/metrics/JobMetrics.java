package io.velo.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one job. Every input record ends in exactly one of: written (or consumed by an
 * aggregation), filtered out by WHERE/HAVING, failed (logged or dead-lettered), late, or beyond LIMIT
 * — so the counts add up to the input.
 *
 * <p>Each counter has one writer at a time: the thread that reads the source counts records in (the
 * decode thread with {@code batch.parallel}), the operator thread counts where they end, and failures
 * are counted under the failure handler's lock from either. Other threads (progress, a server) read
 * while the job runs. So a counter is a plain field its writer increments with a release store, no
 * read-modify-write instruction on the per-record path, and readers load it with acquire: a reader
 * sees each count only grow, never torn. Because a record is counted in before it is counted
 * anywhere else, {@link #unaccounted()} (which loads the ends first) is never negative, and once the
 * job's threads have ended it is exact.
 */
public final class JobMetrics {
    private static final VarHandle RECORDS_IN = counter("recordsIn");
    private static final VarHandle RECORDS_OUT = counter("recordsOut");
    private static final VarHandle FAILED = counter("failed");
    private static final VarHandle FAILED_RESULTS = counter("failedResults");
    private static final VarHandle RESULT_ROWS_FILTERED = counter("resultRowsFiltered");
    private static final VarHandle DEAD_LETTERED = counter("deadLettered");
    private static final VarHandle FILTERED = counter("filtered");
    private static final VarHandle LATE = counter("late");
    private static final VarHandle AGGREGATED = counter("aggregated");
    private static final VarHandle SKIPPED_AFTER_LIMIT = counter("skippedAfterLimit");
    private static final VarHandle UNPROCESSED_AT_STOP = counter("unprocessedAtStop");
    private static final VarHandle UNWRITTEN = counter("unwritten");
    private static final VarHandle DISCARDED = counter("discarded");
    private static final VarHandle BATCHES = counter("batches");
    private static final VarHandle DECIMAL_PROMOTIONS = counter("decimalPromotions");
    private static final VarHandle UNMATCHED = counter("unmatched");
    private static final VarHandle JOINED = counter("joined");

    private static VarHandle counter(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(JobMetrics.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long recordsIn;
    private long recordsOut;
    private long failed;
    private long failedResults;
    private long resultRowsFiltered;
    private long deadLettered;
    private long filtered;
    private long late;
    private long aggregated;
    private long skippedAfterLimit;
    private long unprocessedAtStop;
    private long unwritten;
    private long discarded;
    private long batches;
    private long decimalPromotions;
    /** Stream rows an INNER join with a table dropped: their key was not in the table. */
    private long unmatched;
    /** Input records an interval join took (its output rows are results, counted apart from input records). */
    private long joined;
    /** What the job read besides its input (the tables it joins), by label: reported in the summary, not input records. */
    private final Map<String, java.util.function.Supplier<String>> parts = new LinkedHashMap<>();
    /** Time the runner spent pushing batches through the operators (sink writes included). */
    private long pipelineNanos;
    /** Time the sink operator spent in the sink's write (encoding and sending). */
    private long sinkNanos;
    /** Whether input records end in an aggregation (set at plan time, before the job's threads start). */
    private volatile boolean aggregating;
    /** Failures by error code, in the order first seen; guarded by itself. */
    private final Map<String, Long> failuresByCode = new LinkedHashMap<>();

    // ---- writers (each counter from its one writing thread at a time)

    public void addRecordsIn(long n) {
        RECORDS_IN.setRelease(this, recordsIn + n);
    }

    public void addRecordsOut(long n) {
        RECORDS_OUT.setRelease(this, recordsOut + n);
    }

    /** A failed input record with its error code (called under the failure handler's lock). */
    public void countFailure(String code) {
        synchronized (failuresByCode) {
            failuresByCode.merge(code, 1L, Long::sum);
        }
        FAILED.setRelease(this, failed + 1);
    }

    /** A result row of an aggregation that failed (it is no input record: counted apart). */
    public void countFailedResult() {
        FAILED_RESULTS.setRelease(this, failedResults + 1);
    }

    public void countDeadLettered() {
        DEAD_LETTERED.setRelease(this, deadLettered + 1);
    }

    public void addResultRowsFiltered(long n) {
        RESULT_ROWS_FILTERED.setRelease(this, resultRowsFiltered + n);
    }

    public void addFiltered(long n) {
        FILTERED.setRelease(this, filtered + n);
    }

    public void addLate(long n) {
        LATE.setRelease(this, late + n);
    }

    public void addAggregated(long n) {
        AGGREGATED.setRelease(this, aggregated + n);
    }

    /**
     * Moves the counts a worker of a parallel stage kept in its own shard (filtered, late, aggregated,
     * result rows filtered, decimal promotions) into these counters and zeroes the shard. Called by the
     * thread that writes these counters, while the worker is idle (after the stage's barrier), so each
     * counter keeps one writer.
     */
    public void absorb(JobMetrics shard) {
        addFiltered(shard.filtered);
        addLate(shard.late);
        addAggregated(shard.aggregated);
        addResultRowsFiltered(shard.resultRowsFiltered);
        addDecimalPromotions(shard.decimalPromotions);
        FILTERED.setRelease(shard, 0L);
        LATE.setRelease(shard, 0L);
        AGGREGATED.setRelease(shard, 0L);
        RESULT_ROWS_FILTERED.setRelease(shard, 0L);
        DECIMAL_PROMOTIONS.setRelease(shard, 0L);
    }

    /** Stream rows an INNER join dropped because the table has no row for their key (an end of an input record). */
    public void addUnmatched(long n) {
        UNMATCHED.setRelease(this, unmatched + n);
    }

    /** Input records an interval join took, whatever rows it wrote for them (an end of an input record). */
    public void addJoined(long n) {
        JOINED.setRelease(this, joined + n);
    }

    public long joined() {
        return (long) JOINED.getAcquire(this);
    }

    public long unmatched() {
        return (long) UNMATCHED.getAcquire(this);
    }

    /** Registers what something else the job reads (a joined table) reports, shown in the summary after the job's own counts. */
    public void addPart(String label, java.util.function.Supplier<String> report) {
        parts.put(label, report);
    }

    public void addSkippedAfterLimit(long n) {
        SKIPPED_AFTER_LIMIT.setRelease(this, skippedAfterLimit + n);
    }

    public void addUnprocessedAtStop(long n) {
        UNPROCESSED_AT_STOP.setRelease(this, unprocessedAtStop + n);
    }

    /** Rows a failed sink write did not take: their records are read again from the last commit (a replay). */
    public void addUnwritten(long n) {
        UNWRITTEN.setRelease(this, unwritten + n);
    }

    public long unwritten() {
        return (long) UNWRITTEN.getAcquire(this);
    }

    /** Records of a batch that failed (FailBatch): read, then dropped with their batch, nothing of it written. */
    public void addDiscarded(long n) {
        DISCARDED.setRelease(this, discarded + n);
    }

    public long discarded() {
        return (long) DISCARDED.getAcquire(this);
    }

    public void addPipelineNanos(long n) {
        pipelineNanos += n;
    }

    public void addSinkNanos(long n) {
        sinkNanos += n;
    }

    /** Nanoseconds in the operator chain, sink writes included (the runner's thread). */
    public long pipelineNanos() {
        return pipelineNanos;
    }

    /** Nanoseconds in the sink's write calls (encoding and handing to the client). */
    public long sinkNanos() {
        return sinkNanos;
    }

    public void addBatches(long n) {
        BATCHES.setRelease(this, batches + n);
    }

    public void addDecimalPromotions(long n) {
        DECIMAL_PROMOTIONS.setRelease(this, decimalPromotions + n);
    }

    /** Input records end in an aggregation (counted as aggregated, not written). */
    public void setAggregating() {
        aggregating = true;
    }

    // ---- readers (any thread)

    public long recordsIn() {
        return (long) RECORDS_IN.getAcquire(this);
    }

    public long recordsOut() {
        return (long) RECORDS_OUT.getAcquire(this);
    }

    /** Failed input records (logged or dead-lettered). */
    public long failed() {
        return (long) FAILED.getAcquire(this);
    }

    /** Result rows of an aggregation that failed (HAVING or SELECT expressions over aggregates). */
    public long failedResults() {
        return (long) FAILED_RESULTS.getAcquire(this);
    }

    /** Result rows of an aggregation that HAVING or DISTINCT filtered out. */
    public long resultRowsFiltered() {
        return (long) RESULT_ROWS_FILTERED.getAcquire(this);
    }

    public long deadLettered() {
        return (long) DEAD_LETTERED.getAcquire(this);
    }

    public long filtered() {
        return (long) FILTERED.getAcquire(this);
    }

    public long late() {
        return (long) LATE.getAcquire(this);
    }

    public long aggregated() {
        return (long) AGGREGATED.getAcquire(this);
    }

    public long skippedAfterLimit() {
        return (long) SKIPPED_AFTER_LIMIT.getAcquire(this);
    }

    /** Records a decode thread had read when the job stopped (LIMIT reached, SIGTERM): never processed. */
    public long unprocessedAtStop() {
        return (long) UNPROCESSED_AT_STOP.getAcquire(this);
    }

    public long batches() {
        return (long) BATCHES.getAcquire(this);
    }

    public long decimalPromotions() {
        return (long) DECIMAL_PROMOTIONS.getAcquire(this);
    }

    public boolean aggregating() {
        return aggregating;
    }

    /** Failures by error code, in the order first seen (a copy). */
    public Map<String, Long> failuresByCode() {
        synchronized (failuresByCode) {
            return new LinkedHashMap<>(failuresByCode);
        }
    }

    /**
     * Input records not accounted for: every record read must be written (or aggregated), filtered,
     * failed, late or beyond LIMIT. Non-zero at the end means a bug, and the job says so. While the
     * job runs it counts the records in flight: the ends are loaded before the input, so it is never
     * negative.
     */
    public long unaccounted() {
        long ends = (aggregating ? aggregated() + joined() + filtered() + failed() + late()
                : recordsOut() + filtered() + failed() + late() + skippedAfterLimit() + unwritten()) + unprocessedAtStop() + discarded()
                + unmatched();
        return recordsIn() - ends;
    }

    public String summary() {
        long failed = failed();
        long aggregated = aggregated();
        long filtered = filtered();
        long deadLettered = deadLettered();
        long resultRowsFiltered = resultRowsFiltered();
        long failedResults = failedResults();
        long late = late();
        long unprocessedAtStop = unprocessedAtStop();
        long skippedAfterLimit = skippedAfterLimit();
        long recordsOut = recordsOut();
        long recordsIn = recordsIn();
        StringBuilder sb = new StringBuilder();
        sb.append(recordsIn).append(" records read, ").append(recordsOut).append(" written");
        if (aggregated > 0) {
            sb.append(", ").append(aggregated).append(" aggregated");
        }
        long joinedRecords = joined();
        if (joinedRecords > 0) {
            sb.append(", ").append(joinedRecords).append(" joined");
        }
        if (filtered > 0) {
            sb.append(", ").append(filtered).append(" filtered out");
        }
        sb.append(", ").append(failed).append(" failed");
        if (deadLettered > 0) {
            sb.append(" (").append(deadLettered).append(" dead-lettered)");
        }
        Map<String, Long> byCode = failuresByCode();
        if (!byCode.isEmpty() && failed > 0) {
            StringBuilder codes = new StringBuilder();
            byCode.forEach((code, n) -> codes.append(codes.length() == 0 ? "" : ", ").append(code).append(" ×").append(n));
            sb.append(" [").append(codes).append(']');
        }
        long unmatchedRows = unmatched();
        if (unmatchedRows > 0) {
            sb.append(", ").append(unmatchedRows).append(" without a table match");
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
        long discardedRecords = discarded();
        if (discardedRecords > 0) {
            sb.append(", ").append(discardedRecords).append(" discarded with the failed batch");
        }
        long unwrittenRows = unwritten();
        if (unwrittenRows > 0) {
            sb.append(", ").append(unwrittenRows).append(" not written by a failed sink (read again)");
        }
        if (skippedAfterLimit > 0) {
            sb.append(", ").append(skippedAfterLimit).append(" beyond LIMIT");
        }
        parts.forEach((label, report) -> sb.append("; ").append(label).append(": ").append(report.get()));
        return sb.toString();
    }
}
