package io.velo.failure;

/**
 * What the failure strategy decided for one failed record: the caller goes on either way, and the
 * runner acts on {@link #FAIL_BATCH} at the next batch boundary (aborting the transaction, or stopping
 * before anything of the batch is written), so no exception runs through the operators.
 */
public enum FailureAction {
    /** Logged with its position, counted, skipped (LogAndContinue; RetryWithBackoff for a bad record). */
    CONTINUE,
    /** Written to the dead-letter queue, counted (SendToDLQ). */
    DEAD_LETTERED,
    /** The batch fails (FailBatch): nothing of it may be written or committed, and the job stops. */
    FAIL_BATCH
}
