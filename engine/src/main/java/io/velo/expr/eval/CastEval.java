package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.DoubleText;
import io.velo.types.Values;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * CAST between any two types. Values that do not convert (text that is no number, a number out of
 * range for BIGINT or for a DECIMAL(p,s)) are record-level errors with a SQLSTATE code. A DATE is
 * days since 1970-01-01: as a TIMESTAMP it is its midnight UTC, a TIMESTAMP's DATE is its UTC day,
 * and a DATE as BIGINT (and back) is the day number.
 */
public final class CastEval extends Eval {
    private final Eval in;
    private final DataType.Kind from;
    private final DecimalRounding rounding;

    public CastEval(Eval in, DataType target, DecimalRounding rounding) {
        super(target);
        this.in = in;
        this.from = in.type.kind;
        this.rounding = rounding;
    }

    @Override
    public boolean isConstant() {
        return in.isConstant();
    }

    /** The value being cast. */
    public Eval input() {
        return in;
    }

    public DecimalRounding rounding() {
        return rounding;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        in.eval(b, row);
        if (in.isNull) {
            isNull = true;
            return;
        }
        isNull = false;
        switch (type.kind) {
            case BIGINT: toBigint(); break;
            case DOUBLE: toDouble(); break;
            case DECIMAL: toDecimal(); break;
            case STRING: o = text(in); break;
            case BOOLEAN: toBoolean(); break;
            case TIMESTAMP: toTimestamp(); break;
            case DATE: toDate(); break;
            case NULL: isNull = true; break;
            default:
                if (from == type.kind) {
                    o = in.o;
                } else {
                    throw new RecordError(RecordError.INVALID_CAST, "cannot cast " + in.type + " to " + type);
                }
        }
    }

    /** The SQL text of an evaluator's current (non-null) value. */
    public static String text(Eval e) {
        switch (e.type.kind) {
            case BIGINT: return Long.toString(e.l);
            case BOOLEAN: return e.l != 0 ? "true" : "false";
            case DOUBLE: return Values.formatDouble(e.d);
            case DECIMAL: return e.dec.toString();
            case TIMESTAMP: return Values.formatTimestamp(e.l);
            case DATE: return Values.formatDate(e.l);
            case STRING: return (String) e.o;
            default: return Values.jsonText(e.o);
        }
    }

    private RecordError bad(String why) {
        return new RecordError(RecordError.INVALID_CAST, why);
    }

