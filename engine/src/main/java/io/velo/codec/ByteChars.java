package io.velo.codec;

import java.nio.charset.StandardCharsets;

/**
 * A reusable CharSequence view of a byte range, one char per byte: ASCII text (digits, delimiters,
 * quotes) reads as itself, so numbers are parsed and CSV cells found in place; {@link #utf8} turns a
 * range (already checked to be UTF-8) into a String for text cells.
 */
public final class ByteChars implements CharSequence {
    private byte[] buf;
    private int off;
    private int len;

    public ByteChars set(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        return this;
    }

    @Override
    public int length() {
        return len;
    }

    @Override
    public char charAt(int index) {
        return (char) (buf[off + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return utf8(start, end);
    }

    /** The text of {@code [start, end)} decoded as UTF-8. */
    public String utf8(int start, int end) {
        return new String(buf, off + start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return utf8(0, len);
    }
}
