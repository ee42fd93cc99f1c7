package io.velo.codec;

import io.velo.batch.RecordBatch;

/** Encodes row {@code row} of a batch as one line of text (without the newline) onto {@code out}. */
public interface Encoder {
    void encode(RecordBatch batch, int row, StringBuilder out);

    /** A header line written once at the start of a file, or null. */
    default String header() {
        return null;
    }
}
