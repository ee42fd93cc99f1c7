package io.velo.failure;

/**
 * A failed record as the dead-letter queue stores it: original text, error and source position. A
 * record that is not valid text (bad UTF-8) also keeps its original bytes in {@code recordBytes}
 * ({@code record} then shows them with replacement characters). A record read from Kafka also keeps
 * its key bytes, topic and partition ({@code position} is its offset); otherwise those are null / -1.
 */
public record DeadLetter(String job, String source, long position, String record, String errorCode, String error,
                         long failedAtMillis, byte[] recordBytes, byte[] key, String topic, int partition) {
    public DeadLetter(String job, String source, long position, String record, String errorCode, String error, long failedAtMillis) {
        this(job, source, position, record, errorCode, error, failedAtMillis, null, null, null, -1);
    }

    public DeadLetter(String job, String source, long position, String record, String errorCode, String error, long failedAtMillis,
                      byte[] recordBytes) {
        this(job, source, position, record, errorCode, error, failedAtMillis, recordBytes, null, null, -1);
    }

    /** The record's original value bytes: as read (Kafka), or its text in UTF-8. */
    public byte[] valueBytes() {
        if (recordBytes != null) {
            return recordBytes;
        }
        return record == null ? null : record.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
