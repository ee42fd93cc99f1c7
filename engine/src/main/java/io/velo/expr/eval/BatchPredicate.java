package io.velo.expr.eval;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;

/**
 * A WHERE/HAVING condition evaluated a batch at a time: it reads a selection of rows and writes the
 * rows that pass into another selection. The common shapes — a column compared with a constant, ANDs
 * of such — compile to tight loops over the column's primitive array; anything else falls back to the
 * row evaluator. Rows that raise a record error are handed to {@link Errors} and dropped.
 */
public abstract class BatchPredicate {
    /** Receives rows whose evaluation failed. */
    public interface Errors {
        void fail(RecordBatch b, int row, RuntimeException e);
    }

    /**
     * @param in selected rows, or null for rows 0..n-1
     * @return how many rows were written to {@code out}
     */
    public abstract int select(RecordBatch b, int[] in, int n, int[] out, Errors errors);

    /** Any condition, one row at a time through its evaluator. */
    public static final class Rows extends BatchPredicate {
        private final Eval eval;

        public Rows(Eval eval) {
            this.eval = eval;
        }

        @Override
        public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
            final Eval p = eval;
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = in == null ? i : in[i];
                try {
                    p.eval(b, row);
                } catch (RecordError | ArithmeticException e) {
                    errors.fail(b, row, e);
                    continue;
                }
                if (!p.isNull && p.l != 0) {
                    out[k++] = row;
                }
            }
            return k;
        }
    }

    /** a AND b AND …: each term only sees the rows the terms before it passed. */
    public static final class And extends BatchPredicate {
        private final BatchPredicate[] terms;
        private int[] even = new int[0];
        private int[] odd = new int[0];

        public And(BatchPredicate... terms) {
            this.terms = terms;
        }

        @Override
        public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
            if (even.length < b.capacity) {
                even = new int[b.capacity];
                odd = new int[b.capacity];
            }
            int[] from = in;
            int k = n;
            int last = terms.length - 1;
            for (int i = 0; i <= last; i++) {
                int[] to = i == last ? out : (i & 1) == 0 ? even : odd;
                k = terms[i].select(b, from, k, to, errors);
                if (k == 0) {
                    return 0;
                }
                from = to;
            }
            return k;
        }
    }

    /**
     * a OR b OR …: each term sees only the rows no earlier term passed (and none that failed), which
     * is the row evaluator's short-circuit: a row's later terms neither run nor raise errors once an
     * earlier term is TRUE. The rows that pass are written in input order.
     */
    public static final class Or extends BatchPredicate implements Errors {
        private static final byte PASSED = 1;
        private static final byte FAILED = 2;
        private final BatchPredicate[] terms;
        private byte[] mark = new byte[0];
        private int[] even = new int[0];
        private int[] odd = new int[0];
        private int[] passed = new int[0];
        private Errors downstream;

        public Or(BatchPredicate... terms) {
            this.terms = terms;
        }

        @Override
        public void fail(RecordBatch b, int row, RuntimeException e) {
            mark[row] = FAILED;
            downstream.fail(b, row, e);
        }

        @Override
        public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
            if (mark.length < b.capacity) {
                mark = new byte[b.capacity];
                even = new int[b.capacity];
                odd = new int[b.capacity];
                passed = new int[b.capacity];
            }
            final byte[] m = mark;
            for (int i = 0; i < n; i++) {
                m[in == null ? i : in[i]] = 0;
            }
            downstream = errors;
            int[] rest = in;
            int r = n;
            for (int t = 0; t < terms.length && r > 0; t++) {
                int k = terms[t].select(b, rest, r, passed, this);
                for (int i = 0; i < k; i++) {
                    m[passed[i]] = PASSED;
                }
                if (t == terms.length - 1) {
                    break;
                }
                int[] to = (t & 1) == 0 ? even : odd;
                int left = 0;
                for (int i = 0; i < r; i++) {
                    int row = rest == null ? i : rest[i];
                    if (m[row] == 0) {
                        to[left++] = row;
                    }
                }
                rest = to;
                r = left;
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = in == null ? i : in[i];
                if (m[row] == PASSED) {
                    out[k++] = row;
                }
            }
            return k;
        }
    }

    /**
     * {@code column [NOT] IN (constants…)} over a long-backed column, probing the list's hash set.
     * Only TRUE passes: NOT IN passes nothing when the list holds a NULL.
     */
    public static final class LongIn extends BatchPredicate {
        private final int column;
        private final InSetEval set;
        private final boolean negated;

        public LongIn(int column, InSetEval set) {
            this.column = column;
            this.set = set;
            this.negated = set.negated();
        }

        @Override
        public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
            if (negated && set.listHasNull()) {
                return 0;
            }
            Column c = b.columns[column];
            final long[] v = c.longs;
            final boolean[] nulls = c.nulls;
            final InSetEval s = set;
            final boolean want = !negated;
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = in == null ? i : in[i];
                if (!nulls[row] && s.containsLong(v[row]) == want) {
                    out[k++] = row;
                }
            }
            return k;
        }
    }

    /**
     * {@code lo <= column <= hi} over a long-backed column (BIGINT, TIMESTAMP, DATE, BOOLEAN) or the
     * unscaled values of a fixed-scale DECIMAL column; every comparison with a constant reduces to such
     * a range, or to its complement for {@code <>}. Decimal rows promoted past 64 bits, or carrying
     * another scale, take the exact slow path.
     */
    public static final class LongRange extends BatchPredicate {
        private final int column;
        private final long lo;
        private final long hi;
        private final boolean outside;
        private final int decimalScale; // -1 for long columns
        private final Dec constant;     // for the decimal slow path
        private final int op;           // CompareEval op code, for the slow path
        private final Dec scratch = new Dec();

        public LongRange(int column, long lo, long hi, boolean outside, int decimalScale, Dec constant, int op) {
            this.column = column;
            this.lo = lo;
            this.hi = hi;
            this.outside = outside;
            this.decimalScale = decimalScale;
            this.constant = constant;
            this.op = op;
        }

        @Override
        public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
            Column c = b.columns[column];
            final long[] v = c.longs;
            final boolean[] nulls = c.nulls;
            final long l = lo;
            final long h = hi;
            if (decimalScale >= 0) {
                return c.anyBig ? slow(c, in, n, out) : decimalRange(c, in, n, out);
            }
            int k = 0;
            if (!outside) {
                if (in == null) {
                    for (int row = 0; row < n; row++) {
                        long x = v[row];
                        if (x >= l && x <= h && !nulls[row]) {
                            out[k++] = row;
                        }
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        int row = in[i];
                        long x = v[row];
                        if (x >= l && x <= h && !nulls[row]) {
                            out[k++] = row;
                        }
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int row = in == null ? i : in[i];
                    long x = v[row];
                    if ((x < l || x > h) && !nulls[row]) {
                        out[k++] = row;
                    }
                }
            }
            return k;
        }

        /**
         * The range test on a decimal column's unscaled values with the scale check folded into the
         * same pass: any row at another scale sends the batch down the exact slow path.
         */
        private int decimalRange(Column c, int[] in, int n, int[] out) {
            final long[] v = c.longs;
            final boolean[] nulls = c.nulls;
            final byte[] scales = c.scales;
            final int want = decimalScale;
            final long l = lo;
            final long h = hi;
            int k = 0;
            int otherScale = 0;
            for (int i = 0; i < n; i++) {
                int row = in == null ? i : in[i];
                long x = v[row];
                boolean isNull = nulls[row];
                otherScale |= isNull ? 0 : scales[row] ^ want;
                if (((x >= l && x <= h) != outside) && !isNull) {
                    out[k++] = row;
                }
            }
            return otherScale == 0 ? k : slow(c, in, n, out);
        }

        private int slow(Column c, int[] in, int n, int[] out) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = in == null ? i : in[i];
                if (c.nulls[row]) {
                    continue;
                }
                c.getDecimal(row, scratch);
                int cmp = DecimalMath.compare(scratch, constant);
                boolean pass;
                switch (op) {
                    case CompareEval.EQ: pass = cmp == 0; break;
                    case CompareEval.NE: pass = cmp != 0; break;
                    case CompareEval.LT: pass = cmp < 0; break;
                    case CompareEval.LE: pass = cmp <= 0; break;
                    case CompareEval.GT: pass = cmp > 0; break;
                    default: pass = cmp >= 0; break;
                }
                if (pass) {
                    out[k++] = row;
                }
            }
            return k;
        }
    }

    /** {@code column = 'text'} / {@code column <> 'text'} on a STRING column. */
    public static final class StringEquals extends BatchPredicate {
        private final int column;
        private final String value;
        private final boolean negated;

        public StringEquals(int column, String value, boolean negated) {
            this.column = column;
            this.value = value;
            this.negated = negated;
        }

        @Override
        public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
            Column c = b.columns[column];
            final Object[] v = c.objects;
            final String s = value;
            final boolean neg = negated;
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = in == null ? i : in[i];
                Object x = v[row];
                if (x != null && (s.equals(x) != neg)) {
                    out[k++] = row;
                }
            }
            return k;
        }
    }
}
