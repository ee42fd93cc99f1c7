package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.exec.Operator;
import io.velo.metrics.JobMetrics;
import io.velo.failure.FailureHandler;
import io.velo.types.Schema;

/**
 * A planned, validated job: its source and sink (not yet opened), the compiled operator chain, the
 * effective properties and the plan text that EXPLAIN and {@code velo check} print. A transactional
 * job commits its sink's transaction with the source positions; a stateful one checkpoints
 * {@code state} (the aggregation of any aggregating job, null otherwise) to {@code stateStore} at each
 * commit and restores it at start. {@code release} frees what the operators hold beyond the job (the
 * worker threads of a parallel stage); the runner calls it however the job ends. {@code inFlight} is
 * what the operators still hold of the batches already pushed (a parallel stage's workers keep whole
 * batches beyond push): the runner settles it before each commit and drops it before a replay.
 */
public record JobPlan(String name, String statementKind, Source source, Sink sink, Operator pipeline,
                      BatchPool sourcePool, BatchConfig batching, JobProperties properties, FailureHandler failures,
                      JobMetrics metrics, Schema outputSchema, String planText, boolean transactional,
                      io.velo.exec.state.Checkpointed state, io.velo.exec.state.StateStore stateStore, long commitIntervalMillis,
                      SinkRetry sinkRetry, Runnable release, io.velo.exec.InFlight inFlight) {
    /**
     * {@code RetryWithBackoff} for a sink that replays ({@code 'sink.failure_strategy'}): up to
     * {@code maxRetries} replays from the last commit, waiting {@code backoffMillis}, doubled each time.
     */
    public record SinkRetry(int maxRetries, long backoffMillis) { }

    /** The same job with another operator chain in front (a benchmark timing it). */
    public JobPlan withPipeline(Operator front) {
        return new JobPlan(name, statementKind, source, sink, front, sourcePool, batching, properties, failures, metrics, outputSchema,
                planText, transactional, state, stateStore, commitIntervalMillis, sinkRetry, release, inFlight);
    }
}
