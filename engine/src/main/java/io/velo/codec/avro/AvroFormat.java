package io.velo.codec.avro;

import io.velo.codec.BytesDecoder;
import io.velo.codec.BytesEncoder;
import io.velo.codec.Format;
import io.velo.codec.FormatContext;
import io.velo.types.Schema;

/**
 * {@code 'format' = 'avro'}: one record datum per message. The schema is {@code '<n>.avro.schema'} —
 * Avro JSON inline, or an {@code .avsc} path relative to the SQL file; a source needs it, a sink
 * derives one from its columns when it is not given. {@code '<n>.avro.framing'}:
 * {@code single_object} (default: {@code C3 01} + schema fingerprint + datum, so data written with
 * another schema is detected) or {@code binary} (bare datums).
 */
public final class AvroFormat implements Format {
    @Override
    public String name() {
        return "avro";
    }

    @Override
    public boolean text() {
        return false;
    }

    @Override
    public Schema columns(FormatContext c) {
        org.apache.avro.Schema s = AvroSchemas.configured(c);
        return s == null ? null : AvroSchemas.columns(s);
    }

    @Override
    public BytesDecoder decoder(FormatContext c) {
        org.apache.avro.Schema s = AvroSchemas.configured(c);
        if (s == null) {
            c.require(AvroSchemas.SCHEMA_KEY, "the Avro schema the messages were written with: inline JSON or an .avsc file");
        }
        return new AvroDecoder(c, s, AvroFraming.parse(c.get(AvroFraming.KEY)));
    }

    @Override
    public BytesEncoder encoder(FormatContext c) {
        org.apache.avro.Schema s = AvroSchemas.configured(c);
        return new AvroEncoder(c, s != null ? s : AvroSchemas.derive(c), AvroFraming.parse(c.get(AvroFraming.KEY)));
    }

    /** The schema a sink writes (given or derived), for tests and readers of the topic. */
    public static org.apache.avro.Schema sinkSchema(FormatContext c) {
        org.apache.avro.Schema s = AvroSchemas.configured(c);
        return s != null ? s : AvroSchemas.derive(c);
    }
}
