package io.velo.failure;

/**
 * A sink could not take or make durable what it was given (a broker that does not answer, a send the
 * producer gave up on): a transient failure that {@code RetryWithBackoff} retries by replaying from
 * the last commit. Faults that a retry cannot cure (another instance took over the transactional id,
 * a value the format cannot hold) are plain {@link JobFailedException}s.
 */
public final class SinkUnavailableException extends JobFailedException {
    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
