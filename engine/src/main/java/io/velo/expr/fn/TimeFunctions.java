package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.expr.eval.FunctionEval;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import io.velo.types.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Locale;

/**
 * Time functions: NOW, CURRENT_*, EXTRACT, DATE_TRUNC, DATE_FORMAT, DATEDIFF, FROM_UNIXTIME,
 * UNIX_TIMESTAMP, TUMBLE_START/END. Every function that takes a point in time takes a DATE (days
 * since 1970-01-01, read as its midnight UTC), a TIMESTAMP (epoch milliseconds), epoch milliseconds
 * as BIGINT, or ISO-8601 text; which of these an argument is, is decided once per call site by its
 * type, and constant units, parts and patterns are checked and compiled there too.
 */
final class TimeFunctions {
    private static final long DAY = Values.MILLIS_PER_DAY;

    private TimeFunctions() {
    }

    /** One argument's value as epoch milliseconds (or days), the conversion chosen from its type. */
    @FunctionalInterface
    interface TimeArg {
        long read(Object value);
    }

    static void registerAll() {
        volatileFn("NOW", 0, 0, a -> DataType.TIMESTAMP, v -> System.currentTimeMillis(), "current processing time (TIMESTAMP)");
        register(new FunctionDef("CURRENT_TIMESTAMP", FunctionKind.SCALAR, 0, 0,
                a -> DataType.TIMESTAMP, site -> v -> System.currentTimeMillis(), false, false, "current processing time (TIMESTAMP)"));
        register(new FunctionDef("CURRENT_DATE", FunctionKind.SCALAR, 0, 0,
                a -> DataType.DATE, site -> v -> Math.floorDiv(System.currentTimeMillis(), DAY), false, false, "current date in UTC (DATE)"));
        register(new FunctionDef("EXTRACT", FunctionKind.SCALAR, 2, 2, a -> {
            requireTime(a.get(1), "EXTRACT");
            return DataType.BIGINT;
        }, TimeFunctions::bindExtract, true, true,
                "EXTRACT(part FROM date_or_ts): YEAR QUARTER MONTH WEEK (ISO) DAY DOY DOW (Sunday 0) ISODOW (Monday 1) "
                        + "HOUR MINUTE SECOND MILLISECOND (with the seconds) EPOCH (seconds); time parts of a DATE are 0"));
        register(new FunctionDef("DATE_TRUNC", FunctionKind.SCALAR, 2, 2, a -> {
            requireString(a.get(0), "DATE_TRUNC unit");
            requireTime(a.get(1), "DATE_TRUNC");
            return a.get(1).kind == Kind.DATE ? DataType.DATE : DataType.TIMESTAMP;
        }, TimeFunctions::bindTrunc, true, true,
                "DATE_TRUNC('unit', date_or_ts): start of the millisecond, second, minute, hour, day, week (Monday), month, "
                        + "quarter or year; a DATE gives a DATE, anything else a TIMESTAMP"));
        register(new FunctionDef("DATE_FORMAT", FunctionKind.SCALAR, 2, 2, a -> {
            requireTime(a.get(0), "DATE_FORMAT");
            requireString(a.get(1), "DATE_FORMAT pattern");
            return DataType.STRING;
        }, TimeFunctions::bindFormat, true, true,
                "DATE_FORMAT(date_or_ts, 'yyyy-MM-dd HH:mm'): java.time pattern, UTC, English names; a DATE is its midnight"));
        register(new FunctionDef("DATEDIFF", FunctionKind.SCALAR, 2, 3, a -> {
            if (a.size() == 3) {
                requireString(a.get(0), "DATEDIFF unit");
            }
            requireTime(a.get(a.size() - 2), "DATEDIFF");
            requireTime(a.get(a.size() - 1), "DATEDIFF");
            return DataType.BIGINT;
        }, TimeFunctions::bindDatediff, true, true,
                "DATEDIFF('unit', start, end): whole units from start to end (millisecond … week fixed, month quarter year "
                        + "by the calendar); DATEDIFF(end, start): calendar days (BIGINT)"));
        register(new FunctionDef("FROM_UNIXTIME", FunctionKind.SCALAR, 1, 1, a -> {
            requireNumeric(a.get(0), "FROM_UNIXTIME");
            return DataType.TIMESTAMP;
        }, site -> v -> fromUnixtime(v[0]), true, true, "seconds since the epoch (fractions kept to the millisecond) to TIMESTAMP"));
        register(new FunctionDef("UNIX_TIMESTAMP", FunctionKind.SCALAR, 0, 1, a -> {
            if (!a.isEmpty()) {
                requireTime(a.get(0), "UNIX_TIMESTAMP");
            }
            return DataType.BIGINT;
        }, TimeFunctions::bindUnixTimestamp, true, false, "seconds since the epoch of a DATE (its midnight) or TIMESTAMP, or of now (BIGINT)"));
        register(new FunctionDef("TUMBLE_START", FunctionKind.SCALAR, 2, 2, a -> tumbleType(a, "TUMBLE_START"),
                site -> bindTumble(site, false), true, true,
                "TUMBLE_START(date_or_ts, size): start of the epoch-aligned tumbling window holding the value (TIMESTAMP)"));
        register(new FunctionDef("TUMBLE_END", FunctionKind.SCALAR, 2, 2, a -> tumbleType(a, "TUMBLE_END"),
                site -> bindTumble(site, true), true, true,
                "TUMBLE_END(date_or_ts, size): end (exclusive) of the epoch-aligned tumbling window holding the value (TIMESTAMP)"));
    }

