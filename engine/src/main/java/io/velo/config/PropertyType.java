package io.velo.config;

import io.velo.sql.parser.Durations;
import java.util.List;

/** The value types a property may have; {@link #check} returns an error message or null. */
public enum PropertyType {
    STRING, INT, LONG, BOOL, DURATION, ENUM, CHAR;

    public String check(String value, List<String> choices) {
        String v = value.trim();
        switch (this) {
            case INT: case LONG:
                try {
                    long n = Long.parseLong(v);
                    if (n <= 0) {
                        return "must be a positive number, got '" + value + "'";
                    }
                    if (this == INT && n > Integer.MAX_VALUE) {
                        return "is too large: " + value;
                    }
                    return null;
                } catch (NumberFormatException e) {
                    return "must be a number, got '" + value + "'";
                }
            case BOOL:
                return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : "must be true or false, got '" + value + "'";
            case DURATION:
                try {
                    Durations.parseMillis(v);
                    return null;
                } catch (IllegalArgumentException | ArithmeticException e) {
                    return e.getMessage();
                }
            case ENUM:
                for (String c : choices) {
                    if (c.equalsIgnoreCase(v)) {
                        return null;
                    }
                }
                return "must be one of " + String.join(", ", choices) + ", got '" + value + "'";
            case CHAR:
                return unescape(v).length() == 1 ? null : "must be a single character, got '" + value + "'";
            default:
                return null;
        }
    }

    static String unescape(String v) {
        if (v.equals("\\t")) {
            return "\t";
        }
        return v;
    }
}
