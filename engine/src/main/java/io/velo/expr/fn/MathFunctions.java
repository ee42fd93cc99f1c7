package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Math functions: ABS, ROUND, CEIL, FLOOR, SQRT, POWER, MOD, EXP, LN, LOG10, SIGN, LEAST, GREATEST.
 * A DOUBLE result is a finite number: overflow (EXP(1000)) is a record error 22003, never Infinity.
 */
final class MathFunctions {
    /** ROUND's digits reach as far as a DECIMAL's scale can. */
    static final int MAX_ROUND_DIGITS = DataType.MAX_PRECISION;

    private MathFunctions() {
    }

    static void registerAll() {
        // math -----------------------------------------------------------
        define("ABS", "x NUMBER", a -> a.get(0).kind == Kind.NULL ? DataType.BIGINT : a.get(0), v -> {
            Object x = v[0];
            if (x instanceof Long) {
                long l = (Long) x;
                if (l == Long.MIN_VALUE) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in ABS");
                }
                return Math.abs(l);
            }
            return x instanceof Double ? (Object) Math.abs((Double) x) : ((BigDecimal) x).abs();
        }, "absolute value, same type");
        define("ROUND", "x NUMBER, [digits COUNT]", a -> roundType(a.get(0), 0), MathFunctions::bindRound, true,
                "rounded half-up to digits (-38 to 38) after the point; a DECIMAL gets scale max(digits, 0), or keeps its own when digits come from the data");
        define("CEIL", "x NUMBER", a -> integralType(a.get(0)), v -> v[0] instanceof Double ? (Object) Math.ceil((Double) v[0])
                : numeric(v[0], big(v[0]).setScale(0, RoundingMode.CEILING)), "smallest integer not below x (a DECIMAL gets scale 0)");
        alias("CEILING", "CEIL");
        define("FLOOR", "x NUMBER", a -> integralType(a.get(0)), v -> v[0] instanceof Double ? (Object) Math.floor((Double) v[0])
                : numeric(v[0], big(v[0]).setScale(0, RoundingMode.FLOOR)), "largest integer not above x (a DECIMAL gets scale 0)");
        define("SQRT", "x NUMBER", a -> DataType.DOUBLE, v -> {
            double x = dbl(v[0]);
            if (x < 0) {
                throw invalid("SQRT of a negative number");
            }
            return Math.sqrt(x);
        }, "square root (DOUBLE)");
        define("POWER", "x NUMBER, y NUMBER", a -> DataType.DOUBLE, v -> {
            double x = dbl(v[0]);
            double y = dbl(v[1]);
            if (x < 0 && y != Math.rint(y)) {
                throw invalid("POWER of a negative number to a non-integer exponent");
            }
            if (x == 0 && y < 0) {
                throw new RecordError(RecordError.DIVISION_BY_ZERO, "POWER of zero to a negative exponent");
            }
            return Math.pow(x, y);
        }, "x raised to y (DOUBLE)");
        alias("POW", "POWER");
        define("MOD", "x NUMBER, y NUMBER", a -> valueType(a, "MOD"), site -> {
            convertAll(site, valueType(site.types(), "MOD"), 0);
            return MathFunctions::mod;
        }, true, "remainder of x / y, with the sign of x");
        define("EXP", "x NUMBER", a -> DataType.DOUBLE, v -> Math.exp(dbl(v[0])), "e raised to x");
        define("LN", "x NUMBER", a -> DataType.DOUBLE, v -> {
            if (dbl(v[0]) <= 0) {
                throw invalid("LN of a non-positive number");
            }
            return Math.log(dbl(v[0]));
        }, "natural logarithm");
        define("LOG10", "x NUMBER", a -> DataType.DOUBLE, v -> {
            if (dbl(v[0]) <= 0) {
                throw invalid("LOG10 of a non-positive number");
            }
            return Math.log10(dbl(v[0]));
        }, "base-10 logarithm");
        define("SIGN", "x NUMBER", a -> DataType.BIGINT,
                v -> (long) (v[0] instanceof Double ? (long) Math.signum((Double) v[0]) : big(v[0]).signum()), "-1, 0 or 1");
        define("LEAST", "value ...", a -> orderable(valueType(a, "LEAST"), "LEAST"), site -> {
            convertAll(site, valueType(site.types(), "LEAST"), 0);
            return v -> pick(v, true);
        }, false, "smallest non-null argument, in their common type");
        define("GREATEST", "value ...", a -> orderable(valueType(a, "GREATEST"), "GREATEST"), site -> {
            convertAll(site, valueType(site.types(), "GREATEST"), 0);
            return v -> pick(v, false);
        }, false, "largest non-null argument, in their common type");
    }

    private static Object mod(Object[] v) {
        if (v[0] instanceof Long) {
            long y = (Long) v[1];
            if (y == 0) {
                throw new RecordError(RecordError.DIVISION_BY_ZERO, "division by zero");
            }
            return y == -1 ? 0L : (Long) v[0] % y;
        }
        if (v[0] instanceof Double) {
            if ((Double) v[1] == 0) {
                throw new RecordError(RecordError.DIVISION_BY_ZERO, "division by zero");
            }
            return (Double) v[0] % (Double) v[1];
        }
        if (big(v[1]).signum() == 0) {
            throw new RecordError(RecordError.DIVISION_BY_ZERO, "division by zero");
        }
        return big(v[0]).remainder(big(v[1]));
    }

    private static DataType orderable(DataType t, String fn) {
        if (t.kind == Kind.ARRAY || t.kind == Kind.MAP) {
            throw new IllegalArgumentException(fn + " compares values; " + t + " values have no order");
        }
        return t;
    }

    /** CEIL and FLOOR: a DECIMAL loses its fraction digits, other types stay. */
    private static DataType integralType(DataType t) {
        if (t.kind == Kind.NULL) {
            return DataType.BIGINT;
        }
        if (t.kind != Kind.DECIMAL) {
            return t;
        }
        int intDigits = t.hasFixedScale() ? t.precision - t.scale + 1 : DataType.MAX_PRECISION;
        return DataType.decimal(Math.min(DataType.MAX_PRECISION, Math.max(1, intDigits)), 0);
    }

    /** ROUND(x, digits): a DECIMAL result has scale max(digits, 0), one more integer digit for the carry. */
    private static DataType roundType(DataType t, int digits) {
        if (t.kind == Kind.NULL) {
            return DataType.BIGINT;
        }
        if (t.kind != Kind.DECIMAL) {
            return t;
        }
        int scale = Math.max(digits, 0);
        int intDigits = t.hasFixedScale() ? t.precision - t.scale + 1 : DataType.MAX_PRECISION;
        return DataType.decimal(Math.min(DataType.MAX_PRECISION, Math.max(1, intDigits) + scale), scale);
    }

    private static io.velo.expr.eval.FunctionEval.Impl bindRound(CallSite site) {
        if (site.arity() > 1) {
            if (!site.isConstant(1)) {
                // digits from the data: a fixed-scale DECIMAL keeps its scale (ROUND(2.567, d) with d = 1 is
                // 2.600), one more integer digit for a carry, so the column has one type; any other input
                // keeps its own type
                DataType x = site.type(0);
                site.result(x.hasFixedScale() ? DataType.decimal(Math.min(DataType.MAX_PRECISION, x.precision + 1), x.scale)
                        : x.kind == Kind.DECIMAL ? DataType.DECIMAL : x);
            } else if (site.constant(1) != null) {
                long digits = lng(site.constant(1));
                if (Math.abs(digits) > MAX_ROUND_DIGITS) {
                    throw site.reject(1, "ROUND digits must be between -" + MAX_ROUND_DIGITS + " and " + MAX_ROUND_DIGITS + ", got " + digits);
                }
                site.result(roundType(site.type(0), (int) digits));
            }
        }
        return v -> round(v[0], v.length > 1 ? lng(v[1]) : 0);
    }

    private static Object round(Object x, long digits) {
        if (Math.abs(digits) > MAX_ROUND_DIGITS) {
            throw invalid("ROUND digits must be between -" + MAX_ROUND_DIGITS + " and " + MAX_ROUND_DIGITS + ", got " + digits);
        }
        int n = (int) digits;
        if (x instanceof Double) {
            return new BigDecimal(Double.toString((Double) x)).setScale(n, RoundingMode.HALF_UP).doubleValue();
        }
        BigDecimal r = big(x).setScale(n, RoundingMode.HALF_UP);
        if (x instanceof Long) {
            return numeric(x, r.setScale(0, RoundingMode.UNNECESSARY));
        }
        return n < 0 ? r.setScale(0, RoundingMode.UNNECESSARY) : r;
    }
}
