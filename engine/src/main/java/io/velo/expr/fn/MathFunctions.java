package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Math functions: ABS, ROUND, CEIL, FLOOR, SQRT, POWER, MOD, EXP, LN, LOG10, SIGN, LEAST, GREATEST. */
final class MathFunctions {
    private MathFunctions() {
    }

    static void registerAll() {
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
        alias("CEILING", "CEIL");
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
        alias("POW", "POWER");
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
    }
}
