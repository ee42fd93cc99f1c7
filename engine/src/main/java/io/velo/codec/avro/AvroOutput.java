package io.velo.codec.avro;

import io.velo.codec.OutputBuffer;
import io.velo.codec.Utf8;

/** Avro binary encoding of primitive values onto a reused buffer (the inverse of {@link AvroInput}). */
final class AvroOutput {
    private AvroOutput() {
    }

    static void writeLong(OutputBuffer out, long v) {
        long z = (v << 1) ^ (v >> 63);
        out.ensure(10);
        byte[] d = out.data;
        int p = out.length;
        while ((z & ~0x7FL) != 0) {
            d[p++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        d[p++] = (byte) z;
        out.length = p;
    }

    static void writeDouble(OutputBuffer out, double v) {
        writeFixed64(out, Double.doubleToLongBits(v));
    }

    static void writeFixed64(OutputBuffer out, long bits) {
        out.ensure(8);
        for (int i = 0; i < 8; i++) {
            out.data[out.length++] = (byte) (bits >>> (8 * i));
        }
    }

    static void writeFloat(OutputBuffer out, float v) {
        int bits = Float.floatToIntBits(v);
        out.ensure(4);
        for (int i = 0; i < 4; i++) {
            out.data[out.length++] = (byte) (bits >>> (8 * i));
        }
    }

    static void writeString(OutputBuffer out, String s) {
        writeLong(out, Utf8.encodedLength(s));
        Utf8.encode(s, out);
    }

    /** The fewest bytes holding {@code v} in big-endian two's complement (what BigInteger.toByteArray gives). */
    static int twosComplementLength(long v) {
        return (64 - Long.numberOfLeadingZeros(v ^ (v >> 63))) / 8 + 1;
    }

    /** {@code v} big-endian in exactly {@code len} bytes, sign-extended. */
    static void writeBigEndian(OutputBuffer out, long v, int len) {
        out.ensure(len);
        for (int i = len - 1; i >= 0; i--) {
            out.data[out.length++] = (byte) (i >= 8 ? v >> 63 : v >> (8 * i));
        }
    }
}