    // ------------------------------------------------------------------ reading arguments

    /** How argument {@code arg} of this call becomes epoch milliseconds. */
    static TimeArg millis(CallSite site, int arg) {
        if (site.type(arg).kind == Kind.STRING && site.isConstant(arg) && site.constant(arg) != null
                && Values.parseTimestamp((String) site.constant(arg)) == Long.MIN_VALUE) {
            throw site.reject(arg, "'" + site.constant(arg) + "' is not a timestamp (expected ISO-8601 like 2024-01-31T09:30:00Z)");
        }
        switch (site.type(arg).kind) {
            case DATE: return v -> (Long) v * DAY; // the DATE range keeps midnight within a long
            case STRING: return v -> parseMillis((String) v);
            default: return v -> (Long) v;
        }
    }

    /** How argument {@code arg} of this call becomes days since 1970-01-01 (a timestamp's UTC day). */
    static TimeArg days(CallSite site, int arg) {
        if (site.type(arg).kind == Kind.DATE) {
            return v -> (Long) v;
        }
        TimeArg m = millis(site, arg);
        return v -> Math.floorDiv(m.read(v), DAY);
    }

    private static long parseMillis(String text) {
        long t = Values.parseTimestamp(text);
        if (t == Long.MIN_VALUE) {
            throw invalid("'" + text + "' is not a timestamp");
        }
        return t;
    }

    private static RecordError outOfRange(String what) {
        return new RecordError(RecordError.DATETIME_OVERFLOW, what + " is out of the TIMESTAMP range");
    }

    private static long date(long day) {
        if (day < Values.MIN_DATE) {
            throw outOfRange("day " + day);
        }
        return day;
    }

    private static long midnightPlus(long day, long millisOfDay) {
        if (day < Values.MIN_DATE || day > Values.MAX_DATE) {
            throw outOfRange("day " + day);
        }
        long r = day * DAY + millisOfDay;
        if (r < day * DAY) {
            throw outOfRange("day " + day);
        }
        return r;
    }

    // ------------------------------------------------------------------ EXTRACT

    /** A part EXTRACT can take, computed from the UTC day and the milliseconds into it. */
    enum Part {
        YEAR, QUARTER, MONTH, WEEK, DAY, DOY, DOW, ISODOW, HOUR, MINUTE, SECOND, MILLISECOND, EPOCH;

        long of(long day, long ms) {
            switch (this) {
                case YEAR: return LocalDate.ofEpochDay(day).getYear();
                case QUARTER: return (LocalDate.ofEpochDay(day).getMonthValue() - 1) / 3 + 1;
                case MONTH: return LocalDate.ofEpochDay(day).getMonthValue();
                case WEEK: return LocalDate.ofEpochDay(day).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                case DAY: return LocalDate.ofEpochDay(day).getDayOfMonth();
                case DOY: return LocalDate.ofEpochDay(day).getDayOfYear();
                case DOW: return Math.floorMod(day + 4, 7); // 1970-01-01 was a Thursday
                case ISODOW: return Math.floorMod(day + 3, 7) + 1;
                case HOUR: return ms / 3_600_000;
                case MINUTE: return ms / 60_000 % 60;
                case SECOND: return ms / 1000 % 60;
                case MILLISECOND: return ms % 60_000;
                default: return day * 86_400 + ms / 1000;
            }
        }

        static Part parse(String text) {
            switch (text.toUpperCase(Locale.ROOT)) {
                case "DAYOFMONTH": return DAY;
                case "DAYOFYEAR": return DOY;
                case "DAYOFWEEK": return DOW;
                case "MILLISECONDS": return MILLISECOND;
                default:
                    for (Part p : values()) {
                        if (p.name().equalsIgnoreCase(text)) {
                            return p;
                        }
                    }
                    return null;
            }
        }
    }

