package io.velo.codec.avro;

import io.velo.failure.RecordError;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A cursor over one Avro binary datum (zig-zag varints, little-endian floats, length-prefixed bytes).
 * Every read checks the bounds: a truncated or corrupt message is a record error naming the field
 * being read, never an exception from deep inside a library or a huge allocation from a bad length.
 */
final class AvroInput {
    byte[] buf;
    int pos;
    int end;
    /** The field being read, for error messages. */
    String field;

    void reset(byte[] b, int off, int len) {
        buf = b;
        pos = off;
        end = off + len;
    }

    int remaining() {
        return end - pos;
    }

    long readLong() {
        long v = 0;
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw truncated();
            }
            int b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (v >>> 1) ^ -(v & 1);
            }
            shift += 7;
            if (shift > 63) {
                throw malformed("a variable-length integer longer than 10 bytes");
            }
        }
    }

    int readInt() {
        long v = readLong();
        if (v != (int) v) {
            throw malformed("an int value out of range (" + v + ")");
        }
        return (int) v;
    }

    boolean readBoolean() {
        if (pos >= end) {
            throw truncated();
        }
        int b = buf[pos++];
        if (b != 0 && b != 1) {
            throw malformed("a boolean byte " + b + " (0 or 1 expected)");
        }
        return b == 1;
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

    double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    float readFloat() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(v);
    }

    /** The length of a bytes or string value; the bytes follow at {@link #pos}. */
    int readLength() {
        long n = readLong();
        if (n < 0) {
            throw malformed("a negative length (" + n + ")");
        }
        if (n > end - pos) {
            throw truncated();
        }
        return (int) n;
    }

    void need(int n) {
        if (end - pos < n) {
            throw truncated();
        }
    }

    void skip(int n) {
        need(n);
        pos += n;
    }

    /** Skips one value of {@code s} (fields no column reads). */
    void skip(Schema s) {
        switch (s.getType()) {
            case NULL: return;
            case BOOLEAN: skip(1); return;
            case INT: case LONG: case ENUM: readLong(); return;
            case FLOAT: skip(4); return;
            case DOUBLE: skip(8); return;
            case STRING: case BYTES: skip(readLength()); return;
            case FIXED: skip(s.getFixedSize()); return;
            case RECORD:
                for (Schema.Field f : s.getFields()) {
                    skip(f.schema());
                }
                return;
            case UNION: {
                List<Schema> branches = s.getTypes();
                long i = readLong();
                if (i < 0 || i >= branches.size()) {
                    throw malformed("union branch " + i + " (the schema has " + branches.size() + ")");
                }
                skip(branches.get((int) i));
                return;
            }
            case ARRAY: case MAP: {
                while (true) {
                    long n = readLong();
                    if (n == 0) {
                        return;
                    }
                    if (n < 0) {
                        long bytes = readLong();
                        if (bytes < 0 || bytes > end - pos) {
                            throw truncated();
                        }
                        pos += (int) bytes;
                        continue;
                    }
                    if (n > end - pos) {
                        throw truncated(); // a hostile count must not spin: every item but a null takes a byte
                    }
                    for (long k = 0; k < n; k++) {
                        if (s.getType() == Schema.Type.MAP) {
                            skip(readLength());
                            skip(s.getValueType());
                        } else {
                            skip(s.getElementType());
                        }
                    }
                }
            }
            default:
                throw malformed("a value of type " + s.getType());
        }
    }

    RecordError truncated() {
        return new RecordError(RecordError.MALFORMED_INPUT, "truncated Avro message: it ends inside field '" + field + "'");
    }

    RecordError malformed(String what) {
        return new RecordError(RecordError.MALFORMED_INPUT, "malformed Avro message: " + what + " in field '" + field + "'");
    }
}
