package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Values;
import io.velo.types.decimal.DecimalRounding;

/**
 * The general path for scalar functions whose cost is dominated by their own work (string, time,
 * JSON functions): arguments are handed over as Java objects in a reused array. A strict function
 * returns NULL when any argument is NULL without being called.
 */
public final class FunctionEval extends Eval {
    /** The implementation: arguments as Java objects (Long, Double, BigDecimal, Boolean, String…). */
    @FunctionalInterface
    public interface Impl {
        Object apply(Object[] args);
    }

    private final String name;
    private final Impl impl;
    private final Eval[] args;
    private final Object[] values;
    private final boolean strict;
    private final boolean deterministic;

    public FunctionEval(String name, DataType type, Impl impl, Eval[] args, boolean strict, boolean deterministic) {
        super(type);
        this.name = name;
        this.impl = impl;
        this.args = args;
        this.values = new Object[args.length];
        this.strict = strict;
        this.deterministic = deterministic;
    }

    public String name() {
        return name;
    }

    /** The arguments, already converted to the types the function takes (the array itself: do not modify). */
    public Eval[] args() {
        return args;
    }

    /** A strict function is NULL when an argument is, without being called. */
    public boolean strict() {
        return strict;
    }

    @Override
    public boolean isConstant() {
        if (!deterministic) {
            return false;
        }
        for (Eval a : args) {
            if (!a.isConstant()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        for (int i = 0; i < args.length; i++) {
            Eval a = args[i];
            a.eval(b, row);
            if (a.isNull && strict) {
                isNull = true;
                return;
            }
            values[i] = a.toObject();
        }
        setObject(impl.apply(values));
        if (!isNull && (type.kind == DataType.Kind.DOUBLE || type.hasFixedScale())) {
            checkResult();
        }
    }

    /**
     * A DOUBLE result is a finite number (EXP(1000) is an error, not Infinity); a fixed-scale
     * DECIMAL result is written at its type's scale, so one column never mixes scales.
     */
    private void checkResult() {
        if (type.kind == DataType.Kind.DOUBLE) {
            if (!Double.isFinite(d)) {
                throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, name + " result is out of range for DOUBLE");
            }
        } else if (!Values.fitDecimal(dec, type, DecimalRounding.HALF_UP)) {
            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, name + " result " + dec + " does not fit " + type);
        }
    }
}