    private static final String PARTS = "YEAR, QUARTER, MONTH, WEEK, DAY, DOY, DOW, ISODOW, HOUR, MINUTE, SECOND, MILLISECOND or EPOCH";

    private static FunctionEval.Impl bindExtract(CallSite site) {
        Part fixed = null;
        if (site.isConstant(0) && site.constant(0) != null) {
            fixed = Part.parse(str(site.constant(0)));
            if (fixed == null) {
                throw site.reject(0, "unknown EXTRACT part '" + site.constant(0) + "' (expected " + PARTS + ")");
            }
        }
        Part part = fixed;
        if (site.type(1).kind == Kind.DATE) {
            return v -> (part != null ? part : partOf(v[0])).of((Long) v[1], 0);
        }
        TimeArg m = millis(site, 1);
        return v -> {
            long t = m.read(v[1]);
            return (part != null ? part : partOf(v[0])).of(Math.floorDiv(t, DAY), Math.floorMod(t, DAY));
        };
    }

    private static Part partOf(Object text) {
        Part p = Part.parse(str(text));
        if (p == null) {
            throw invalid("unknown EXTRACT part '" + text + "' (expected " + PARTS + ")");
        }
        return p;
    }

    // ------------------------------------------------------------------ units (DATE_TRUNC, DATEDIFF)

    /** A unit of time: fixed-length ones carry their milliseconds, calendar ones (month …) 0. */
    enum Unit {
        MILLISECOND(1), SECOND(1000), MINUTE(60_000), HOUR(3_600_000), DAY(TimeFunctions.DAY), WEEK(7 * TimeFunctions.DAY),
        MONTH(0), QUARTER(0), YEAR(0);

        final long millis;

        Unit(long millis) {
            this.millis = millis;
        }

        static Unit parse(String text) {
            String t = text.trim().toUpperCase(Locale.ROOT);
            for (Unit u : values()) {
                if (t.equals(u.name()) || t.equals(u.name() + "S")) {
                    return u;
                }
            }
            return null;
        }
    }

    private static final String UNITS = "millisecond, second, minute, hour, day, week, month, quarter or year";

    /** The constant unit of argument {@code arg}, checked now; null when it comes from the data (or is NULL). */
    private static Unit constantUnit(CallSite site, int arg) {
        if (!site.isConstant(arg) || site.constant(arg) == null) {
            return null;
        }
        Unit u = Unit.parse(str(site.constant(arg)));
        if (u == null) {
            throw site.reject(arg, "unknown " + site.function() + " unit '" + site.constant(arg) + "' (expected " + UNITS + ")");
        }
        return u;
    }

    private static Unit unitOf(String function, Object text) {
        Unit u = Unit.parse(str(text));
        if (u == null) {
            throw invalid("unknown " + function + " unit '" + text + "' (expected " + UNITS + ")");
        }
        return u;
    }

    // ------------------------------------------------------------------ DATE_TRUNC

    private static FunctionEval.Impl bindTrunc(CallSite site) {
        Unit fixed = constantUnit(site, 0);
        if (site.type(1).kind == Kind.DATE) {
            return v -> date(truncDay((Long) v[1], fixed != null ? fixed : unitOf("DATE_TRUNC", v[0])));
        }
        TimeArg m = millis(site, 1);
        return v -> {
            Unit u = fixed != null ? fixed : unitOf("DATE_TRUNC", v[0]);
            long t = m.read(v[1]);
            if (u.millis != 0 && u != Unit.WEEK) {
                long r = t - Math.floorMod(t, u.millis);
                if (r > t) {
                    throw outOfRange("DATE_TRUNC of " + t + " ms");
                }
                return r;
            }
            return midnightPlus(truncDay(Math.floorDiv(t, DAY), u), 0);
        };
    }

