package io.velo.codec;

import io.velo.failure.RecordError;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 over byte ranges: a message that is not valid UTF-8 (a stray byte, an overlong form, an
 * encoded surrogate) is a record error 22021 instead of text with U+FFFD in it; and encoding of
 * CharSequences into a reused buffer.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The index of the first byte that is not part of valid UTF-8 in {@code b[off, off + len)}, or -1. */
    public static int invalidAt(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + n >= end) {
                return i;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                return i;
            }
            i += n + 1;
        }
        return -1;
    }

    /** Fails the record (22021) when the range is not valid UTF-8. */
    public static void require(byte[] b, int off, int len) {
        int bad = invalidAt(b, off, len);
        if (bad >= 0) {
            throw new RecordError(RecordError.INVALID_ENCODING, "the message is not valid UTF-8 (byte 0x"
                    + Integer.toHexString(b[bad] & 0xFF) + " at offset " + (bad - off) + ")");
        }
    }

    /** The text of a UTF-8 field, strictly: 22021 naming {@code field} when it is not valid UTF-8. */
    public static String decode(byte[] b, int off, int len, String field) {
        boolean ascii = true;
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        int bad = invalidAt(b, off, len);
        if (bad >= 0) {
            throw new RecordError(RecordError.INVALID_ENCODING, "field '" + field + "': the text is not valid UTF-8 (byte 0x"
                    + Integer.toHexString(b[bad] & 0xFF) + ")");
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** The number of bytes {@code s} takes as UTF-8 (a lone surrogate counts as the '?' it becomes). */
    public static int encodedLength(CharSequence s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Appends {@code s} as UTF-8; a lone surrogate (no UTF-8 form exists) becomes '?', as Java's encoder does. */
    public static void encode(CharSequence s, OutputBuffer out) {
        int len = s.length();
        out.ensure(len);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (out.length == out.data.length) {
                    out.ensure(len - i);
                }
                out.data[out.length++] = (byte) c;
            } else {
                out.ensure(4 + len - i);
                byte[] d = out.data;
                int p = out.length;
                if (c < 0x800) {
                    d[p++] = (byte) (0xC0 | c >> 6);
                    d[p++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    d[p++] = (byte) (0xF0 | cp >> 18);
                    d[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    d[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    d[p++] = (byte) (0x80 | cp & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    d[p++] = '?';
                } else {
                    d[p++] = (byte) (0xE0 | c >> 12);
                    d[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                    d[p++] = (byte) (0x80 | c & 0x3F);
                }
                out.length = p;
            }
        }
    }
}
