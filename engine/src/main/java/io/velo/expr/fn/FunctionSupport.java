package io.velo.expr.fn;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;

/** Type rules and value conversions shared by the function families. */
final class FunctionSupport {
    static final int ANY = Integer.MAX_VALUE;
    private static final java.util.Map<String, Pattern> REGEX_CACHE = new ConcurrentHashMap<>();

    private FunctionSupport() {
    }

    static void scalar(String name, int min, int max, java.util.function.Function<List<DataType>, DataType> type,
                       io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        register(new FunctionDef(name, FunctionKind.SCALAR, min, max, type, site -> impl, true, true, doc));
    }

    static void lenient(String name, int min, int max, java.util.function.Function<List<DataType>, DataType> type,
                        io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        register(new FunctionDef(name, FunctionKind.SCALAR, min, max, type, site -> impl, false, true, doc));
    }

    static void volatileFn(String name, int min, int max, java.util.function.Function<List<DataType>, DataType> type,
                           io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        register(new FunctionDef(name, FunctionKind.SCALAR, min, max, type, site -> impl, false, false, doc));
    }

    static void aggregate(String name, int min, int max, FunctionKind kind, String doc) {
        register(new FunctionDef(name, kind, min, max, null, null, false, true, doc));
    }

    static void register(FunctionDef def) {
        FunctionRegistry.put(def.name(), def);
    }

    /** Another name for a registered function (CEILING = CEIL). */
    static void alias(String alias, String name) {
        FunctionRegistry.putAlias(alias, name);
    }

    static java.util.function.Function<List<DataType>, DataType> fixed(DataType t) {
        return args -> t;
    }

    static DataType requireNumeric(DataType t, String fn) {
        if (!t.isNumeric() && t.kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a number, got " + t);
        }
        return t;
    }

    static DataType requireString(DataType t, String fn) {
        if (t.kind != Kind.STRING && t.kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a STRING, got " + t);
        }
        return t;
    }

    static DataType requireTime(DataType t, String fn) {
        if (t.kind != Kind.TIMESTAMP && t.kind != Kind.DATE && t.kind != Kind.BIGINT && t.kind != Kind.STRING && t.kind != Kind.NULL) {
            throw new IllegalArgumentException(fn + " expects a DATE or TIMESTAMP, got " + t);
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

    static Object pick(Object[] v, boolean least) {
        Object best = null;
        for (Object o : v) {
            if (o != null && (best == null || (least ? compareObjects(o, best) < 0 : compareObjects(o, best) > 0))) {
                best = o;
            }
        }
        return best;
    }
}
