package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;

/** CASE, COALESCE, LEAST and GREATEST: a value picked per row from several vectors of one type. */
final class VecPick {
    private VecPick() {
    }

    /**
     * Searched CASE (a simple CASE compiles to this form). Each condition is evaluated for the rows no
     * earlier condition took, each result only for the rows its condition took — what the row path
     * evaluates, so a result that would fail on the other rows ({@code CASE WHEN n <> 0 THEN 10 / n END})
     * does not fail here either. Rows are split into taken/left by a branch-free selection loop.
     */
    static final class Case extends VecExpr {
        private final VecExpr[] conditions;
        private final VecExpr[] results;
        private final VecExpr otherwise;
        private int[] taken = new int[0];
        private int[] left = new int[0];

        Case(Eval source, VecExpr[] conditions, VecExpr[] results, VecExpr otherwise) {
            super(source.type, source);
            this.conditions = conditions;
            this.results = results;
            this.otherwise = otherwise;
        }

        @Override
        public Column eval(RecordBatch b, int[] sel, int n, Failures f) {
            Column o = result(b);
            int cap = capacity(b);
            if (taken.length < cap) {
                taken = new int[cap];
                left = new int[cap];
            }
            final int[] tk = taken;
            final int[] lf = left;
            int[] s = sel;
            int m = n;
            for (int w = 0; w < conditions.length && m > 0; w++) {
                int before = f.count();
                Column c = conditions[w].eval(b, s, m, f);
                if (f.count() != before) {
                    m = f.compact(s, m, lf);
                    s = lf;
                }
                final long[] cv = c.longs;
                final boolean[] cn = c.nulls;
                int k1 = 0;
                int k2 = 0;
                for (int i = 0; i < m; i++) {
                    int r = s == null ? i : s[i];
                    boolean t = !cn[r] & cv[r] != 0;
                    tk[k1] = r;
                    lf[k2] = r;
                    k1 += t ? 1 : 0;
                    k2 += t ? 0 : 1;
                }
                if (k1 > 0) {
                    before = f.count();
                    Column v = results[w].eval(b, tk, k1, f);
                    if (f.count() != before) {
                        k1 = f.compact(tk, k1, tk);
                    }
                    Vectors.copy(v, o, tk, k1);
                }
                s = lf;
                m = k2;
            }
            if (m > 0) {
                if (otherwise == null) {
                    for (int i = 0; i < m; i++) {
                        o.setNull(s == null ? i : s[i]);
                    }
                } else {
                    int before = f.count();
                    Column v = otherwise.eval(b, s, m, f);
                    if (f.count() != before) {
                        m = f.compact(s, m, lf);
                        s = lf;
                    }
                    Vectors.copy(v, o, s, m);
                }
            }
            return o;
        }
    }

    /**
     * A function over several arguments of one type that are all evaluated, in order, for every row
     * (COALESCE, LEAST and GREATEST do not short-circuit in the row path either).
     */
    abstract static class Variadic extends VecExpr {
        final VecExpr[] args;
        final Column[] values;
        /** The rows every argument holds a value for. */
        int[] sel;
        int n;

        Variadic(Eval source, VecExpr[] args) {
            super(source.type, source);
            this.args = args;
            this.values = new Column[args.length];
        }

        final void arguments(RecordBatch b, int[] s, int m, Failures f) {
            for (int i = 0; i < args.length; i++) {
                int before = f.count();
                values[i] = args[i].eval(b, s, m, f);
                if (f.count() != before) {
                    int[] live = liveBuffer(b);
                    m = f.compact(s, m, live);
                    s = live;
                }
            }
            sel = s;
            n = m;
        }

        /**
         * The row path's check of the picked value: a DOUBLE is finite, a fixed-scale DECIMAL has its
         * type's scale and precision; a row that is not goes through the exact path.
         */
        final void check(RecordBatch b, Column o, Failures f) {
            final int[] s = sel;
            if (type.kind == DataType.Kind.DOUBLE) {
                final double[] v = o.doubles;
                for (int i = 0; i < n; i++) {
                    int r = s == null ? i : s[i];
                    if (!o.nulls[r] && !Double.isFinite(v[r])) {
                        exact(b, r, o, f);
                    }
                }
            } else if (type.hasFixedScale()) {
                final long[] v = o.longs;
                final byte[] sc = o.scales;
                final byte want = (byte) type.scale;
                final long limit = Vectors.precisionLimit(type.precision);
                for (int i = 0; i < n; i++) {
                    int r = s == null ? i : s[i];
                    if (o.nulls[r]) {
                        continue;
                    }
                    long x = v[r];
                    if (sc[r] != want || (o.anyBig && o.bigs[r] != null) || Long.compareUnsigned(Math.abs(x), limit) >= 0) {
                        exact(b, r, o, f);
                    }
                }
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = null;
            }
            sel = null;
        }
    }

    /** COALESCE: the first non-NULL argument, by taking the arguments from the last to the first. */
    static final class Coalesce extends Variadic {
        Coalesce(Eval source, VecExpr[] args) {
            super(source, args);
        }

