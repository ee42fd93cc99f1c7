package io.velo.expr.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import io.velo.types.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every function of SPEC §3, registered once: arity, result type and implementation. Unknown names
 * and wrong arities are found at validation time, before a job starts. {@code SHOW FUNCTIONS} lists
 * this registry.
 */
public final class FunctionRegistry {
    private static final Map<String, FunctionDef> FUNCTIONS = new TreeMap<>();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final Map<String, Pattern> REGEX_CACHE = new ConcurrentHashMap<>();
    private static final int ANY = Integer.MAX_VALUE;

    private FunctionRegistry() {
    }

    public static FunctionDef lookup(String name) {
        return FUNCTIONS.get(name.toUpperCase(Locale.ROOT));
    }

    public static Collection<FunctionDef> all() {
        return FUNCTIONS.values();
    }

    private static void scalar(String name, int min, int max, Function<List<DataType>, DataType> type,
                               io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        FUNCTIONS.put(name, new FunctionDef(name, FunctionKind.SCALAR, min, max, type, impl, true, true, doc));
    }

    private static void lenient(String name, int min, int max, Function<List<DataType>, DataType> type,
                                io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        FUNCTIONS.put(name, new FunctionDef(name, FunctionKind.SCALAR, min, max, type, impl, false, true, doc));
    }

    private static void volatileFn(String name, int min, int max, Function<List<DataType>, DataType> type,
                                   io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        FUNCTIONS.put(name, new FunctionDef(name, FunctionKind.SCALAR, min, max, type, impl, false, false, doc));
    }

    private static void aggregate(String name, int min, int max, FunctionKind kind, String doc) {
        FUNCTIONS.put(name, new FunctionDef(name, kind, min, max, null, null, false, true, doc));
    }

    // ------------------------------------------------------------------ type rules

    private static Function<List<DataType>, DataType> fixed(DataType t) {
        return args -> t;
    }

    private static DataType requireNumeric(DataType t, String fn) {
        if (!t.isNumeric() && t.kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a number, got " + t);
        }
        return t;
    }

    private static DataType requireString(DataType t, String fn) {
        if (t.kind != Kind.STRING && t.kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a STRING, got " + t);
        }
        return t;
    }

    private static DataType requireTime(DataType t, String fn) {
        if (t.kind != Kind.TIMESTAMP && t.kind != Kind.DATE && t.kind != Kind.BIGINT && t.kind != Kind.STRING && t.kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a TIMESTAMP, got " + t);
        }
        return t;
    }

    /** The common type of several values (for COALESCE, CASE, LEAST…); throws when there is none. */
    public static DataType commonType(List<DataType> types, String what) {
        DataType result = DataType.NULL;
        for (DataType t : types) {
            result = commonType(result, t, what);
        }
        return result;
    }

    public static DataType commonType(DataType a, DataType b, String what) {
        if (a.kind == Kind.NULL) {
            return b;
        }
        if (b.kind == Kind.NULL || a.equals(b)) {
            return a;
        }
        if (a.isNumeric() && b.isNumeric()) {
            if (a.kind == Kind.DOUBLE || b.kind == Kind.DOUBLE) {
                return DataType.DOUBLE;
            }
            if (a.kind == Kind.DECIMAL || b.kind == Kind.DECIMAL) {
                return DataType.DECIMAL;
            }
            return DataType.BIGINT;
        }
        if (a.kind == b.kind) {
            return a.kind == Kind.DECIMAL ? DataType.DECIMAL : a;
        }
        if ((a.kind == Kind.TIMESTAMP && b.kind == Kind.DATE) || (a.kind == Kind.DATE && b.kind == Kind.TIMESTAMP)) {
            return DataType.TIMESTAMP;
        }
        if (a.kind == Kind.STRING && (b.kind == Kind.TIMESTAMP || b.kind == Kind.DATE)) {
            return b;
        }
        if (b.kind == Kind.STRING && (a.kind == Kind.TIMESTAMP || a.kind == Kind.DATE)) {
            return a;
        }
        throw new IllegalArgumentException(what + " mixes incompatible types " + a + " and " + b);
    }

