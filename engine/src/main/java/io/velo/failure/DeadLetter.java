package io.velo.failure;

/**
 * A failed record as the dead-letter queue stores it: original text, error and source position. A
 * record that is not valid text (bad UTF-8) also keeps its original bytes in {@code recordBytes}
 * ({@code record} then shows them with replacement characters).
 */
public record DeadLetter(String job, String source, long position, String record, String errorCode, String error,
                         long failedAtMillis, byte[] recordBytes) {
    public DeadLetter(String job, String source, long position, String record, String errorCode, String error, long failedAtMillis) {
        this(job, source, position, record, errorCode, error, failedAtMillis, null);
    }
}
