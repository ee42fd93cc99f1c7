package io.velo.codec.protobuf;

import io.velo.failure.RecordError;

/**
 * A cursor over protobuf wire bytes (varints, fixed 32/64-bit little-endian, length-delimited). Every
 * read checks the bounds: a truncated or corrupt message is a record error, never an allocation
 * driven by a bad length.
 */
final class ProtoInput {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    byte[] buf;
    int pos;
    int end;

    void reset(byte[] b, int off, int len) {
        buf = b;
        pos = off;
        end = off + len;
    }

    long readVarint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw truncated();
            }
            int b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new RecordError(RecordError.MALFORMED_INPUT, "malformed Protobuf message: a varint longer than 10 bytes");
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    int readLength() {
        long n = readVarint();
        if (n < 0 || n > end - pos) {
            throw truncated();
        }
        return (int) n;
    }

    void need(int n) {
        if (end - pos < n) {
            throw truncated();
        }
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT: readVarint(); return;
            case FIXED64: need(8); pos += 8; return;
            case FIXED32: need(4); pos += 4; return;
            case LEN: {
                int n = readLength();
                pos += n;
                return;
            }
            default:
                throw new RecordError(RecordError.MALFORMED_INPUT, "malformed Protobuf message: wire type " + wireType
                        + (wireType == 3 || wireType == 4 ? " (groups are not supported)" : " does not exist"));
        }
    }

    static RecordError truncated() {
        return new RecordError(RecordError.MALFORMED_INPUT, "truncated Protobuf message");
    }
}
