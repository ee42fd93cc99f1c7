package io.velo.codec;

/**
 * CSV: on Kafka one record per message without a header, cells by position; in files with an
 * optional header row ({@code has_headers}). {@code delimiter} for both.
 */
final class CsvFormat implements Format {
    @Override
    public String name() {
        return "csv";
    }

    @Override
    public boolean text() {
        return true;
    }

    @Override
    public BytesDecoder decoder(FormatContext c) {
        return new CsvDecoder(c.schema(), c.delimiter(), null, c.fields());
    }

    @Override
    public BytesEncoder encoder(FormatContext c) {
        return new TextBytesEncoder(textEncoder(c, false));
    }

    @Override
    public Encoder textEncoder(FormatContext c, boolean fileHeader) {
        return new CsvEncoder(c.schema(), c.delimiter(), fileHeader && c.props().bool(c.connector() + ".has_headers", true))
                .retractions(c.retractions());
    }
}
