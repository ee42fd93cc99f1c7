package io.velo.failure;

/** The job cannot go on (FailBatch on a bad record, an unwritable sink, a missing input). */
public class JobFailedException extends RuntimeException {
    public JobFailedException(String message) {
        super(message);
    }

    public JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