        @Override
        public Column eval(RecordBatch b, int[] s0, int m0, Failures f) {
            arguments(b, s0, m0, f);
            Column o = result(b);
            final int[] s = sel;
            final int k = n;
            Vectors.copy(values[values.length - 1], o, s, k);
            final boolean[] on = o.nulls;
            for (int a = values.length - 2; a >= 0; a--) {
                Column v = values[a];
                final boolean[] vn = v.nulls;
                if (o.longs != null) {
                    final long[] ov = o.longs;
                    final long[] vv = v.longs;
                    for (int i = 0; i < k; i++) {
                        int r = s == null ? i : s[i];
                        boolean absent = vn[r];
                        ov[r] = absent ? ov[r] : vv[r];
                        on[r] = absent & on[r];
                    }
                    if (o.scales != null) {
                        final byte[] os = o.scales;
                        final byte[] vs = v.scales;
                        for (int i = 0; i < k; i++) {
                            int r = s == null ? i : s[i];
                            os[r] = vn[r] ? os[r] : vs[r];
                        }
                        if (o.anyBig || v.anyBig) {
                            for (int i = 0; i < k; i++) {
                                int r = s == null ? i : s[i];
                                if (!vn[r]) {
                                    o.copyFrom(v, r, r);
                                }
                            }
                        }
                    }
                } else if (o.doubles != null) {
                    final double[] ov = o.doubles;
                    final double[] vv = v.doubles;
                    for (int i = 0; i < k; i++) {
                        int r = s == null ? i : s[i];
                        boolean absent = vn[r];
                        ov[r] = absent ? ov[r] : vv[r];
                        on[r] = absent & on[r];
                    }
                } else {
                    final Object[] ov = o.objects;
                    final Object[] vv = v.objects;
                    for (int i = 0; i < k; i++) {
                        int r = s == null ? i : s[i];
                        boolean absent = vn[r];
                        ov[r] = absent ? ov[r] : vv[r];
                        on[r] = absent & on[r];
                    }
                }
            }
            check(b, o, f);
            return o;
        }
    }

    /**
     * LEAST / GREATEST over BIGINT, DOUBLE or DECIMAL: the first non-NULL argument, replaced by each
     * later one that is strictly smaller (larger), as the row path picks (ties keep the earlier one,
     * and with it its scale).
     */
    static final class Extreme extends Variadic {
        private final boolean least;
        private final Dec dx = new Dec();
        private final Dec dy = new Dec();

        Extreme(Eval source, VecExpr[] args, boolean least) {
            super(source, args);
            this.least = least;
        }

        @Override
        public Column eval(RecordBatch b, int[] s0, int m0, Failures f) {
            arguments(b, s0, m0, f);
            Column o = result(b);
            final int[] s = sel;
            final int k = n;
            Vectors.copy(values[0], o, s, k);
            final boolean[] on = o.nulls;
            final int want = least ? -1 : 1;
            for (int a = 1; a < values.length; a++) {
                Column v = values[a];
                final boolean[] vn = v.nulls;
                switch (type.kind) {
                    case DOUBLE: {
                        final double[] ov = o.doubles;
                        final double[] vv = v.doubles;
                        for (int i = 0; i < k; i++) {
                            int r = s == null ? i : s[i];
                            boolean take = !vn[r] & (on[r] || Double.compare(vv[r], ov[r]) == want);
                            ov[r] = take ? vv[r] : ov[r];
                            on[r] = on[r] & !take;
                        }
                        break;
                    }
                    case DECIMAL: {
                        final long[] ov = o.longs;
                        final long[] vv = v.longs;
                        final byte[] os = o.scales;
                        final byte[] vs = v.scales;
                        final boolean big = v.anyBig || o.anyBig;
                        for (int i = 0; i < k; i++) {
                            int r = s == null ? i : s[i];
                            if (vn[r]) {
                                continue;
                            }
                            boolean take;
                            if (on[r]) {
                                take = true;
                            } else if (big) {
                                read(v, r, dx);
                                read(o, r, dy);
                                take = Integer.signum(DecimalMath.compare(dx, dy)) == want;
                            } else {
                                int sa = vs[r];
                                int sb = os[r];
                                int cmp = sa == sb ? Long.compare(vv[r], ov[r]) : Integer.signum(DecimalMath.compare(vv[r], sa, ov[r], sb));
                                take = cmp == want;
                            }
                            if (take) {
                                if (big) {
                                    o.copyFrom(v, r, r);
                                } else {
                                    ov[r] = vv[r];
                                    os[r] = vs[r];
                                    on[r] = false;
                                }
                            }
                        }
                        break;
                    }
                    default: {
                        final long[] ov = o.longs;
                        final long[] vv = v.longs;
                        for (int i = 0; i < k; i++) {
                            int r = s == null ? i : s[i];
                            boolean take = !vn[r] & (on[r] || Long.compare(vv[r], ov[r]) == want);
                            ov[r] = take ? vv[r] : ov[r];
                            on[r] = on[r] & !take;
                        }
                        break;
                    }
                }
            }
            check(b, o, f);
            return o;
        }
    }
}
