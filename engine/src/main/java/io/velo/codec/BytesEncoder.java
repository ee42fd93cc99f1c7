package io.velo.codec;

import io.velo.batch.RecordBatch;

/**
 * Encodes row {@code row} of a batch as one message appended to {@code out} (the caller clears it per
 * message). A value the target schema cannot hold throws {@link io.velo.failure.JobFailedException}:
 * the sink's schema does not fit the job's data, which no retry or skip repairs.
 */
public interface BytesEncoder {
    void encode(RecordBatch batch, int row, OutputBuffer out);
}
