package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import io.velo.types.Values;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;

/** Time functions: NOW, CURRENT_*, EXTRACT, DATE_TRUNC, DATE_FORMAT, DATEDIFF, FROM_UNIXTIME, UNIX_TIMESTAMP, TUMBLE_START/END. */
final class TimeFunctions {
    private TimeFunctions() {
    }

    static void registerAll() {
        // time -----------------------------------------------------------
        volatileFn("NOW", 0, 0, a -> DataType.TIMESTAMP, v -> System.currentTimeMillis(), "current processing time");
        register(new FunctionDef("CURRENT_TIMESTAMP", FunctionKind.SCALAR, 0, 0,
                a -> DataType.TIMESTAMP, site -> v -> System.currentTimeMillis(), false, false, "current processing time"));
        register(new FunctionDef("CURRENT_DATE", FunctionKind.SCALAR, 0, 0,
                a -> DataType.DATE, site -> v -> Math.floorDiv(System.currentTimeMillis(), Values.MILLIS_PER_DAY), false, false, "current date (UTC)"));
        scalar("EXTRACT", 2, 2, a -> { requireTime(a.get(1), "EXTRACT"); return DataType.BIGINT; },
                v -> extract(str(v[0]), millisOf(v[1])), "EXTRACT(part FROM ts): YEAR QUARTER MONTH WEEK DAY DOY DOW HOUR MINUTE SECOND MILLISECOND EPOCH");
        scalar("DATE_TRUNC", 2, 2, a -> { requireTime(a.get(1), "DATE_TRUNC"); return DataType.TIMESTAMP; },
                v -> truncateTimestamp(millisOf(v[1]), str(v[0])), "DATE_TRUNC('unit', ts)");
        scalar("DATE_FORMAT", 2, 2, a -> { requireTime(a.get(0), "DATE_FORMAT"); return DataType.STRING; }, v -> {
            try {
                return DateTimeFormatter.ofPattern(str(v[1])).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(millisOf(v[0])));
            } catch (IllegalArgumentException e) {
                throw invalid("bad DATE_FORMAT pattern '" + v[1] + "': " + e.getMessage());
            }
        }, "DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm') in UTC");
        scalar("DATEDIFF", 2, 3, a -> DataType.BIGINT, v -> {
            if (v.length == 3) {
                long per = unitMillis(str(v[0]));
                return Math.floorDiv(millisOf(v[2]) - millisOf(v[1]), per);
            }
            return LocalDate.ofEpochDay(Math.floorDiv(millisOf(v[0]), Values.MILLIS_PER_DAY)).toEpochDay()
                    - Math.floorDiv(millisOf(v[1]), Values.MILLIS_PER_DAY);
        }, "DATEDIFF('unit', start, end) = end - start in units; DATEDIFF(end, start) in days");
        scalar("FROM_UNIXTIME", 1, 1, a -> { requireNumeric(a.get(0), "FROM_UNIXTIME"); return DataType.TIMESTAMP; },
                v -> big(v[0]).movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact(), "seconds since the epoch to TIMESTAMP");
        register(new FunctionDef("UNIX_TIMESTAMP", FunctionKind.SCALAR, 0, 1, a -> DataType.BIGINT,
                site -> v -> Math.floorDiv(v.length == 0 ? System.currentTimeMillis() : millisOf(v[0]), 1000L), true, false,
                "TIMESTAMP (or now) to seconds since the epoch"));
        scalar("TUMBLE_START", 2, 2, a -> DataType.TIMESTAMP, v -> Math.floorDiv(millisOf(v[0]), lng(v[1])) * lng(v[1]),
                "start of the tumbling window of the given size holding ts");
        scalar("TUMBLE_END", 2, 2, a -> DataType.TIMESTAMP, v -> Math.floorDiv(millisOf(v[0]), lng(v[1])) * lng(v[1]) + lng(v[1]),
                "end (exclusive) of the tumbling window of the given size holding ts");
    }

    static long truncateTimestamp(long millis, String unit) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "millisecond": case "milliseconds": return millis;
            case "second": case "seconds": return t.truncatedTo(ChronoUnit.SECONDS).toInstant().toEpochMilli();
            case "minute": case "minutes": return t.truncatedTo(ChronoUnit.MINUTES).toInstant().toEpochMilli();
            case "hour": case "hours": return t.truncatedTo(ChronoUnit.HOURS).toInstant().toEpochMilli();
            case "day": case "days": return t.truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli();
            case "week": return t.truncatedTo(ChronoUnit.DAYS).minusDays(t.getDayOfWeek().getValue() - 1L).toInstant().toEpochMilli();
            case "month": return t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant().toEpochMilli();
            case "quarter": return t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1)
                    .withMonth(((t.getMonthValue() - 1) / 3) * 3 + 1).toInstant().toEpochMilli();
            case "year": return t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1).toInstant().toEpochMilli();
            default: throw invalid("unknown DATE_TRUNC unit '" + unit + "'");
        }
    }

    static long extract(String part, long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
        switch (part) {
            case "YEAR": return t.getYear();
            case "QUARTER": return (t.getMonthValue() - 1) / 3 + 1;
            case "MONTH": return t.getMonthValue();
            case "WEEK": return t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case "DAY": case "DAYOFMONTH": return t.getDayOfMonth();
            case "DOY": case "DAYOFYEAR": return t.getDayOfYear();
            case "DOW": case "DAYOFWEEK": return t.getDayOfWeek().getValue() % 7; // Sunday = 0
            case "ISODOW": return t.getDayOfWeek().getValue();
            case "HOUR": return t.getHour();
            case "MINUTE": return t.getMinute();
            case "SECOND": return t.getSecond();
            case "MILLISECOND": case "MILLISECONDS": return t.getSecond() * 1000L + t.getNano() / 1_000_000;
            case "EPOCH": return Math.floorDiv(millis, 1000);
            default: throw invalid("unknown EXTRACT part '" + part + "'");
        }
    }

    static long unitMillis(String unit) {
        long per = io.velo.sql.parser.Durations.unitMillis(unit.toLowerCase(Locale.ROOT));
        if (per > 0) {
            return per;
        }
        if (unit.equalsIgnoreCase("week") || unit.equalsIgnoreCase("weeks")) {
            return 7 * 86_400_000L;
        }
        throw invalid("unknown time unit '" + unit + "'");
    }

    /** Timestamps may arrive as TIMESTAMP (Long millis), DATE (Long days, flagged by the caller) or text. */
    static long millisOf(Object o) {
        if (o instanceof Long) {
            return (Long) o;
        }
        long t = Values.parseTimestamp(str(o));
        if (t == Long.MIN_VALUE) {
            throw invalid("'" + o + "' is not a timestamp");
        }
        return t;
    }

}
