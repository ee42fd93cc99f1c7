package io.velo.codec;

import io.velo.batch.Column;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.DoubleText;
import io.velo.types.Values;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.util.Locale;

/**
 * Converts field text (a CSV cell, a JSON string) to a column value of the declared type. Decimals
 * are parsed from their digits, never through a double, and fitted to a declared DECIMAL(p,s).
 */
public final class TextFieldDecoder {
    private final Dec scratch = new Dec();
    private final DecimalRounding rounding;

    public TextFieldDecoder(DecimalRounding rounding) {
        this.rounding = rounding;
    }

    public void decode(String name, String text, DataType type, Column col, int row) {
        switch (type.kind) {
            case BIGINT: {
                String t = text.trim();
                long v = parseLong(t);
                if (v == Long.MIN_VALUE && !t.equals("-9223372036854775808")) {
                    throw bad(name, text, type);
                }
                col.setLong(row, v);
                return;
            }
            case DECIMAL:
                if (!DecimalMath.parse(text.trim(), scratch)) {
                    throw bad(name, text, type);
                }
                decimal(name, scratch, type, col, row);
                return;
            case DOUBLE: {
                double d;
                try {
                    d = DoubleText.parse(text.trim());
                } catch (NumberFormatException e) {
                    throw bad(name, text, type);
                }
                col.setDouble(row, finiteDouble(name, d, text));
                return;
            }
            case BOOLEAN: {
                String t = text.trim().toLowerCase(Locale.ROOT);
                if (t.equals("true") || t.equals("1") || t.equals("t") || t.equals("yes")) {
                    col.setLong(row, 1);
                } else if (t.equals("false") || t.equals("0") || t.equals("f") || t.equals("no")) {
                    col.setLong(row, 0);
                } else {
                    throw bad(name, text, type);
                }
                return;
            }
            case TIMESTAMP: {
                long t = Values.parseTimestamp(text);
                if (t == Long.MIN_VALUE) {
                    throw bad(name, text, type);
                }
                col.setLong(row, t);
                return;
            }
            case DATE: {
                long d = Values.parseDate(text);
                if (d == Long.MIN_VALUE) {
                    throw bad(name, text, type);
                }
                col.setLong(row, d);
                return;
            }
            default:
                col.setObject(row, text);
        }
    }

    public void decimal(String name, Dec value, DataType type, Column col, int row) {
        if (!Values.fitDecimal(value, type, rounding)) {
            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "field '" + name + "': value " + value + " does not fit " + type);
        }
        col.setDecimal(row, value);
    }

    /** Parses a plain integer; returns Long.MIN_VALUE when the text is not one. */
    public static long parseLong(String t) {
        return parseLong(t, 0, t.length());
    }

    /** Parses a plain integer from {@code t[from, to)}; Long.MIN_VALUE when it is not one. */
    public static long parseLong(CharSequence t, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean neg = false;
        if (t.charAt(from) == '-' || t.charAt(from) == '+') {
            neg = t.charAt(from) == '-';
            i = from + 1;
            if (n == 1) {
                return Long.MIN_VALUE;
            }
        }
        long v = 0;
        for (; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            long nv = v * 10 - (c - '0'); // accumulate negatively to reach Long.MIN_VALUE
            if (v < Long.MIN_VALUE / 10 || nv > v) {
                return Long.MIN_VALUE;
            }
            v = nv;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            return -v;
        }
        return v;
    }

    /** A DOUBLE field holds finite numbers only: NaN, Infinity and 1e400 are out of range (22003). */
    public static double finiteDouble(String name, double d, String text) {
        if (!Double.isFinite(d)) {
            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "field '" + name + "': '" + DoubleText.shown(text)
                    + "' is out of range for DOUBLE (a DOUBLE is a finite number)");
        }
        return d;
    }

    static RecordError bad(String name, String text, DataType type) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return new RecordError(RecordError.MALFORMED_INPUT, "field '" + name + "': '" + shown + "' is not a valid " + type);
    }
}
