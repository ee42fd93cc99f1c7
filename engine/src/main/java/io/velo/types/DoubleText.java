package io.velo.types;

import java.util.Locale;

/**
 * Reading DOUBLE values from text (CSV and JSON fields, CAST). A DOUBLE holds only finite numbers:
 * the spellings of non-numbers ({@code NaN}, {@code Infinity}, {@code inf}) and numbers beyond its
 * range ({@code 1e400}) come back as NaN or ±Infinity for the caller to refuse as out of range
 * (SQLSTATE 22003); text that is no number at all is refused here, including Java's own extras
 * ({@code 1d}, {@code 2f}, {@code 0x1p3}) so a field reads the same in every language.
 */
public final class DoubleText {
    private DoubleText() {
    }

    /**
     * The value of {@code text} (already trimmed): finite, or NaN/±Infinity for the spellings of
     * non-numbers and for out-of-range numbers.
     *
     * @throws NumberFormatException when the text is not a number
     */
    public static double parse(String text) {
        if (!isNumber(text)) {
            String t = text.toLowerCase(Locale.ROOT);
            String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
            if (body.equals("nan")) {
                return Double.NaN;
            }
            if (body.equals("infinity") || body.equals("inf")) {
                return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            throw new NumberFormatException(text);
        }
        return Double.parseDouble(text);
    }

    /** {@code [+-] digits [. digits] [e [+-] digits]}, with digits on at least one side of the point. */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** How an out-of-range value is named in messages: the text as given, shortened. */
    public static String shown(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