    // ------------------------------------------------------------------ helpers for implementations

    static BigDecimal big(Object o) {
        if (o instanceof BigDecimal) {
            return (BigDecimal) o;
        }
        if (o instanceof Double) {
            return new BigDecimal(o.toString());
        }
        return BigDecimal.valueOf(((Number) o).longValue());
    }

    static double dbl(Object o) {
        return ((Number) o).doubleValue();
    }

    static long lng(Object o) {
        return ((Number) o).longValue();
    }

    static int toInt(Object o) {
        long v = lng(o);
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    static String str(Object o) {
        return o instanceof String ? (String) o : String.valueOf(o);
    }

    static Pattern regex(String p) {
        return REGEX_CACHE.computeIfAbsent(p, Pattern::compile);
    }

    static io.velo.failure.RecordError invalid(String message) {
        return new io.velo.failure.RecordError(io.velo.failure.RecordError.INVALID_ARGUMENT, message);
    }

    /** Numeric results keep their argument's kind: Long stays Long, BigDecimal stays BigDecimal. */
    static Object numeric(Object like, BigDecimal v) {
        if (like instanceof Long) {
            return v.longValueExact();
        }
        if (like instanceof Double) {
            return v.doubleValue();
        }
        return v;
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

    static JsonNode jsonPath(String json, String path) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (Exception e) {
            throw new io.velo.failure.RecordError(io.velo.failure.RecordError.MALFORMED_INPUT, "invalid JSON: " + e.getMessage());
        }
        String p = path.trim();
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        int i = 0;
        while (i < p.length() && node != null) {
            char c = p.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                node = node.get(p.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int j = p.indexOf(']', i);
                if (j < 0) {
                    throw invalid("bad JSON path '" + path + "'");
                }
                String idx = p.substring(i + 1, j).trim();
                if (idx.startsWith("'") || idx.startsWith("\"")) {
                    node = node.get(idx.substring(1, idx.length() - 1));
                } else {
                    try {
                        node = node.get(Integer.parseInt(idx));
                    } catch (NumberFormatException e) {
                        throw invalid("bad JSON path index '" + idx + "' in '" + path + "'");
                    }
                }
                i = j + 1;
            } else {
                throw invalid("bad JSON path '" + path + "' (expected $.field or $[index])");
            }
        }
        return node;
    }

    static String pad(String s, int n, String fill, boolean left) {
        if (n <= s.length()) {
            return s.substring(0, Math.max(0, n));
        }
        if (fill.isEmpty()) {
            return s;
        }
        StringBuilder p = new StringBuilder();
        while (p.length() < n - s.length()) {
            p.append(fill);
        }
        p.setLength(n - s.length());
        return left ? p + s : s + p;
    }

    static String trim(String s, String chars, boolean leading, boolean trailing) {
        int a = 0;
        int b = s.length();
        while (leading && a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (trailing && b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    // ------------------------------------------------------------------ the registry

    static {
        // math -----------------------------------------------------------
        scalar("ABS", 1, 1, a -> requireNumeric(a.get(0), "ABS"), v -> {
            Object x = v[0];
            if (x instanceof Long) {
                long l = (Long) x;
                if (l == Long.MIN_VALUE) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in ABS");
                }
                return Math.abs(l);
            }
            return x instanceof Double ? (Object) Math.abs((Double) x) : ((BigDecimal) x).abs();
        }, "absolute value, same type");
        scalar("ROUND", 1, 2, a -> {
            requireNumeric(a.get(0), "ROUND");
            return a.get(0).kind == Kind.DECIMAL ? DataType.DECIMAL : a.get(0);
        }, v -> {
            int n = v.length > 1 ? toInt(v[1]) : 0;
            if (v[0] instanceof Double) {
                return new BigDecimal(Double.toString((Double) v[0])).setScale(n, RoundingMode.HALF_UP).doubleValue();
            }
            BigDecimal r = big(v[0]).setScale(n, RoundingMode.HALF_UP);
            if (v[0] instanceof Long) {
                return r.setScale(0, RoundingMode.HALF_UP).longValueExact();
            }
            return n < 0 ? r.setScale(0, RoundingMode.UNNECESSARY) : r;
        }, "ROUND(x [, digits]) half-up; decimals stay exact");
        scalar("CEIL", 1, 1, a -> requireNumeric(a.get(0), "CEIL"), v -> v[0] instanceof Double ? (Object) Math.ceil((Double) v[0])
                : numeric(v[0], big(v[0]).setScale(0, RoundingMode.CEILING)), "smallest integer not below x");
        FUNCTIONS.put("CEILING", FUNCTIONS.get("CEIL"));
        scalar("FLOOR", 1, 1, a -> requireNumeric(a.get(0), "FLOOR"), v -> v[0] instanceof Double ? (Object) Math.floor((Double) v[0])
                : numeric(v[0], big(v[0]).setScale(0, RoundingMode.FLOOR)), "largest integer not above x");
        scalar("SQRT", 1, 1, a -> { requireNumeric(a.get(0), "SQRT"); return DataType.DOUBLE; }, v -> {
            double x = dbl(v[0]);
            if (x < 0) {
                throw invalid("SQRT of a negative number");
            }
            return Math.sqrt(x);
        }, "square root (DOUBLE)");
        scalar("POWER", 2, 2, a -> { requireNumeric(a.get(0), "POWER"); requireNumeric(a.get(1), "POWER"); return DataType.DOUBLE; },
                v -> Math.pow(dbl(v[0]), dbl(v[1])), "x raised to y (DOUBLE)");
        FUNCTIONS.put("POW", FUNCTIONS.get("POWER"));
        scalar("MOD", 2, 2, a -> commonType(requireNumeric(a.get(0), "MOD"), requireNumeric(a.get(1), "MOD"), "MOD"), v -> {
            if (v[0] instanceof Long && v[1] instanceof Long) {
                if ((Long) v[1] == 0) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.DIVISION_BY_ZERO, "division by zero");
                }
                return (Long) v[1] == -1 ? 0L : (Long) v[0] % (Long) v[1];
            }
            if (v[0] instanceof Double || v[1] instanceof Double) {
                if (dbl(v[1]) == 0) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.DIVISION_BY_ZERO, "division by zero");
                }
                return dbl(v[0]) % dbl(v[1]);
            }
            if (big(v[1]).signum() == 0) {
                throw new io.velo.failure.RecordError(io.velo.failure.RecordError.DIVISION_BY_ZERO, "division by zero");
            }
            return big(v[0]).remainder(big(v[1]));
        }, "remainder, sign of the dividend");
        scalar("EXP", 1, 1, a -> { requireNumeric(a.get(0), "EXP"); return DataType.DOUBLE; }, v -> Math.exp(dbl(v[0])), "e^x");
        scalar("LN", 1, 1, a -> { requireNumeric(a.get(0), "LN"); return DataType.DOUBLE; }, v -> {
            if (dbl(v[0]) <= 0) {
                throw invalid("LN of a non-positive number");
            }
            return Math.log(dbl(v[0]));
        }, "natural logarithm");
        scalar("LOG10", 1, 1, a -> { requireNumeric(a.get(0), "LOG10"); return DataType.DOUBLE; }, v -> {
            if (dbl(v[0]) <= 0) {
                throw invalid("LOG10 of a non-positive number");
            }
            return Math.log10(dbl(v[0]));
        }, "base-10 logarithm");
        scalar("SIGN", 1, 1, a -> { requireNumeric(a.get(0), "SIGN"); return DataType.BIGINT; },
                v -> (long) (v[0] instanceof Double ? (long) Math.signum((Double) v[0]) : big(v[0]).signum()), "-1, 0 or 1");
        lenient("LEAST", 1, ANY, a -> commonType(a, "LEAST"), v -> pick(v, true), "smallest non-null argument");
        lenient("GREATEST", 1, ANY, a -> commonType(a, "GREATEST"), v -> pick(v, false), "largest non-null argument");

