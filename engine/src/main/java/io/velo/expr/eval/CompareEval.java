package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.decimal.DecimalMath;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code = <> < <= > >=} and IS [NOT] DISTINCT FROM over operands coerced to one type. */
public final class CompareEval extends Eval {
    public static final int EQ = 0;
    public static final int NE = 1;
    public static final int LT = 2;
    public static final int LE = 3;
    public static final int GT = 4;
    public static final int GE = 5;
    /** IS DISTINCT FROM: never null. */
    public static final int DISTINCT = 6;

    private final int op;
    private final Eval left;
    private final Eval right;
    private final DataType.Kind kind;

    public CompareEval(int op, Eval left, Eval right) {
        super(DataType.BOOLEAN);
        this.op = op;
        this.left = left;
        this.right = right;
        this.kind = left.type.kind;
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
            case "=": return EQ;
            case "<>": return NE;
            case "<": return LT;
            case "<=": return LE;
            case ">": return GT;
            case ">=": return GE;
            case "IS_DISTINCT": return DISTINCT;
            default: throw new IllegalArgumentException(symbol);
        }
    }

    @Override
    public void eval(RecordBatch b, int row) {
        left.eval(b, row);
        right.eval(b, row);
        if (left.isNull || right.isNull) {
            if (op == DISTINCT) {
                isNull = false;
                l = left.isNull != right.isNull ? 1 : 0;
            } else {
                isNull = true;
            }
            return;
        }
        isNull = false;
        int c = compareValues(left, right, kind);
        boolean r;
        switch (op) {
            case EQ: r = c == 0; break;
            case NE: case DISTINCT: r = c != 0; break;
            case LT: r = c < 0; break;
            case LE: r = c <= 0; break;
            case GT: r = c > 0; break;
            default: r = c >= 0; break;
        }
        l = r ? 1 : 0;
    }

    /** Compares the (non-null) registers of two evaluators of the same kind. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compareValues(Eval a, Eval b, DataType.Kind kind) {
        switch (kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: return Long.compare(a.l, b.l);
            case DOUBLE: return Double.compare(a.d, b.d);
            case DECIMAL: return DecimalMath.compare(a.dec, b.dec);
            case STRING: return ((String) a.o).compareTo((String) b.o);
            default:
                if (a.o instanceof Comparable && a.o.getClass() == b.o.getClass()) {
                    return ((Comparable) a.o).compareTo(b.o);
                }
                if (a.o instanceof List || a.o instanceof Map) {
                    return Objects.equals(a.o, b.o) ? 0 : 1;
                }
                return Objects.equals(a.o, b.o) ? 0 : 1;
        }
    }
}
