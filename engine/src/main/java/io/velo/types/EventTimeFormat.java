package io.velo.types;

import io.velo.batch.Column;
import io.velo.failure.RecordError;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * How a source's event-time field is read ({@code 'event.time.format'}): {@code epoch_millis},
 * {@code epoch_seconds}, {@code iso8601}, or a date-time pattern such as {@code yyyy-MM-dd HH:mm:ss.SSS}
 * (read as UTC). Unset, a number is epoch millis and a string epoch millis or ISO-8601
 * ({@link Values#parseTimestamp}).
 */
public final class EventTimeFormat {
    private enum Kind { AUTO, EPOCH_MILLIS, EPOCH_SECONDS, ISO, PATTERN }

    public static final EventTimeFormat AUTO = new EventTimeFormat(Kind.AUTO, null, null);

    private final Kind kind;
    private final String spec;
    private final DateTimeFormatter pattern;

    private EventTimeFormat(Kind kind, String spec, DateTimeFormatter pattern) {
        this.kind = kind;
        this.spec = spec;
        this.pattern = pattern;
    }

    /**
     * @return the format named by {@code spec} (null: {@link #AUTO})
     * @throws IllegalArgumentException for a pattern {@link DateTimeFormatter} cannot take, with its reason
     */
    public static EventTimeFormat of(String spec) {
        if (spec == null || spec.isBlank()) {
            return AUTO;
        }
        String s = spec.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "epoch_millis": case "epoch_ms": case "millis": return new EventTimeFormat(Kind.EPOCH_MILLIS, s, null);
            case "epoch_seconds": case "epoch": case "seconds": return new EventTimeFormat(Kind.EPOCH_SECONDS, s, null);
            case "iso8601": case "iso_8601": case "iso": return new EventTimeFormat(Kind.ISO, s, null);
            default:
                try {
                    return new EventTimeFormat(Kind.PATTERN, s, DateTimeFormatter.ofPattern(s, Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + s + "' is neither epoch_millis, epoch_seconds, iso8601 nor a date-time pattern: "
                            + e.getMessage());
                }
        }
    }

    /** Why a field of type {@code t} cannot be read in this format, or null when it can. */
    public String unsuitable(DataType t) {
        boolean number = t.kind == DataType.Kind.BIGINT || t.kind == DataType.Kind.TIMESTAMP;
        boolean text = t.kind == DataType.Kind.STRING;
        return switch (kind) {
            case AUTO -> null;
            case EPOCH_MILLIS, EPOCH_SECONDS -> number || text ? null : "an epoch number needs a BIGINT or STRING field, not " + t;
            case ISO, PATTERN -> text ? null : "format '" + spec + "' reads text, but the field is " + t;
        };
    }

    /** The event time of {@code row} in epoch millis; a value the format cannot read is a {@link RecordError}. */
    public long millis(Column c, int row, DataType t, String field) {
        if (c.isNull(row)) {
            throw new RecordError(RecordError.MALFORMED_INPUT, "event time field '" + field + "' is missing");
        }
        if (kind == Kind.AUTO) {
            switch (t.kind) {
                case TIMESTAMP: case BIGINT: return c.longs[row];
                case DATE: return c.longs[row] * Values.MILLIS_PER_DAY;
                case STRING: {
                    long v = Values.parseTimestamp((String) c.objects[row]);
                    if (v == Long.MIN_VALUE) {
                        throw bad(field, c.objects[row], "is neither epoch millis nor ISO-8601");
                    }
                    return v;
                }
                default:
                    throw new RecordError(RecordError.MALFORMED_INPUT, "event time field '" + field + "' has type " + t);
            }
        }
        if (kind == Kind.EPOCH_MILLIS || kind == Kind.EPOCH_SECONDS) {
            long n;
            if (t.kind == DataType.Kind.STRING) {
                try {
                    n = Long.parseLong(((String) c.objects[row]).trim());
                } catch (NumberFormatException e) {
                    throw bad(field, c.objects[row], "is not an integer of " + spec);
                }
            } else {
                n = c.longs[row];
            }
            if (kind == Kind.EPOCH_MILLIS) {
                return n;
            }
            try {
                return Math.multiplyExact(n, 1000L);
            } catch (ArithmeticException e) {
                throw bad(field, n, "is out of range for epoch seconds");
            }
        }
        String text = ((String) c.objects[row]).trim();
        if (kind == Kind.ISO) {
            long v = Values.parseTimestamp(text);
            if (v == Long.MIN_VALUE || isDigits(text)) {
                throw bad(field, text, "is not ISO-8601");
            }
            return v;
        }
        try {
            TemporalAccessor a = pattern.parse(text);
            if (a.isSupported(ChronoField.HOUR_OF_DAY)) {
                return LocalDateTime.from(a).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return LocalDate.from(a).toEpochDay() * Values.MILLIS_PER_DAY;
        } catch (java.time.DateTimeException e) {
            throw bad(field, text, "does not match '" + spec + "'");
        }
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static RecordError bad(String field, Object value, String why) {
        return new RecordError(RecordError.MALFORMED_INPUT, "event time field '" + field + "': '" + value + "' " + why);
    }

    @Override
    public String toString() {
        return kind == Kind.AUTO ? "epoch millis or ISO-8601" : spec;
    }
}
