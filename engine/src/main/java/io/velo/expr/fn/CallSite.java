package io.velo.expr.fn;

import io.velo.types.DataType;
import java.util.List;

/**
 * What a function sees of one call when the query is compiled: the argument types and, for the
 * arguments that do not depend on the row, their values (Long, Double, BigDecimal, Boolean, String
 * or null for a NULL constant).
 */
public final class CallSite {
    private final String function;
    private final List<DataType> types;
    private final boolean[] constant;
    private final Object[] values;
    private final DataType[] conversions;
    private DataType result;

    public CallSite(String function, List<DataType> types, boolean[] constant, Object[] values) {
        this.function = function;
        this.types = List.copyOf(types);
        this.constant = constant.clone();
        this.values = values.clone();
        this.conversions = new DataType[types.size()];
    }

    /**
     * Asks the compiler to convert argument {@code arg} to {@code type} before the function sees it
     * (COALESCE and GREATEST take their arguments in their common type, CONCAT as text).
     */
    public void convert(int arg, DataType type) {
        conversions[arg] = type;
    }

    /** The type argument {@code arg} is to be converted to, or null. */
    public DataType conversion(int arg) {
        return conversions[arg];
    }

    /**
     * Narrows the result type once the constant arguments are known (ROUND(x, 2) of a DECIMAL is
     * DECIMAL(p, 2)); every value the function returns is then written at that type's scale.
     */
    public void result(DataType type) {
        this.result = type;
    }

    /** The narrowed result type, or null when the type rule's answer stands. */
    public DataType result() {
        return result;
    }

    public String function() {
        return function;
    }

    public int arity() {
        return types.size();
    }

    public DataType type(int arg) {
        return types.get(arg);
    }

    public List<DataType> types() {
        return types;
    }

    public boolean isConstant(int arg) {
        return constant[arg];
    }

    /** The value of a constant argument (null for a NULL constant); only valid when {@link #isConstant}. */
    public Object constant(int arg) {
        if (!constant[arg]) {
            throw new IllegalStateException(function + " argument " + (arg + 1) + " is not a constant");
        }
        return values[arg];
    }

    /** Refuses the call at compile time with a message positioned on argument {@code arg}. */
    public RuntimeException reject(int arg, String message) {
        return new Rejected(arg, message);
    }

    /** A call refused at compile time; the compiler turns it into a positioned SQL error. */
    public static final class Rejected extends RuntimeException {
        private final int arg;

        Rejected(int arg, String message) {
            super(message, null, false, false);
            this.arg = arg;
        }

        /** The argument the message is about (0-based). */
        public int arg() {
            return arg;
        }
    }
}
