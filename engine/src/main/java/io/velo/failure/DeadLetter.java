package io.velo.failure;

/** A failed record as the dead-letter queue stores it: original bytes/text, error and source position. */
public record DeadLetter(String job, String source, long position, String record, String errorCode, String error, long failedAtMillis) {
}