    /** The first day of the unit holding {@code day}; units of a day or less leave a day as it is. */
    private static long truncDay(long day, Unit u) {
        switch (u) {
            case WEEK: return day - Math.floorMod(day + 3, 7); // back to Monday
            case MONTH: return day - LocalDate.ofEpochDay(day).getDayOfMonth() + 1;
            case QUARTER: {
                LocalDate d = LocalDate.ofEpochDay(day);
                return LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1).toEpochDay();
            }
            case YEAR: return day - LocalDate.ofEpochDay(day).getDayOfYear() + 1;
            default: return day;
        }
    }

    // ------------------------------------------------------------------ DATE_FORMAT

    /** A pattern from the data, compiled once and reused while the next record brings the same one. */
    private record Compiled(String pattern, DateTimeFormatter formatter) {
    }

    private static FunctionEval.Impl bindFormat(CallSite site) {
        TimeArg m = millis(site, 0);
        if (site.isConstant(1) && site.constant(1) != null) {
            String pattern = str(site.constant(1));
            DateTimeFormatter f;
            try {
                f = formatter(pattern);
            } catch (RecordError e) {
                throw site.reject(1, e.getMessage());
            }
            return v -> format(f, m.read(v[0]));
        }
        Compiled[] last = {null};
        return v -> {
            String pattern = str(v[1]);
            Compiled c = last[0];
            if (c == null || !c.pattern.equals(pattern)) {
                c = new Compiled(pattern, formatter(pattern));
                last[0] = c;
            }
            return format(c.formatter, m.read(v[0]));
        };
    }

    /** Compiles a pattern and tries it once, so a letter that cannot be printed fails here, not per record. */
    private static DateTimeFormatter formatter(String pattern) {
        try {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).withZone(ZoneOffset.UTC);
            f.format(Instant.EPOCH);
            return f;
        } catch (IllegalArgumentException | DateTimeException e) {
            throw invalid("bad DATE_FORMAT pattern '" + pattern + "': " + e.getMessage());
        }
    }

    private static String format(DateTimeFormatter f, long millis) {
        try {
            return f.format(Instant.ofEpochMilli(millis));
        } catch (DateTimeException e) {
            throw invalid("DATE_FORMAT cannot format " + Values.formatTimestamp(millis) + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ DATEDIFF

    private static FunctionEval.Impl bindDatediff(CallSite site) {
        if (site.arity() == 2) {
            TimeArg end = days(site, 0);
            TimeArg start = days(site, 1);
            return v -> end.read(v[0]) - start.read(v[1]);
        }
        Unit fixed = constantUnit(site, 0);
        TimeArg start = millis(site, 1);
        TimeArg end = millis(site, 2);
        return v -> between(fixed != null ? fixed : unitOf("DATEDIFF", v[0]), start.read(v[1]), end.read(v[2]));
    }

    /** Whole units from {@code start} to {@code end} (negative when end is earlier), rounded toward start. */
    private static long between(Unit u, long start, long end) {
        if (u.millis != 0) {
            long diff = end - start;
            if (((end ^ start) & (end ^ diff)) < 0) {
                throw outOfRange("DATEDIFF of " + start + " and " + end + " ms");
            }
            return diff / u.millis;
        }
        long months = ChronoUnit.MONTHS.between(dateTime(start), dateTime(end));
        return u == Unit.MONTH ? months : u == Unit.QUARTER ? months / 3 : months / 12;
    }

    private static LocalDateTime dateTime(long millis) {
        return LocalDate.ofEpochDay(Math.floorDiv(millis, DAY)).atTime(LocalTime.ofNanoOfDay(Math.floorMod(millis, DAY) * 1_000_000L));
    }

    // ------------------------------------------------------------------ epoch seconds, windows

    private static long fromUnixtime(Object seconds) {
        if (seconds instanceof Double d && !Double.isFinite(d)) {
            throw outOfRange(seconds + " seconds");
        }
        BigDecimal ms = big(seconds).movePointRight(3).setScale(0, RoundingMode.FLOOR);
        if (ms.unscaledValue().bitLength() > 63) {
            throw outOfRange(seconds + " seconds");
        }
        return ms.longValue();
    }

    private static FunctionEval.Impl bindUnixTimestamp(CallSite site) {
        if (site.arity() == 0) {
            return v -> Math.floorDiv(System.currentTimeMillis(), 1000L);
        }
        if (site.type(0).kind == Kind.DATE) {
            return v -> (Long) v[0] * 86_400;
        }
        TimeArg m = millis(site, 0);
        return v -> Math.floorDiv(m.read(v[0]), 1000L);
    }

    private static DataType tumbleType(List<DataType> a, String fn) {
        requireTime(a.get(0), fn);
        if (a.get(1).kind != Kind.BIGINT && a.get(1).kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a window size such as INTERVAL '5' MINUTE or 5m, got " + a.get(1));
        }
        return DataType.TIMESTAMP;
    }

    private static FunctionEval.Impl bindTumble(CallSite site, boolean end) {
        if (site.isConstant(1) && site.constant(1) != null && lng(site.constant(1)) <= 0) {
            throw site.reject(1, site.function() + " window size must be positive, got " + site.constant(1) + " ms");
        }
        String fn = site.function();
        TimeArg m = millis(site, 0);
        return v -> {
            long size = lng(v[1]);
            if (size <= 0) {
                throw invalid(fn + " window size must be positive, got " + size + " ms");
            }
            long t = m.read(v[0]);
            long start = t - Math.floorMod(t, size);
            if (!end) {
                return start;
            }
            long r = start + size;
            if (r < start) {
                throw outOfRange("the window after " + Values.formatTimestamp(start));
            }
            return r;
        };
    }
}
