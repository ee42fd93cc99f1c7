package io.velo.codec;

/** A reusable CharSequence view of a char range (a JSON parser's number text), for parsing in place. */
final class CharChars implements CharSequence {
    private char[] buf;
    private int off;
    private int len;

    CharChars set(char[] buf, int off, int len) {
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
        return buf[off + index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(buf, off + start, end - start);
    }

    @Override
    public String toString() {
        return new String(buf, off, len);
    }
}
