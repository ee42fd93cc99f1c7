package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code value [NOT] IN (c1, c2, …)} over a long list of constants: one hash lookup per record
 * instead of a scan. Answers are those of {@link PredicateEval.InList} over the same (already
 * coerced) items: a NULL value gives NULL; a match gives TRUE (FALSE for NOT IN); no match gives NULL
 * when the list holds a NULL, else FALSE (TRUE for NOT IN).
 *
 * <p>BIGINT, BOOLEAN, TIMESTAMP and DATE values are kept as longs, DOUBLE as its bits (equality of
 * bits is exactly {@code Double.compare == 0}, the row comparison), STRING in a hash set. A DECIMAL
 * item is kept as its unscaled long at the list's largest scale when it is exact there and fits;
 * the few that do not (more than 18 digits) are kept as normalized BigDecimals, so items of mixed
 * scales ({@code 1.5, 2.25, 3}) compare by value as {@code =} does.
 */
public final class InSetEval extends Eval {
    /** 10^18 is the largest power of ten in a long: the widest rescale the fast path does. */
    private static final int LONG_DIGITS = 18;

    /** Lists shorter than this are scanned: a few comparisons cost less than hashing. */
    public static final int MIN_ITEMS = 8;

    private final Eval value;
    private final boolean negated;
    private final boolean listHasNull;
    private final DataType.Kind kind;
    private final LongHashSet longs;
    private final int scale;
    private final Set<BigDecimal> bigs;
    private final Set<String> strings;

    private InSetEval(Eval value, boolean negated, boolean listHasNull, LongHashSet longs, int scale,
                      Set<BigDecimal> bigs, Set<String> strings) {
        super(DataType.BOOLEAN);
        this.value = value;
        this.kind = value.type.kind;
        this.negated = negated;
        this.listHasNull = listHasNull;
        this.longs = longs;
        this.scale = scale;
        this.bigs = bigs;
        this.strings = strings;
    }

    /** The hashed form, or null when an item is not a constant or the type is not hashable. */
    public static InSetEval of(Eval value, Eval[] items, boolean negated) {
        DataType.Kind k = value.type.kind;
        boolean hasNull = false;
        int maxScale = 0;
        for (Eval item : items) {
            if (!(item instanceof ConstEval)) {
                return null;
            }
            if (item.isNull) {
                hasNull = true;
            } else if (item.type.kind != k) {
                return null;
            } else if (k == DataType.Kind.DECIMAL && item.dec.big == null) {
                maxScale = Math.max(maxScale, item.dec.scale);
            }
        }
        switch (k) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: case DOUBLE: {
                LongHashSet set = new LongHashSet(items.length);
                for (Eval item : items) {
                    if (!item.isNull) {
                        set.add(k == DataType.Kind.DOUBLE ? Double.doubleToLongBits(item.d) : item.l);
                    }
                }
                return new InSetEval(value, negated, hasNull, set, 0, null, null);
            }
            case DECIMAL: {
                int s = Math.min(maxScale, LONG_DIGITS);
                LongHashSet set = new LongHashSet(items.length);
                Set<BigDecimal> big = new HashSet<>();
                for (Eval item : items) {
                    if (!item.isNull) {
                        BigDecimal v = item.dec.toBigDecimal();
                        Long x = unscaledAt(v, s);
                        if (x != null) {
                            set.add(x);
                        } else {
                            big.add(v.stripTrailingZeros());
                        }
                    }
                }
                return new InSetEval(value, negated, hasNull, set, s, big, null);
            }
            case STRING: {
                Set<String> set = new HashSet<>();
                for (Eval item : items) {
                    if (!item.isNull) {
                        set.add((String) item.o);
                    }
                }
                return new InSetEval(value, negated, hasNull, null, 0, null, set);
            }
            default:
                return null;
        }
    }

    /** {@code v}'s unscaled value at {@code scale} when exact and within a long; else null. */
    private static Long unscaledAt(BigDecimal v, int scale) {
        try {
            return v.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    @Override
    public void eval(RecordBatch b, int row) {
        value.eval(b, row);
        if (value.isNull) {
            isNull = true;
            return;
        }
        if (contains(value)) {
            isNull = false;
            l = negated ? 0 : 1;
        } else if (listHasNull) {
            isNull = true;
        } else {
            isNull = false;
            l = negated ? 1 : 0;
        }
    }

    private boolean contains(Eval v) {
        switch (kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: return longs.contains(v.l);
            case DOUBLE: return longs.contains(Double.doubleToLongBits(v.d));
            case DECIMAL: return containsDecimal(v.dec);
            default: return strings.contains((String) v.o);
        }
    }

    /** True when the set holds a value of long-backed kind equal to {@code x} (the batch filter's probe). */
    public boolean containsLong(long x) {
        return longs.contains(x);
    }

    /**
     * Every value has one canonical key: its unscaled long at the list's scale when exact and within
     * a long, else its normalized BigDecimal; items were stored by the same rule.
     */
    public boolean containsDecimal(Dec v) {
        if (v.big == null) {
            int d = scale - v.scale;
            if (d == 0) {
                return longs.contains(v.unscaled);
            }
            if (d > 0 && d <= LONG_DIGITS) {
                long p = DecimalMath.pow10(d);
                long x = v.unscaled * p;
                if (Math.multiplyHigh(v.unscaled, p) == (x >> 63)) {
                    return longs.contains(x);
                }
            } else if (d < 0 && d >= -LONG_DIGITS) {
                long p = DecimalMath.pow10(-d);
                if (v.unscaled % p == 0) {
                    return longs.contains(v.unscaled / p);
                }
                // digits beyond the list's scale: only a BigDecimal item can be equal
                return !bigs.isEmpty() && containsSlow(v);
            }
        }
        return containsSlow(v);
    }

    private boolean containsSlow(Dec v) {
        BigDecimal bd = v.toBigDecimal();
        Long x = unscaledAt(bd, scale);
        return x != null ? longs.contains(x) : bigs.contains(bd.stripTrailingZeros());
    }

    /** True when the set holds a DOUBLE equal to {@code x} (by {@code Double.compare}). */
    public boolean containsDouble(double x) {
        return longs.contains(Double.doubleToLongBits(x));
    }

    /** True when the set holds the STRING {@code s}. */
    public boolean containsString(String s) {
        return strings.contains(s);
    }

    public Eval value() {
        return value;
    }

    public boolean negated() {
        return negated;
    }

    public boolean listHasNull() {
        return listHasNull;
    }
}
