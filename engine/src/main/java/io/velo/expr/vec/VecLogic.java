package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/** AND/OR (three-valued, short-circuit as the row path), NOT and IS [NOT] NULL on vectors. */
final class VecLogic {
    private VecLogic() {
    }

    /**
     * a AND b AND … (or OR): each operand is evaluated only for the rows no earlier operand decided
     * (FALSE for AND, TRUE for OR) — the row path's short circuit, so a later operand neither runs nor
     * fails for them. The undecided rows are narrowed with a branch-free selection loop.
     */
    static final class Junction extends VecExpr {
        private final boolean and;
        private final VecExpr[] operands;
        private int[] rest = new int[0];

        Junction(Eval source, boolean and, VecExpr[] operands) {
            super(DataType.BOOLEAN, source);
            this.and = and;
            this.operands = operands;
        }

        @Override
        public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
            Column o = result(b);
            final long[] ov = o.longs;
            final boolean[] on = o.nulls;
            final long undecided = and ? 1 : 0;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                ov[r] = undecided;
                on[r] = false;
            }
            if (rest.length < capacity(b)) {
                rest = new int[capacity(b)];
            }
            final int[] todo = rest;
            int[] s = sel;
            int m = n;
            for (VecExpr e : operands) {
                if (m == 0) {
                    break;
                }
                int before = f.count();
                Column c = e.eval(b, s, m, f);
                if (f.count() != before) {
                    m = f.compact(s, m, todo);
                    s = todo;
                }
                final long[] cv = c.longs;
                final boolean[] cn = c.nulls;
                int k = 0;
                for (int i = 0; i < m; i++) {
                    int r = s == null ? i : s[i];
                    boolean isNull = cn[r];
                    boolean decided = !isNull & cv[r] != undecided;
                    ov[r] = decided ? undecided ^ 1 : undecided;
                    on[r] = !decided & (on[r] | isNull);
                    todo[k] = r;
                    k += decided ? 0 : 1;
                }
                s = todo;
                m = k;
            }
            return o;
        }
    }

    /** NOT: NULL stays NULL. */
    static final class Not extends VecExpr {
        private final VecExpr operand;

        Not(Eval source, VecExpr operand) {
            super(DataType.BOOLEAN, source);
            this.operand = operand;
        }

        @Override
        public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
            int before = f.count();
            Column c = operand.eval(b, sel, n, f);
            if (f.count() != before) {
                int[] live = liveBuffer(b);
                n = f.compact(sel, n, live);
                sel = live;
            }
            Column o = result(b);
            final long[] cv = c.longs;
            final boolean[] cn = c.nulls;
            final long[] ov = o.longs;
            final boolean[] on = o.nulls;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                ov[r] = cv[r] ^ 1;
                on[r] = cn[r];
            }
            return o;
        }
    }

    /** IS [NOT] NULL: never NULL. */
    static final class IsNull extends VecExpr {
        private final VecExpr operand;
        private final boolean negated;

        IsNull(Eval source, VecExpr operand, boolean negated) {
            super(DataType.BOOLEAN, source);
            this.operand = operand;
            this.negated = negated;
        }

        @Override
        public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
            int before = f.count();
            Column c = operand.eval(b, sel, n, f);
            if (f.count() != before) {
                int[] live = liveBuffer(b);
                n = f.compact(sel, n, live);
                sel = live;
            }
            Column o = result(b);
            final boolean[] cn = c.nulls;
            final long[] ov = o.longs;
            final boolean[] on = o.nulls;
            final boolean neg = negated;
            for (int i = 0; i < n; i++) {
                int r = sel == null ? i : sel[i];
                ov[r] = cn[r] ^ neg ? 1 : 0;
                on[r] = false;
            }
            return o;
        }
    }
}
