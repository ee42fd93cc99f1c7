package io.velo.failure;

import io.velo.metrics.JobMetrics;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Applies a job's failure strategy to one failed record and returns its decision
 * ({@link FailureAction}). LogAndContinue logs the record with its position and counts it; SendToDLQ
 * writes it to the dead-letter writer (and counts it); FailBatch records the failure
 * ({@link #batchFailure}) for the runner, which stops before anything of the batch is written and
 * aborts the transaction — nothing is thrown through the operators. Once a batch has failed, later
 * errors of it are neither counted nor logged (the batch is not processed). Record errors are not
 * transient, so RetryWithBackoff (which retries sink writes) treats a bad record like LogAndContinue.
 */
public final class FailureHandler {
    private static final int MAX_LOGGED = 100;

    private final String job;
    private final FailureStrategy strategy;
    private final DeadLetterWriter dlq;
    private final PrintStream log;
    private final JobMetrics metrics;
    private long logged;
    /** The first FailBatch failure (read by the runner, possibly on another thread than the decoder's). */
    private volatile String batchFailure;

    public FailureHandler(String job, FailureStrategy strategy, DeadLetterWriter dlq, PrintStream log, JobMetrics metrics) {
        this.job = job;
        this.strategy = strategy;
        this.dlq = dlq;
        this.log = log;
        this.metrics = metrics;
    }

    public FailureStrategy strategy() {
        return strategy;
    }

    /** @param raw the record's original text, or its bytes (a byte[]) when they are not valid text */
    public synchronized FailureAction onRecordError(String source, long position, Object raw, String code, String message) {
        return onError(source, position, raw, code, message, false);
    }

    /** A record error whose position reads {@code where} in the log (Kafka: {@code topic/partition@offset}). */
    public synchronized FailureAction onRecordErrorAt(String where, String source, long position, Object raw, String code, String message) {
        return onError(where, source, position, raw, code, message, false);
    }

    /**
     * A record read from Kafka failed: logged {@code topic/partition@offset}; a dead letter keeps its
     * key and value bytes and its position.
     */
    public synchronized FailureAction onKafkaRecordError(String topic, int partition, long offset, Object key, Object raw, String code, String message) {
        if (batchFailure != null) {
            return FailureAction.FAIL_BATCH;
        }
        String source = topic + "/" + partition;
        metrics.countFailure(code);
        return act(source + "@" + offset, source, offset, raw, code, message, keyBytes(key), topic, partition);
    }

    private static byte[] keyBytes(Object key) {
        return key instanceof byte[] b ? b : key == null ? null : key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A result row of an aggregation failed (it is no input record: counted apart). */
    public synchronized FailureAction onResultError(String source, long position, Object raw, String code, String message) {
        return onError(source, position, raw, code, message, true);
    }

    private FailureAction onError(String source, long position, Object raw, String code, String message, boolean result) {
        return onError(source + ":" + position, source, position, raw, code, message, result);
    }

    private FailureAction onError(String where, String source, long position, Object raw, String code, String message, boolean result) {
        if (batchFailure != null) {
            return FailureAction.FAIL_BATCH;
        }
        if (result) {
            metrics.countFailedResult();
        } else {
            metrics.countFailure(code);
        }
        return act(where, source, position, raw, code, message, null, null, -1);
    }

    private FailureAction act(String where, String source, long position, Object raw, String code, String message, byte[] key, String topic, int partition) {
        switch (strategy) {
            case FAIL_BATCH:
                batchFailure = where + ": error " + code + ": " + message + " (failure_strategy FailBatch)";
                return FailureAction.FAIL_BATCH;
            case SEND_TO_DLQ:
                deadLetter(source, position, raw, code, message, key, topic, partition);
                return FailureAction.DEAD_LETTERED;
            default:
                if (logged++ < MAX_LOGGED) {
                    log.println(where + ": error " + code + ": " + message + " (record skipped)");
                } else if (logged == MAX_LOGGED + 1) {
                    log.println("… more failed records are counted but not logged");
                }
                return FailureAction.CONTINUE;
        }
    }

    /** The FailBatch failure of the current batch, or null: the runner stops and aborts on it. */
    public String batchFailure() {
        return batchFailure;
    }

    /** A late record under {@code late.data.strategy = dead_letter}: straight to the dead-letter queue. */
    public synchronized void onLate(String source, long position, Object raw, String message) {
        if (dlq != null) {
            deadLetter(source, position, raw, RecordError.LATE_RECORD, message, null, null, -1);
        }
    }

    /** A late record of a Kafka source under {@code late.data.strategy = dead_letter}. */
    public synchronized void onKafkaLate(String topic, int partition, long offset, Object key, Object raw, String message) {
        if (dlq != null) {
            deadLetter(topic + "/" + partition, offset, raw, RecordError.LATE_RECORD, message, keyBytes(key), topic, partition);
        }
    }

    private void deadLetter(String source, long position, Object raw, String code, String message, byte[] key, String topic, int partition) {
        try {
            byte[] bytes = raw instanceof byte[] b ? b : null;
            String text = bytes != null ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : raw == null ? null : raw.toString();
            dlq.write(new DeadLetter(job, source, position, text, code, message, System.currentTimeMillis(), bytes, key, topic, partition));
            metrics.countDeadLettered();
        } catch (IOException e) {
            throw dlqFailure(e);
        }
    }

    private static JobFailedException dlqFailure(IOException e) {
        return new JobFailedException("cannot write to the dead-letter queue: " + e.getMessage(), e);
    }

    /** Writes one line about the job's handling of a failure (a retry) to the job's log. */
    public synchronized void note(String line) {
        log.println(line);
    }

    /** The dead-letter writer (null without SendToDLQ or dead-lettered late records). */
    public DeadLetterWriter deadLetters() {
        return dlq;
    }

    public synchronized void flush() {
        if (dlq != null) {
            try {
                dlq.flush();
            } catch (IOException e) {
                throw dlqFailure(e);
            }
        }
    }

    public void close() {
        if (dlq != null) {
            try {
                dlq.close();
            } catch (IOException e) {
                throw dlqFailure(e);
            }
        }
    }
}
