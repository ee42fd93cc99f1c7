package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Values;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;

/**
 * {@code + - * / %} on two operands already coerced to one numeric type (the compiler inserts the
 * casts). One subclass per storage type keeps each eval() monomorphic and branch-light. Overflow and
 * division by zero are record-level errors, never wrapped or made-up values.
 */
public abstract class ArithmeticEval extends Eval {
    public static final int ADD = 0;
    public static final int SUB = 1;
    public static final int MUL = 2;
    public static final int DIV = 3;
    public static final int MOD = 4;

    protected final int op;
    protected final Eval left;
    protected final Eval right;

    protected ArithmeticEval(DataType type, int op, Eval left, Eval right) {
        super(type);
        this.op = op;
        this.left = left;
        this.right = right;
    }

    public int op() {
        return op;
    }

    public Eval left() {
        return left;
    }

    public Eval right() {
        return right;
    }

    public static int opCode(String symbol) {
        switch (symbol) {
            case "+": return ADD;
            case "-": return SUB;
            case "*": return MUL;
            case "/": return DIV;
            case "%": return MOD;
            default: throw new IllegalArgumentException(symbol);
        }
    }

    /** Evaluates both operands; false (with this result NULL) when either is NULL. */
    protected final boolean operands(RecordBatch b, int row) {
        left.eval(b, row);
        if (left.isNull) {
            isNull = true;
            return false;
        }
        right.eval(b, row);
        if (right.isNull) {
            isNull = true;
            return false;
        }
        isNull = false;
        return true;
    }

    static RecordError divisionByZero() {
        return new RecordError(RecordError.DIVISION_BY_ZERO, "division by zero");
    }

    static RecordError overflow(String what) {
        return new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in " + what);
    }

    /** BIGINT arithmetic: overflow is an error; division truncates toward zero. */
    public static final class Longs extends ArithmeticEval {
        public Longs(int op, Eval left, Eval right) {
            super(DataType.BIGINT, op, left, right);
        }

        @Override
        public void eval(RecordBatch b, int row) {
            if (!operands(b, row)) {
                return;
            }
            long x = left.l;
            long y = right.l;
            long r;
            switch (op) {
                case ADD:
                    r = x + y;
                    if (((x ^ r) & (y ^ r)) < 0) {
                        throw overflow(x + " + " + y);
                    }
                    break;
                case SUB:
                    r = x - y;
                    if (((x ^ y) & (x ^ r)) < 0) {
                        throw overflow(x + " - " + y);
                    }
                    break;
                case MUL: {
                    r = x * y;
                    if (Math.multiplyHigh(x, y) != (r >> 63)) {
                        throw overflow(x + " * " + y);
                    }
                    break;
                }
                case DIV:
                    if (y == 0) {
                        throw divisionByZero();
                    }
                    if (x == Long.MIN_VALUE && y == -1) {
                        throw overflow(x + " / " + y);
                    }
                    r = x / y;
                    break;
                default:
                    if (y == 0) {
                        throw divisionByZero();
                    }
                    r = y == -1 ? 0 : x % y;
                    break;
            }
            l = r;
        }
    }

    /** DOUBLE arithmetic; division by zero and overflow are errors (no Infinity or NaN made up). */
    public static final class Doubles extends ArithmeticEval {
        public Doubles(int op, Eval left, Eval right) {
            super(DataType.DOUBLE, op, left, right);
        }

        @Override
        public void eval(RecordBatch b, int row) {
            if (!operands(b, row)) {
                return;
            }
            double x = left.d;
            double y = right.d;
            switch (op) {
                case ADD: d = x + y; break;
                case SUB: d = x - y; break;
                case MUL: d = x * y; break;
                case DIV:
                    if (y == 0) {
                        throw divisionByZero();
                    }
                    d = x / y;
                    break;
                default:
                    if (y == 0) {
                        throw divisionByZero();
                    }
                    d = x % y;
                    break;
            }
            if (!Double.isFinite(d)) {
                throw doubleOverflow(x, y);
            }
        }

        private RecordError doubleOverflow(double x, double y) {
            String[] symbols = {"+", "-", "*", "/", "%"};
            return new RecordError(RecordError.NUMERIC_OUT_OF_RANGE,
                    "DOUBLE overflow in " + x + " " + symbols[op] + " " + y);
        }
    }

    /** Exact DECIMAL arithmetic with the SPEC §4 scale rules. */
    public static final class Decimals extends ArithmeticEval {
        private final DecimalRounding rounding;

        public Decimals(int op, Eval left, Eval right, DecimalRounding rounding) {
            super(DataType.DECIMAL, op, left, right);
            this.rounding = rounding;
        }

        public DecimalRounding rounding() {
            return rounding;
        }

        @Override
        public void eval(RecordBatch b, int row) {
            if (!operands(b, row)) {
                return;
            }
            switch (op) {
                case ADD: DecimalMath.add(left.dec, right.dec, dec); break;
                case SUB: DecimalMath.subtract(left.dec, right.dec, dec); break;
                case MUL: DecimalMath.multiply(left.dec, right.dec, rounding, dec); break;
                case DIV:
                    if (right.dec.signum() == 0) {
                        throw divisionByZero();
                    }
                    DecimalMath.divide(left.dec, right.dec, rounding, dec);
                    break;
                default:
                    if (right.dec.signum() == 0) {
                        throw divisionByZero();
                    }
                    DecimalMath.remainder(left.dec, right.dec, dec);
                    break;
            }
        }
    }

    /**
     * TIMESTAMP ± INTERVAL (milliseconds), TIMESTAMP - TIMESTAMP giving milliseconds, DATE ± n days
     * and DATE - DATE giving days. A result outside its type's range is a record error 22008.
     */
    public static final class Times extends ArithmeticEval {
        private final boolean date;

        public Times(DataType type, int op, Eval left, Eval right) {
            super(type, op, left, right);
            this.date = type.kind == DataType.Kind.DATE;
        }

        @Override
        public void eval(RecordBatch b, int row) {
            if (!operands(b, row)) {
                return;
            }
            long x = left.l;
            long y = op == ADD ? right.l : -right.l;
            long r = x + y;
            if (((x ^ r) & (y ^ r)) < 0 || (op == SUB && right.l == Long.MIN_VALUE) || date && !Values.isDate(r)) {
                throw new RecordError(RecordError.DATETIME_OVERFLOW, (date ? "DATE" : type.kind) + " arithmetic out of range");
            }
            l = r;
        }
    }
}
