package io.velo.runtime;

import io.velo.batch.RecordBatch;
import io.velo.config.BatchConfig;
import io.velo.connector.spi.Source;
import io.velo.failure.JobFailedException;
import io.velo.plan.JobPlan;
import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives one job: source → pooled batch → operator chain → sink, until a bounded source is exhausted,
 * LIMIT is reached, {@code maxRecords} have been read (exactly: the source stops there, see
 * {@link Source#limitTotal}), an unbounded source has been idle for {@code untilIdleMillis} (after one
 * last poll for what it held back, see {@link Source#releaseHeldBack}), or {@link #stop()} is called
 * (SIGINT/SIGTERM). Always finishes the chain
 * (closing windows, flushing sinks) before returning, also when it stops early.
 *
 * <p>With {@code batch.parallel} a second thread decodes the next batches while the operators run
 * (two batches in flight). With {@code adaptive_size} the records per batch follow the measured
 * processing time towards {@code batch.target_latency}.
 */
public final class JobRunner {
    private static final RecordBatch END = RecordBatch.view(new io.velo.types.Schema(java.util.List.of()));

    private final JobPlan plan;
    private final long maxRecords;
    private final long untilIdleMillis;
    private final PrintStream progress;
    private volatile boolean stopRequested;
    private volatile Throwable decodeFailure;
    /** Records of batches the decode thread read that were dropped at stop (counted on either thread). */
    private final java.util.concurrent.atomic.AtomicLong readAheadDropped = new java.util.concurrent.atomic.AtomicLong();
    private int adaptiveLimit;

    public JobRunner(JobPlan plan, long maxRecords, long untilIdleMillis, PrintStream progress) {
        this.plan = plan;
        this.maxRecords = maxRecords;
        this.untilIdleMillis = untilIdleMillis;
        this.progress = progress;
    }

    public void stop() {
        stopRequested = true;
    }

    public void run() {
        if (plan.source() == null || plan.sink() == null) {
            throw new JobFailedException("job " + plan.name() + " has no source or sink to run");
        }
        var source = plan.source();
        var sink = plan.sink();
        boolean sinkOpen = false;
        boolean sourceOpen = false;
        adaptiveLimit = plan.batching().maxRecords();
        boolean committed = false;
        try {
            if (plan.state() != null) {
                source.readAlone("GROUP BY / window state");
            }
            source.open(); // first: a source that cannot be read (a bad CSV header) fails before the sink is created
            sourceOpen = true;
            if (maxRecords > 0) {
                source.limitTotal(maxRecords);
            }
            sink.open();
            sinkOpen = true;
            if (plan.stateStore() != null) {
                // after the sink's initTransactions: what a killed instance left open is aborted, so this reads what it committed
                plan.state().restore(plan.stateStore().readAll());
            }
            if (plan.transactional()) {
                sink.beginTransaction();
            }
            boolean decodeThread = plan.batching().parallel() && !source.feedsOperators();
            if (!decodeThread) {
                source.onHandOver(this::handOver);
            }
            if (decodeThread) {
                runWithDecodeThread(source);
            } else {
                runSequential(source);
            }
            if (!keepsStateAcrossRuns()) {
                plan.pipeline().finish();
                failIfBatchFailed(); // a result row that failed as windows closed
            }
            plan.failures().flush();
            if (plan.metrics().unprocessedAtStop() == 0) {
                commit(false); // everything read has reached the sink, which finish() flushed
                committed = true;
            }
        } catch (RuntimeException | Error e) {
            if (plan.transactional() && sinkOpen) {
                sink.abortTransaction(); // FailBatch or a fault: nothing since the last commit becomes visible
            }
            throw e;
        } finally {
            try {
                if (sourceOpen) {
                    source.close();
                }
            } finally {
                try {
                    if (sinkOpen) {
                        if (plan.transactional() && !committed) {
                            sink.abortTransaction();
                        }
                        sink.close();
                    }
                } finally {
                    plan.release().run();
                    plan.failures().close();
                    if (progress != null) {
                        progress.print("\r");
                        progress.flush();
                    }
                }
            }
        }
    }

    /**
     * Acts on a FailBatch decision ({@link io.velo.failure.FailureAction#FAIL_BATCH}): the sink wrote
     * nothing of the batch, and the job stops here — after aborting its transaction (see {@link #run}),
     * so nothing since the last commit becomes visible, and without committing the source.
     */
    private void failIfBatchFailed() {
        String failure = plan.failures().batchFailure();
        if (failure != null) {
            long open = plan.metrics().unaccounted();
            if (open > 0) {
                plan.metrics().addDiscarded(open); // read since, and dropped with the batch: the books still balance
            }
            throw new JobFailedException(failure);
        }
    }

    /**
     * A transactional stateful job over an unbounded source keeps its open windows and groups when it
     * stops: they are in its changelog, and the next run continues them. Closing them at a stop would
     * emit windows that more records will still reach.
     */
    private boolean keepsStateAcrossRuns() {
        return plan.stateStore() != null && !plan.source().bounded();
    }

    /**
     * Makes what was processed so far durable. At-least-once: flush the sink and the dead letters, then
     * commit the source's positions. Transactional: checkpoint the state into the changelog, send the
     * dead letters, and commit the transaction with the source's positions in it; then (unless this is
     * the last commit) begin the next one.
     */
    private void commit(boolean more) {
        Source source = plan.source();
        if (plan.transactional()) {
            processHeld(source); // rows the source read and holds back are in the positions this commit covers
        }
        plan.inFlight().settle(); // what the operators still process of the batches pushed so far reaches the sink first
        if (plan.transactional()) {
            if (plan.stateStore() != null) {
                plan.state().checkpoint(plan.stateStore().log());
            }
            plan.failures().flush();
            plan.sink().commitTransaction(source.positions());
            source.committed();
            if (more) {
                plan.sink().beginTransaction();
            }
        } else {
            if (plan.stateStore() != null) {
                plan.state().checkpoint(plan.stateStore().log()); // sent on the sink's producer: the flush below makes it durable
            }
            plan.sink().flush();
            plan.failures().flush();
            if (plan.state() == null || plan.stateStore() != null || source.bounded()) {
                source.commit(); // an aggregation whose state lives only in memory never commits: a restart recomputes
            }
        }
        lastCommit = System.currentTimeMillis();
        readAtCommit = plan.metrics().recordsIn();
        replays = 0;
    }

    /**
     * The source gives up input to another instance (a rebalance): commit what was processed, so the
     * next owner starts right after it. An at-least-once aggregation holds its results in memory, so
     * it commits nothing here (the next owner repeats those records).
     */
    private void handOver() {
        if (plan.transactional() || plan.stateStore() != null || !plan.metrics().aggregating()) {
            commit(true);
        }
    }

    private void runSequential(Source source) {
        var metrics = plan.metrics();
        long started = System.currentTimeMillis();
        long lastData = started;
        long lastProgress = started;
        boolean finalPoll = false;
        while (!stopRequested) {
            RecordBatch batch = plan.sourcePool().acquire();
            batch.retainable = true; // released below and not changed before: a parallel stage may keep it beyond push
            boolean more;
            try {
                long before = metrics.recordsIn();
                more = source.poll(batch);
                failIfBatchFailed();
                if (batch.size > 0) {
                    process(batch, source);
                    failIfBatchFailed();
                }
                commitIfDue(source);
                if (metrics.recordsIn() > before) {
                    lastData = System.currentTimeMillis();
                    behindWaits = 0;
                }
            } catch (io.velo.failure.SinkUnavailableException e) {
                replayOrThrow(e);
                lastData = System.currentTimeMillis();
                continue;
            } finally {
                batch.release();
            }
            if (!more || finalPoll || plan.pipeline().done() || (maxRecords > 0 && metrics.recordsIn() - readAgain >= maxRecords)) {
                break;
            }
            long now = System.currentTimeMillis();
            if (!source.bounded()) {
                if (untilIdleMillis > 0 && now - lastData >= untilIdleMillis) {
                    if (waitOnBehind(source)) {
                        lastData = now;
                        continue;
                    }
                    finalPoll = source.releaseHeldBack();
                    if (finalPoll) {
                        continue;
                    }
                    break;
                }
                if (now - lastData > 50) {
                    sleep(20);
                }
            }
            lastProgress = showProgress(now, started, lastProgress);
        }
    }

    /**
     * How many more idle periods an idle end waits while the source reports records waiting: a quiet
     * spell of the job's own making (a commit slowed by a loaded broker, fetches that came back empty)
     * must not end it with input unread; a lag that never drains ends it anyway.
     */
    private static final int BEHIND_WAITS = 5;
    private int behindWaits;

    /** The input has been idle for the idle period: whether to wait on, since the source has records waiting. */
    private boolean waitOnBehind(Source source) {
        if (behindWaits >= BEHIND_WAITS || !source.behind()) {
            return false;
        }
        behindWaits++;
        plan.failures().note("input quiet for " + untilIdleMillis + " ms with records still waiting to be read: waiting on ("
                + behindWaits + " of " + BEHIND_WAITS + ")");
        return true;
    }

    private long lastCommit = System.currentTimeMillis();
    /** Records read since the last commit (replayed records are read twice). */
    private long readAtCommit;
    /** Records read again after replays: --max-records counts each record once. */
    private long readAgain;
    private int replays;

    /**
     * RetryWithBackoff for a sink outage ({@code 'sink.failure_strategy'}): the sink drops what is
     * pending (its transaction aborts), the source goes back to the last commit, and the job replays
     * from there after a backoff that doubles each time — up to {@code max_retries} times, then the
     * failure stands. A transactional job replays exactly once; an at-least-once job may repeat rows.
     * A stateful job does not replay (its state would have to go back too): its failure stands, and a
     * restart resumes from the changelog.
     */
    private void replayOrThrow(io.velo.failure.SinkUnavailableException e) {
        JobPlan.SinkRetry retry = plan.sinkRetry();
        if (retry == null || plan.state() != null) {
            throw e;
        }
        plan.inFlight().drop(); // output of the transaction being given up: the replay reads those records again
        while (replays < retry.maxRetries()) {
            replays++;
            long wait = retry.backoffMillis() << Math.min(20, replays - 1);
            plan.failures().note(e.getMessage() + "; replaying from the last commit in " + wait + " ms (retry " + replays + " of "
                    + retry.maxRetries() + ", RetryWithBackoff)");
            sleep(wait);
            if (plan.sink().recover() && plan.source().rewind()) {
                long read = plan.metrics().recordsIn();
                readAgain += read - readAtCommit;
                readAtCommit = read;
                if (plan.transactional()) {
                    plan.sink().beginTransaction();
                }
                return;
            }
        }
        throw e;
    }

    /**
     * Unbounded sources commit every {@code 'commit.interval'} (default 1 s): at-least-once flushes the
     * sink (and the dead letters) and then commits the source's positions, so a committed record's
     * results are durable; an at-least-once aggregation holds results in memory until it emits them,
     * so it commits at the end only. A transactional job commits its transaction (with its state).
     */
    private void commitIfDue(Source source) {
        long now = System.currentTimeMillis();
        if (source.bounded() || (plan.metrics().aggregating() && plan.stateStore() == null) || now - lastCommit < plan.commitIntervalMillis()) {
            return;
        }
        commit(true);
    }

    /** Processes every row the source holds back ({@link Source#pollHeld}). */
    private void processHeld(Source source) {
        while (true) {
            RecordBatch batch = plan.sourcePool().acquire();
            batch.retainable = true; // as in the main loop: a parallel stage may keep it beyond push
            try {
                if (!source.pollHeld(batch)) {
                    return;
                }
                if (batch.size > 0) {
                    process(batch, source);
                    failIfBatchFailed();
                }
            } finally {
                batch.release();
            }
        }
    }

    /** Pushes one batch through the operators, timing it for adaptive batching. */
    private void process(RecordBatch batch, Source source) {
        plan.metrics().addBatches(1);
        BatchConfig b = plan.batching();
        long t0 = System.nanoTime();
        plan.pipeline().push(batch);
        long took = System.nanoTime() - t0;
        plan.metrics().addPipelineNanos(took);
        if (b.targetLatencyMillis() <= 0) {
            return;
        }
        long tookMillis = took / 1_000_000;
        if (tookMillis > b.targetLatencyMillis() && adaptiveLimit > b.minRecords()) {
            adaptiveLimit = Math.max(b.minRecords(), adaptiveLimit * 4 / 5);
            source.limitRecords(adaptiveLimit);
        } else if (tookMillis * 2 < b.targetLatencyMillis() && adaptiveLimit < b.maxRecords()) {
            adaptiveLimit = Math.min(b.maxRecords(), Math.max(adaptiveLimit + 1, adaptiveLimit * 5 / 4));
            source.limitRecords(adaptiveLimit);
        }
    }

    private void runWithDecodeThread(Source source) {
        var metrics = plan.metrics();
        BlockingQueue<RecordBatch> ready = new ArrayBlockingQueue<>(2);
        Thread decoder = new Thread(() -> decodeLoop(source, ready), "velo-decode-" + plan.name());
        decoder.setDaemon(true);
        decoder.start();
        long started = System.currentTimeMillis();
        long lastProgress = started;
        try {
            while (true) {
                RecordBatch batch = ready.poll(100, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    if (stopRequested) {
                        break;
                    }
                    continue;
                }
                if (batch == END) {
                    break;
                }
                try {
                    failIfBatchFailed();
                    process(batch, source);
                    failIfBatchFailed();
                } finally {
                    batch.release();
                }
                if (plan.pipeline().done()) {
                    break;
                }
                lastProgress = showProgress(System.currentTimeMillis(), started, lastProgress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopRequested = true;
            RecordBatch queued;
            while ((queued = ready.poll()) != null) {
                if (queued != END) {
                    readAheadDropped.addAndGet(queued.size);
                    queued.release();
                }
            }
            try {
                decoder.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RecordBatch left;
            while ((left = ready.poll()) != null) {
                if (left != END) {
                    metrics.addUnprocessedAtStop(left.size);
                    left.release();
                }
            }
            metrics.addUnprocessedAtStop(readAheadDropped.get()); // the decode thread has ended: its count is final
        }
        if (decodeFailure instanceof RuntimeException re) {
            throw re;
        }
        if (decodeFailure != null) {
            throw new JobFailedException("decoding failed: " + decodeFailure, decodeFailure);
        }
    }

    private void decodeLoop(Source source, BlockingQueue<RecordBatch> ready) {
        var metrics = plan.metrics();
        long lastData = System.currentTimeMillis();
        boolean finalPoll = false;
        try {
            while (!stopRequested) {
                RecordBatch batch = plan.sourcePool().acquire();
                batch.retainable = true; // released by the processing thread once pushed, not changed before
                long before = metrics.recordsIn();
                boolean more = source.poll(batch);
                if (batch.size > 0) {
                    while (!ready.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                        if (stopRequested) {
                            readAheadDropped.addAndGet(batch.size);
                            batch.release();
                            return;
                        }
                    }
                } else {
                    batch.release();
                }
                long now = System.currentTimeMillis();
                if (metrics.recordsIn() > before) {
                    lastData = now;
                    behindWaits = 0;
                }
                if (!more || finalPoll || (maxRecords > 0 && metrics.recordsIn() >= maxRecords)) {
                    return;
                }
                if (!source.bounded()) {
                    if (untilIdleMillis > 0 && now - lastData >= untilIdleMillis) {
                        if (waitOnBehind(source)) {
                            lastData = now;
                            continue;
                        }
                        finalPoll = source.releaseHeldBack();
                        if (finalPoll) {
                            continue;
                        }
                        return;
                    }
                    if (now - lastData > 50) {
                        sleep(20);
                    }
                }
            }
        } catch (Throwable t) {
            decodeFailure = t;
        } finally {
            try {
                while (!ready.offer(END, 50, TimeUnit.MILLISECONDS)) {
                    if (stopRequested) {
                        RecordBatch queued;
                        while ((queued = ready.poll()) != null) {
                            if (queued != END) {
                                readAheadDropped.addAndGet(queued.size);
                                queued.release();
                            }
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long showProgress(long now, long started, long lastProgress) {
        if (progress == null || now - lastProgress < 1000) {
            return lastProgress;
        }
        var m = plan.metrics();
        double secs = Math.max(0.001, (now - started) / 1000.0);
        double rate = m.recordsIn() / secs;
        String eta = "";
        double done = plan.source().progress();
        if (done > 0 && done < 1) {
            eta = String.format(", ETA %ds", Math.round(secs * (1 - done) / done));
        }
        progress.printf("\r%s: %,d records read, %,d written, %,.0f rec/s%s   ", plan.name(), m.recordsIn(), m.recordsOut(), rate, eta);
        progress.flush();
        return now;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
