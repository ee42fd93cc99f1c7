package io.velo.codec;

import io.velo.batch.RecordBatch;

/**
 * A text format's {@link Encoder} writing bytes: the row's text goes into one reused StringBuilder and
 * from there as UTF-8 into the message buffer — no String per record, and one encoding logic per
 * format for files and Kafka alike.
 */
public final class TextBytesEncoder implements BytesEncoder {
    private final Encoder text;
    private final StringBuilder scratch = new StringBuilder(256);

    public TextBytesEncoder(Encoder text) {
        this.text = text;
    }

    @Override
    public void encode(RecordBatch batch, int row, OutputBuffer out) {
        scratch.setLength(0);
        text.encode(batch, row, scratch);
        Utf8.encode(scratch, out);
    }
}
