package io.velo.codec.avro;

import io.velo.failure.RecordError;
import org.apache.avro.SchemaNormalization;

/**
 * How a datum sits in a message ({@code '<n>.avro.framing'}). {@code single_object} (the default) is
 * Avro's single-object encoding: {@code C3 01}, the schema's 8-byte CRC-64-AVRO fingerprint (little
 * endian), then the datum — so a message written with another schema is recognised and reported
 * instead of being read as garbage. {@code binary} is the bare datum (what a writer without framing
 * sends); then only a message that does not parse or has bytes left over shows another schema.
 */
enum AvroFraming {
    SINGLE_OBJECT, BINARY;

    static final String KEY = "avro.framing";
    static final int HEADER = 10;

    static AvroFraming parse(String v) {
        return v == null || v.equalsIgnoreCase("single_object") ? SINGLE_OBJECT : BINARY;
    }

    static long fingerprint(org.apache.avro.Schema s) {
        return SchemaNormalization.parsingFingerprint64(s);
    }

    /** Checks the single-object header of a message; returns the offset of the datum. */
    static int checkHeader(byte[] b, int off, int len, long fingerprint) {
        if (len >= 2 && (b[off] & 0xFF) == 0xC3 && b[off + 1] == 0x01) {
            if (len < HEADER) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "truncated Avro message: " + len + " bytes, shorter than the single-object header");
            }
            long fp = 0;
            for (int i = 9; i >= 2; i--) {
                fp = fp << 8 | (b[off + i] & 0xFF);
            }
            if (fp != fingerprint) {
                throw new RecordError(RecordError.MALFORMED_INPUT, String.format("the message was written with another Avro schema "
                        + "(fingerprint %016x; this connector's schema has %016x)", fp, fingerprint));
            }
            return off + HEADER;
        }
        if (len >= 5 && b[off] == 0) {
            int id = (b[off + 1] & 0xFF) << 24 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 8 | (b[off + 4] & 0xFF);
            throw new RecordError(RecordError.MALFORMED_INPUT, "the message has Confluent Schema Registry framing (magic byte 0, schema id "
                    + id + "), which Velo does not read; expected Avro single-object encoding (C3 01 + fingerprint)");
        }
        throw new RecordError(RecordError.MALFORMED_INPUT, "not an Avro single-object message (it does not start with C3 01);"
                + " for bare Avro datums set avro.framing = 'binary'");
    }

    static void writeHeader(io.velo.codec.OutputBuffer out, long fingerprint) {
        out.write(0xC3);
        out.write(0x01);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
    }
}