    private void toBigint() {
        switch (from) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: l = in.l; return;
            case DOUBLE:
                if (Double.isNaN(in.d) || in.d >= 9.223372036854775807E18 || in.d < -9.223372036854775808E18) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "value " + in.d + " is out of range for BIGINT");
                }
                l = (long) in.d;
                return;
            case DECIMAL: {
                BigDecimal v = in.dec.toBigDecimal().setScale(0, java.math.RoundingMode.DOWN);
                if (v.unscaledValue().bitLength() > 63) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "value " + in.dec + " is out of range for BIGINT");
                }
                l = v.longValue();
                return;
            }
            case STRING: {
                String s = ((String) in.o).trim();
                try {
                    l = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    if (DecimalMath.parse(s, dec)) {
                        BigDecimal v = dec.toBigDecimal().setScale(0, java.math.RoundingMode.DOWN);
                        if (v.unscaledValue().bitLength() > 63) {
                            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "'" + s + "' is out of range for BIGINT");
                        }
                        l = v.longValue();
                        return;
                    }
                    throw bad("cannot cast '" + s + "' to BIGINT");
                }
                return;
            }
            default: throw bad("cannot cast " + in.type + " to BIGINT");
        }
    }

    private void toDouble() {
        switch (from) {
            case BIGINT: case TIMESTAMP: case DATE: d = in.l; return;
            case BOOLEAN: d = in.l; return;
            case DOUBLE: d = in.d; return;
            case DECIMAL:
                d = in.dec.toBigDecimal().doubleValue();
                if (!Double.isFinite(d)) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "value " + in.dec + " is out of range for DOUBLE");
                }
                return;
            case STRING: {
                String s = ((String) in.o).trim();
                try {
                    d = DoubleText.parse(s);
                } catch (NumberFormatException e) {
                    throw bad("cannot cast '" + DoubleText.shown(s) + "' to DOUBLE");
                }
                if (!Double.isFinite(d)) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "'" + DoubleText.shown(s)
                            + "' is out of range for DOUBLE (a DOUBLE is a finite number)");
                }
                return;
            }
            default: throw bad("cannot cast " + in.type + " to DOUBLE");
        }
    }

    private void toDecimal() {
        switch (from) {
            case BIGINT: case BOOLEAN: dec.set(in.l, 0); break;
            case DECIMAL: dec.set(in.dec); break;
            case DOUBLE:
                if (Double.isNaN(in.d) || Double.isInfinite(in.d)) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, in.d + " cannot be a DECIMAL");
                }
                dec.set(new BigDecimal(Double.toString(in.d)));
                break;
            case STRING:
                if (!DecimalMath.parse(((String) in.o).trim(), dec)) {
                    throw bad("cannot cast '" + in.o + "' to DECIMAL");
                }
                break;
            default: throw bad("cannot cast " + in.type + " to DECIMAL");
        }
        fitDecimal(dec, type, rounding);
    }

    /** Rescales to a fixed-scale DECIMAL(p,s); a value too wide for the type is a record error 22003. */
    public static void fitDecimal(io.velo.types.decimal.Dec v, DataType target, DecimalRounding rounding) {
        if (!Values.fitDecimal(v, target, rounding)) {
            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "value " + v + " does not fit " + target);
        }
    }

    private void toBoolean() {
        switch (from) {
            case BOOLEAN: l = in.l; return;
            case BIGINT: l = in.l != 0 ? 1 : 0; return;
            case STRING: {
                String s = ((String) in.o).trim().toLowerCase(Locale.ROOT);
                switch (s) {
                    case "true": case "t": case "yes": case "y": case "1": l = 1; return;
                    case "false": case "f": case "no": case "n": case "0": l = 0; return;
                    default: throw bad("cannot cast '" + in.o + "' to BOOLEAN");
                }
            }
            default: throw bad("cannot cast " + in.type + " to BOOLEAN");
        }
    }

    private void toTimestamp() {
        switch (from) {
            case TIMESTAMP: case BIGINT: l = in.l; return;
            case DATE: l = in.l * Values.MILLIS_PER_DAY; return;
            case STRING: {
                long t = Values.parseTimestamp((String) in.o);
                if (t == Long.MIN_VALUE) {
                    throw bad("cannot cast '" + in.o + "' to TIMESTAMP (expected ISO-8601 like 2024-01-31T09:30:00Z or epoch millis)");
                }
                l = t;
                return;
            }
            default: throw bad("cannot cast " + in.type + " to TIMESTAMP");
        }
    }

    private void toDate() {
        switch (from) {
            case DATE: l = in.l; return;
            case TIMESTAMP: l = Math.floorDiv(in.l, Values.MILLIS_PER_DAY); return;
            case BIGINT: // days since 1970-01-01, the inverse of CAST(date AS BIGINT)
                if (!Values.isDate(in.l)) {
                    throw new RecordError(RecordError.DATETIME_OVERFLOW, "day " + in.l + " is out of the DATE range");
                }
                l = in.l;
                return;
            case STRING: {
                long t = Values.parseDate((String) in.o);
                if (t == Long.MIN_VALUE) {
                    throw bad("cannot cast '" + in.o + "' to DATE (expected YYYY-MM-DD)");
                }
                l = t;
                return;
            }
            default: throw bad("cannot cast " + in.type + " to DATE");
        }
    }
}
