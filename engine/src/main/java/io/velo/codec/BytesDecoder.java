package io.velo.codec;

import io.velo.batch.RecordBatch;

/**
 * Decodes one message, the bytes {@code buf[off, off + len)}, straight into row {@code row} of a pooled
 * batch (no String or message object per record). A message that cannot be decoded throws
 * {@link io.velo.failure.RecordError}; the caller positions it and hands it to the failure strategy.
 */
public interface BytesDecoder {
    void decode(byte[] buf, int off, int len, RecordBatch batch, int row);
}
