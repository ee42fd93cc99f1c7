package io.velo.codec;

import io.velo.batch.RecordBatch;

/** Decodes one input record (a line of text) into row {@code row} of a batch; throws RecordError. */
public interface Decoder {
    void decode(String line, RecordBatch batch, int row);
}
