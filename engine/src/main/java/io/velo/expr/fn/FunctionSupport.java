package io.velo.expr.fn;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Type rules and value conversions shared by the function families. */
final class FunctionSupport {
    static final int ANY = Integer.MAX_VALUE;

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

    static io.velo.failure.RecordError invalid(String message) {
        return new io.velo.failure.RecordError(io.velo.failure.RecordError.INVALID_ARGUMENT, message);
    }

    /** Numeric results keep their argument's kind: Long stays Long, BigDecimal stays BigDecimal. */
    static Object numeric(Object like, BigDecimal v) {
        if (like instanceof Long) {
            if (v.compareTo(LONG_MIN) < 0 || v.compareTo(LONG_MAX) > 0) {
                throw new io.velo.failure.RecordError(io.velo.failure.RecordError.NUMERIC_OUT_OF_RANGE,
                        "value " + v.toPlainString() + " is out of range for BIGINT");
            }
            return v.longValue();
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

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    // ------------------------------------------------------------------ argument types

    /** What one argument of a function accepts (NULL is accepted everywhere). */
    enum Arg {
        STRING("STRING"), COUNT("BIGINT"), NUMBER("a number (BIGINT, DECIMAL or DOUBLE)"), BOOLEAN("BOOLEAN"), ANY("any type");

        final String shown;

        Arg(String shown) {
            this.shown = shown;
        }

        boolean accepts(DataType t) {
            switch (this) {
                case STRING: return t.kind == Kind.STRING || t.kind == Kind.NULL;
                case COUNT: return t.kind == Kind.BIGINT || t.kind == Kind.NULL;
                case NUMBER: return t.isNumeric() || t.kind == Kind.NULL;
                case BOOLEAN: return t.kind == Kind.BOOLEAN || t.kind == Kind.NULL;
                default: return true;
            }
        }
    }

    /**
     * A function's parameter list, written {@code "s STRING, n COUNT, [fill STRING]"}: optional
     * parameters in brackets, a trailing {@code ...} repeats the last one. Checks the argument types
     * of a call, positioned on the offending argument.
     */
    static final class Params {
        final String function;
        final String[] names;
        final Arg[] kinds;
        final int min;
        final boolean variadic;

        Params(String function, String spec) {
            this.function = function;
            String body = spec.trim();
            this.variadic = body.endsWith("...");
            if (variadic) {
                body = body.substring(0, body.length() - 3).trim();
            }
            String[] parts = body.isEmpty() ? new String[0] : body.split(",");
            names = new String[parts.length];
            kinds = new Arg[parts.length];
            int required = 0;
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                boolean optional = p.startsWith("[");
                String[] nk = p.replace("[", "").replace("]", "").trim().split("\\s+");
                names[i] = nk[0];
                kinds[i] = nk.length > 1 ? Arg.valueOf(nk[1]) : Arg.ANY;
                if (!optional) {
                    required = i + 1;
                }
            }
            this.min = required;
        }

        int max() {
            return variadic ? ANY : names.length;
        }

        /** {@code LEFT(s STRING, n BIGINT)}, as shown in messages and SHOW FUNCTIONS. */
        String text() {
            StringBuilder sb = new StringBuilder(function).append('(');
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                String one = names[i] + (kinds[i] == Arg.ANY ? "" : " " + (kinds[i] == Arg.NUMBER ? "NUMBER" : kinds[i].shown));
                sb.append(i >= min ? "[" + one + "]" : one);
            }
            return sb.append(variadic ? ", …)" : ")").toString();
        }

        void check(List<DataType> types) {
            for (int i = 0; i < types.size(); i++) {
                int k = Math.min(i, kinds.length - 1);
                if (!kinds[k].accepts(types.get(i))) {
                    throw new CallSite.Rejected(i, "argument " + (i + 1) + " of " + text() + " must be "
                            + kinds[k].shown + ", got " + types.get(i));
                }
            }
        }
    }

    /**
     * Registers a scalar function with typed parameters: the type rule runs after the argument
     * check, the binder sees the call site (constants, types) once at compile time.
     */
    static Params define(String name, String params, java.util.function.Function<List<DataType>, DataType> result,
                         Binder binder, boolean strict, String doc) {
        Params p = new Params(name, params);
        register(new FunctionDef(name, FunctionKind.SCALAR, p.min, p.max(), types -> {
            p.check(types);
            return result.apply(types);
        }, binder, strict, true, p.text() + ": " + doc));
        return p;
    }

    /** A strict function (NULL in, NULL out) whose implementation does not depend on the call site. */
    static Params define(String name, String params, java.util.function.Function<List<DataType>, DataType> result,
                         io.velo.expr.eval.FunctionEval.Impl impl, String doc) {
        return define(name, params, result, site -> impl, true, doc);
    }

    // ------------------------------------------------------------------ value types

    /** Digits a BIGINT may need as a DECIMAL. */
    static final int BIGINT_DIGITS = 19;

    /** DECIMAL(p, s) of a literal's digits; DECIMAL (any scale) when it needs more than 38 digits. */
    static DataType literalType(BigDecimal v) {
        int s = Math.max(v.scale(), 0);
        int p = Math.max(Math.max(v.precision() - v.scale(), 0) + s, 1);
        return p > DataType.MAX_PRECISION ? DataType.DECIMAL : DataType.decimal(p, s);
    }

    /**
     * The type of a value picked from several (CASE, COALESCE, IF, GREATEST, LEAST): their common
     * type; for decimals whose scales are all known, DECIMAL(p, s) with s the largest scale and p
     * enough for the widest integer part (at most 38), so every row is written at one scale. An
     * input whose scale varies per value (an inferred column) leaves the result's scale open.
     */
    static DataType valueType(List<DataType> types, String what) {
        DataType common = commonType(types, what);
        if (common.kind != Kind.DECIMAL) {
            return common;
        }
        int intDigits = 1;
        int scale = 0;
        for (DataType t : types) {
            if (t.kind == Kind.BIGINT) {
                intDigits = Math.max(intDigits, BIGINT_DIGITS);
            } else if (t.kind == Kind.DECIMAL) {
                if (!t.hasFixedScale()) {
                    return DataType.DECIMAL;
                }
                intDigits = Math.max(intDigits, t.precision - t.scale);
                scale = Math.max(scale, t.scale);
            }
        }
        return DataType.decimal(Math.min(DataType.MAX_PRECISION, intDigits + scale), scale);
    }

    /** Converts every argument of a call to {@code type} (for functions that pick one of them). */
    static void convertAll(CallSite site, DataType type, int from) {
        for (int i = from; i < site.arity(); i++) {
            site.convert(i, type);
        }
    }

    // ------------------------------------------------------------------ limits

    /** Refuses to build a string longer than {@link io.velo.types.Limits#MAX_STRING_LENGTH}. */
    static void checkLength(String fn, long length) {
        if (length > io.velo.types.Limits.MAX_STRING_LENGTH) {
            throw tooLong(fn, length);
        }
    }

    static io.velo.failure.RecordError tooLong(String fn, long length) {
        return new io.velo.failure.RecordError(io.velo.failure.RecordError.LIMIT_EXCEEDED, fn + " result of " + length
                + " characters exceeds the limit of " + io.velo.types.Limits.MAX_STRING_LENGTH + " for a STRING value");
    }
}
