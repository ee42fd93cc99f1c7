package io.velo.codec;

/** One JSON object per message or line; decimals as strings keeping their scale unless {@code decimal.encoding = number}. */
final class JsonFormat implements Format {
    @Override
    public String name() {
        return "json";
    }

    @Override
    public boolean text() {
        return true;
    }

    @Override
    public BytesDecoder decoder(FormatContext c) {
        return new JsonDecoder(c.schema(), c.fields());
    }

    @Override
    public BytesEncoder encoder(FormatContext c) {
        return new TextBytesEncoder(textEncoder(c, false));
    }

    @Override
    public Encoder textEncoder(FormatContext c, boolean fileHeader) {
        return new JsonEncoder(c.schema(), c.get("decimal.encoding", "string").equalsIgnoreCase("number")).retractions(c.retractions());
    }
}
