package io.velo.types;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Text forms of values: timestamps and dates (UTC, ISO-8601), decimals keeping their scale. */
public final class Values {
    public static final long MILLIS_PER_DAY = 86_400_000L;
    /**
     * The DATE range in days since 1970-01-01: the days whose midnight is a TIMESTAMP (about ±292
     * million years), so that every DATE converts to a TIMESTAMP without overflow.
     */
    public static final long MIN_DATE = Long.MIN_VALUE / MILLIS_PER_DAY;
    public static final long MAX_DATE = Long.MAX_VALUE / MILLIS_PER_DAY;
    private static final DateTimeFormatter TS_OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Values() {
    }

    public static String formatTimestamp(long millis) {
        StringBuilder sb = new StringBuilder(24);
        appendTimestamp(sb, millis);
        return sb.toString();
    }

    /** Appends the ISO-8601 UTC text of a timestamp without intermediate objects (years 0–9999). */
    public static void appendTimestamp(StringBuilder sb, long millis) {
        if (!IsoTimestamps.format(millis, sb)) {
            sb.append(TS_OUT.format(Instant.ofEpochMilli(millis)));
        }
    }

    public static String formatDate(long days) {
        return LocalDate.ofEpochDay(days).toString();
    }

    /**
     * Parses an ISO-8601 timestamp ({@code 2024-01-02T03:04:05.678Z}, with an offset, with a space
     * instead of T, or a bare date) or epoch milliseconds. Returns {@code Long.MIN_VALUE} when the text
     * is not a timestamp.
     */
    public static long parseTimestamp(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return Long.MIN_VALUE;
        }
        boolean digits = true;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-')) {
                digits = false;
                break;
            }
        }
        if (digits && !(t.length() == 1 && t.charAt(0) == '-')) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        long fast = IsoTimestamps.parse(t);
        if (fast != IsoTimestamps.NOT_FAST) {
            return fast;
        }
        String s = t.replace(' ', 'T');
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).toEpochDay() * MILLIS_PER_DAY;
            }
            char last = s.charAt(s.length() - 1);
            if (last == 'Z' || last == 'z' || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Parses a date: {@code 2024-06-15}, a timestamp (its UTC day) or an integer of days since
     * 1970-01-01 (as Avro and change-data-capture tools write dates). Returns {@code Long.MIN_VALUE}
     * when the text is not a date or lies outside the DATE range.
     */
    public static long parseDate(String text) {
        String t = text.trim();
        long days;
        if (isInteger(t)) {
            try {
                days = Long.parseLong(t);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        } else {
            try {
                days = LocalDate.parse(t).toEpochDay();
            } catch (DateTimeParseException e) {
                long ts = parseTimestamp(t);
                return ts == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(ts, MILLIS_PER_DAY);
            }
        }
        return isDate(days) ? days : Long.MIN_VALUE;
    }

    /** True when {@code days} since 1970-01-01 lies in the DATE range. */
    public static boolean isDate(long days) {
        return days >= MIN_DATE && days <= MAX_DATE;
    }

    private static boolean isInteger(String t) {
        int start = t.startsWith("-") ? 1 : 0;
        if (t.length() == start) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public static String formatDouble(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d) + ".0";
        }
        return Double.toString(d);
    }

    /** Minimal JSON text for arrays and maps (used when they are cast to text). */
    public static String jsonText(Object v) {
        StringBuilder sb = new StringBuilder();
        appendJson(sb, v);
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string literal (quoted and escaped). */
    public static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static void appendJson(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            appendJsonString(sb, (String) v);
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object e : (List<?>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendJson(sb, e);
            }
            sb.append(']');
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendJson(sb, String.valueOf(e.getKey()));
                sb.append(':');
                appendJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof BigDecimal) {
            sb.append(((BigDecimal) v).toPlainString());
        } else {
            sb.append(v);
        }
    }

    /**
     * Rescales {@code v} to the scale of a fixed-scale DECIMAL(p,s) type (any-scale types leave it as
     * it is); false when the value then has more digits than the type's precision.
     */
    public static boolean fitDecimal(io.velo.types.decimal.Dec v, DataType target, io.velo.types.decimal.DecimalRounding rounding) {
        if (target.scale == DataType.ANY_SCALE) {
            return true;
        }
        io.velo.types.decimal.DecimalMath.rescale(v, target.scale, rounding);
        return io.velo.types.decimal.DecimalMath.precision(v) <= target.precision;
    }
}