        // strings --------------------------------------------------------
        scalar("UPPER", 1, 1, a -> { requireString(a.get(0), "UPPER"); return DataType.STRING; }, v -> str(v[0]).toUpperCase(Locale.ROOT), "upper case");
        scalar("LOWER", 1, 1, a -> { requireString(a.get(0), "LOWER"); return DataType.STRING; }, v -> str(v[0]).toLowerCase(Locale.ROOT), "lower case");
        scalar("SUBSTRING", 2, 3, a -> { requireString(a.get(0), "SUBSTRING"); return DataType.STRING; }, v -> {
            String s = str(v[0]);
            long start = lng(v[1]);
            long len = v.length > 2 ? lng(v[2]) : Long.MAX_VALUE / 4;
            if (len < 0) {
                throw invalid("SUBSTRING length must not be negative");
            }
            long from = Math.max(start, 1);
            long to = Math.min(s.length() + 1L, start + len);
            return from >= to ? "" : s.substring((int) from - 1, (int) to - 1);
        }, "SUBSTRING(s, start [, length]), 1-based");
        scalar("TRIM", 1, 2, a -> DataType.STRING, v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", true, true), "strip spaces (or given characters) both ends");
        scalar("LTRIM", 1, 2, a -> DataType.STRING, v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", true, false), "strip leading spaces");
        scalar("RTRIM", 1, 2, a -> DataType.STRING, v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", false, true), "strip trailing spaces");
        scalar("LENGTH", 1, 1, a -> DataType.BIGINT, v -> (long) str(v[0]).length(), "number of characters");
        FUNCTIONS.put("CHAR_LENGTH", FUNCTIONS.get("LENGTH"));
        lenient("CONCAT", 1, ANY, a -> DataType.STRING, v -> {
            StringBuilder sb = new StringBuilder();
            for (Object o : v) {
                if (o != null) {
                    sb.append(o instanceof BigDecimal ? ((BigDecimal) o).toPlainString() : String.valueOf(o));
                }
            }
            return sb.toString();
        }, "concatenation; NULL arguments are skipped");
        scalar("REPLACE", 3, 3, a -> DataType.STRING, v -> str(v[0]).replace(str(v[1]), str(v[2])), "replace every occurrence");
        scalar("LEFT", 2, 2, a -> DataType.STRING, v -> {
            String s = str(v[0]);
            int n = toInt(v[1]);
            return n < 0 ? s.substring(0, Math.max(0, s.length() + n)) : s.substring(0, Math.min(n, s.length()));
        }, "first n characters");
        scalar("RIGHT", 2, 2, a -> DataType.STRING, v -> {
            String s = str(v[0]);
            int n = toInt(v[1]);
            return n < 0 ? s.substring(Math.min(s.length(), -n)) : s.substring(s.length() - Math.min(n, s.length()));
        }, "last n characters");
        scalar("POSITION", 2, 2, a -> DataType.BIGINT, v -> (long) (str(v[1]).indexOf(str(v[0])) + 1), "POSITION(sub IN s), 1-based, 0 if absent");
        scalar("SPLIT_PART", 3, 3, a -> DataType.STRING, v -> {
            String s = str(v[0]);
            String d = str(v[1]);
            int n = toInt(v[2]);
            if (n == 0) {
                throw invalid("SPLIT_PART field position must not be zero");
            }
            List<String> parts = new ArrayList<>();
            if (d.isEmpty()) {
                parts.add(s);
            } else {
                int from = 0;
                while (true) {
                    int k = s.indexOf(d, from);
                    if (k < 0) {
                        parts.add(s.substring(from));
                        break;
                    }
                    parts.add(s.substring(from, k));
                    from = k + d.length();
                }
            }
            int idx = n > 0 ? n - 1 : parts.size() + n;
            return idx >= 0 && idx < parts.size() ? parts.get(idx) : "";
        }, "SPLIT_PART(s, delimiter, n)");
        scalar("LPAD", 2, 3, a -> DataType.STRING, v -> pad(str(v[0]), toInt(v[1]), v.length > 2 ? str(v[2]) : " ", true), "left-pad to length");
        scalar("RPAD", 2, 3, a -> DataType.STRING, v -> pad(str(v[0]), toInt(v[1]), v.length > 2 ? str(v[2]) : " ", false), "right-pad to length");
        scalar("REGEXP", 2, 2, a -> DataType.BOOLEAN, v -> regex(str(v[1])).matcher(str(v[0])).find(), "true when the pattern matches");
        FUNCTIONS.put("REGEXP_LIKE", FUNCTIONS.get("REGEXP"));
        scalar("REGEXP_REPLACE", 3, 3, a -> DataType.STRING, v -> regex(str(v[1])).matcher(str(v[0])).replaceAll(str(v[2])), "replace every match");

        // time -----------------------------------------------------------
        volatileFn("NOW", 0, 0, a -> DataType.TIMESTAMP, v -> System.currentTimeMillis(), "current processing time");
        FUNCTIONS.put("CURRENT_TIMESTAMP", new FunctionDef("CURRENT_TIMESTAMP", FunctionKind.SCALAR, 0, 0,
                a -> DataType.TIMESTAMP, v -> System.currentTimeMillis(), false, false, "current processing time"));
        FUNCTIONS.put("CURRENT_DATE", new FunctionDef("CURRENT_DATE", FunctionKind.SCALAR, 0, 0,
                a -> DataType.DATE, v -> Math.floorDiv(System.currentTimeMillis(), Values.MILLIS_PER_DAY), false, false, "current date (UTC)"));
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
        FUNCTIONS.put("UNIX_TIMESTAMP", new FunctionDef("UNIX_TIMESTAMP", FunctionKind.SCALAR, 0, 1, a -> DataType.BIGINT,
                v -> Math.floorDiv(v.length == 0 ? System.currentTimeMillis() : millisOf(v[0]), 1000L), true, false,
                "TIMESTAMP (or now) to seconds since the epoch"));
        scalar("TUMBLE_START", 2, 2, a -> DataType.TIMESTAMP, v -> Math.floorDiv(millisOf(v[0]), lng(v[1])) * lng(v[1]),
                "start of the tumbling window of the given size holding ts");
        scalar("TUMBLE_END", 2, 2, a -> DataType.TIMESTAMP, v -> Math.floorDiv(millisOf(v[0]), lng(v[1])) * lng(v[1]) + lng(v[1]),
                "end (exclusive) of the tumbling window of the given size holding ts");

        // other ----------------------------------------------------------
        lenient("COALESCE", 1, ANY, a -> commonType(a, "COALESCE"), v -> {
            for (Object o : v) {
                if (o != null) {
                    return o;
                }
            }
            return null;
        }, "first non-null argument");
        lenient("NULLIF", 2, 2, a -> { commonType(a, "NULLIF"); return a.get(0); },
                v -> v[0] != null && v[1] != null && compareObjects(v[0], v[1]) == 0 ? null : v[0], "NULL when both are equal");
        lenient("IF", 3, 3, a -> {
            if (a.get(0).kind != Kind.BOOLEAN && a.get(0).kind != Kind.NULL) {
                throw new IllegalArgumentException("IF expects a BOOLEAN condition, got " + a.get(0));
            }
            return commonType(a.get(1), a.get(2), "IF");
        }, v -> Boolean.TRUE.equals(v[0]) ? v[1] : v[2], "IF(cond, then, else)");
        scalar("JSON_VALUE", 2, 2, a -> DataType.STRING, v -> {
            JsonNode n = jsonPath(str(v[0]), str(v[1]));
            return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
        }, "scalar at a JSON path as text ($.a.b[0])");
        scalar("JSON_EXTRACT", 2, 2, a -> DataType.STRING, v -> {
            JsonNode n = jsonPath(str(v[0]), str(v[1]));
            return n == null || n.isMissingNode() ? null : n.toString();
        }, "JSON text of the node at a path");
        volatileFn("HEADER", 1, 1, a -> DataType.STRING, v -> null,
                "value of a Kafka record header (NULL for records without headers, e.g. from files)");

        // aggregates ----------------------------------------------------
        aggregate("COUNT", 0, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "COUNT(*), COUNT(x), COUNT(DISTINCT x)");
        aggregate("SUM", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "sum; exact for decimals");
        aggregate("AVG", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "mean; exact sum / count for decimals");
        aggregate("MIN", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "minimum, same type");
        aggregate("MAX", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "maximum, same type");
        aggregate("FIRST_VALUE", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "first value in arrival order");
        aggregate("LAST_VALUE", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "last value in arrival order");
        aggregate("STDDEV", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "sample standard deviation");
        FUNCTIONS.put("STDDEV_SAMP", new FunctionDef("STDDEV_SAMP", FunctionKind.AGGREGATE_OR_ANALYTIC, 1, 1, null, null, false, true, "sample standard deviation"));
        aggregate("STDDEV_POP", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "population standard deviation");
        aggregate("VARIANCE", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "sample variance");
        FUNCTIONS.put("VAR_SAMP", new FunctionDef("VAR_SAMP", FunctionKind.AGGREGATE_OR_ANALYTIC, 1, 1, null, null, false, true, "sample variance"));
        aggregate("VAR_POP", 1, 1, FunctionKind.AGGREGATE_OR_ANALYTIC, "population variance");
        aggregate("MEDIAN", 1, 1, FunctionKind.AGGREGATE, "median (continuous)");
        aggregate("PERCENTILE_CONT", 2, 2, FunctionKind.AGGREGATE, "PERCENTILE_CONT(x, fraction), interpolated");
        aggregate("PERCENTILE_DISC", 2, 2, FunctionKind.AGGREGATE, "PERCENTILE_DISC(x, fraction), an input value");
        aggregate("APPROX_COUNT_DISTINCT", 1, 1, FunctionKind.AGGREGATE, "HyperLogLog distinct count (about 1.6% error)");
        aggregate("STRING_AGG", 1, 2, FunctionKind.AGGREGATE, "STRING_AGG(x [, separator]) in arrival order");
        aggregate("LISTAGG", 1, 2, FunctionKind.AGGREGATE, "LISTAGG(x [, separator]) in arrival order");

        // analytic -------------------------------------------------------
        aggregate("LAG", 1, 3, FunctionKind.ANALYTIC, "LAG(x [, offset [, default]]) OVER (…)");
        aggregate("LEAD", 1, 3, FunctionKind.ANALYTIC, "LEAD(x [, offset [, default]]) OVER (…)");
        aggregate("ROW_NUMBER", 0, 0, FunctionKind.ANALYTIC, "row number within the partition");
        aggregate("RANK", 0, 0, FunctionKind.ANALYTIC, "rank with gaps");
        aggregate("DENSE_RANK", 0, 0, FunctionKind.ANALYTIC, "rank without gaps");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareObjects(Object a, Object b) {
        if (a instanceof Number && b instanceof Number && a.getClass() != b.getClass()) {
            return big(a).compareTo(big(b));
        }
        if (a instanceof BigDecimal && b instanceof BigDecimal) {
            return ((BigDecimal) a).compareTo((BigDecimal) b);
        }
        return ((Comparable) a).compareTo(b);
    }

    private static Object pick(Object[] v, boolean least) {
        Object best = null;
        for (Object o : v) {
            if (o != null && (best == null || (least ? compareObjects(o, best) < 0 : compareObjects(o, best) > 0))) {
                best = o;
            }
        }
        return best;
    }
}
