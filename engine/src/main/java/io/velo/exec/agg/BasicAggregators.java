package io.velo.exec.agg;

import io.velo.batch.Column;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * COUNT, SUM, AVG, MIN, MAX, FIRST_VALUE, LAST_VALUE with primitive per-group state. COUNT, SUM, AVG,
 * MIN and MAX over BIGINT, DOUBLE and fixed-scale DECIMAL also take a batch at a time
 * ({@link #addBatch}): one loop over the group-id vector, the exact slow paths (a decimal sum promoted
 * past 64 bits, a sum that would overflow) out of line.
 */
public final class BasicAggregators {
    private BasicAggregators() {
    }

    /** COUNT(*) (arg null) or COUNT(x) (non-null values). */
    public static final class Count extends Aggregator implements BatchAggregator {
        private long[] counts = new long[0];
        private final boolean star;

        public Count(boolean star) {
            super(DataType.BIGINT);
            this.star = star;
        }

        @Override
        protected void grow(int n) {
            counts = Arrays.copyOf(counts, n);
        }

        @Override
        public void reset(int g) {
            counts[g] = 0;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeLong(counts[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            counts[g] = in.readLong();
        }

        @Override
        public void add(int g, Eval arg) {
            if (star || !arg.isNull) {
                counts[g]++;
            }
        }

        @Override
        public boolean canRemove() {
            return true;
        }

        @Override
        public void remove(int g, Eval arg) {
            if (star || !arg.isNull) {
                counts[g]--;
            }
        }

        @Override
        public void addBatch(int[] gids, Column arg, int[] rows, int n, ColumnRead reader) {
            final long[] c = counts;
            if (star) {
                for (int i = 0; i < n; i++) {
                    c[gids[i]]++;
                }
                return;
            }
            final boolean[] nulls = arg.nulls;
            if (rows == null) {
                for (int i = 0; i < n; i++) {
                    c[gids[i]] += nulls[i] ? 0 : 1;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    c[gids[i]] += nulls[rows[i]] ? 0 : 1;
                }
            }
        }

        @Override
        public long stateBytes() {
            return 8L * counts.length;
        }

        @Override
        public void resultsInto(int from, int n, Column out, int row, Slot slot) {
            System.arraycopy(counts, from, out.longs, row, n);
            Arrays.fill(out.nulls, row, row + n, false);
        }

        @Override
        public void result(int g, Eval out) {
            out.isNull = false;
            out.l = counts[g];
        }

        @Override
        public Aggregator copyEmpty() {
            return new Count(star);
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        @Override
        public void merge(int g, Aggregator from, int fg) {
            counts[g] += ((Count) from).counts[fg];
        }

        @Override
        public boolean canAddColumn(Column column, int[] sel, int n) {
            return star || column != null;
        }

        @Override
        public void addColumn(int g, Column column, int[] sel, int n) {
            if (star) {
                counts[g] += n;
                return;
            }
            final boolean[] nulls = column.nulls;
            long c = 0;
            for (int i = 0; i < n; i++) {
                c += nulls[sel == null ? i : sel[i]] ? 0 : 1;
            }
            counts[g] += c;
        }
    }

    /**
     * SUM and AVG. Decimals are summed exactly (unscaled long, promoted to BigDecimal on overflow);
     * BIGINT sums, and DOUBLE sums leaving the finite range, fail the record on overflow; AVG of BIGINT
     * or DECIMAL is exact sum / count with the division rule (scale max(6, s)). State is held only in
     * the arrays the argument type needs ({@code bigs} appears with the first promoted sum).
     */
    public static final class SumAvg extends Aggregator implements BatchAggregator {
        private final boolean avg;
        private final DataType.Kind in;
        private final DecimalRounding rounding;
        private final DataType argType;
        /** The argument's fixed decimal scale, or -1. */
        private final int fixedScale;
        private long[] counts = new long[0];
        /** BIGINT and DECIMAL sums (unscaled). */
        private long[] longs;
        /** DECIMAL: each sum's scale. */
        private int[] scales;
        /** DOUBLE sums. */
        private double[] doubles;
        /** Sums promoted past 64 bits; null until the first. */
        private BigDecimal[] bigs;
        /** DECIMAL: some sum is promoted or not at the fixed scale, so the batch loop does not apply. */
        private boolean irregular;
        /** DOUBLE: an upper bound on every group's |sum| (a batch adding less than the room left cannot overflow). */
        private double absBound;
        private final Dec acc = new Dec();
        private final Dec tmp = new Dec();

        public SumAvg(boolean avg, DataType argType, DecimalRounding rounding) {
            super(resultType(avg, argType));
            this.avg = avg;
            this.in = argType.kind;
            this.argType = argType;
            this.rounding = rounding;
            this.fixedScale = argType.hasFixedScale() ? argType.scale : -1;
            if (in == DataType.Kind.DOUBLE) {
                doubles = new double[0];
            } else {
                longs = new long[0];
                if (in == DataType.Kind.DECIMAL) {
                    scales = new int[0];
                }
            }
        }

        /**
         * A sum keeps its input's scale, an average has the division rule's scale max(6, s): when the
         * input's scale is fixed, so is the result's (precision 38: sums promote past 18 digits).
         */
        private static DataType resultType(boolean avg, DataType arg) {
            switch (arg.kind) {
                case DOUBLE: return DataType.DOUBLE;
                case BIGINT: return avg ? DataType.decimal(DataType.MAX_PRECISION, DecimalMath.MIN_DIVISION_SCALE) : DataType.BIGINT;
                default:
                    if (!arg.hasFixedScale()) {
                        return DataType.DECIMAL;
                    }
                    return DataType.decimal(DataType.MAX_PRECISION, avg ? Math.max(DecimalMath.MIN_DIVISION_SCALE, arg.scale) : arg.scale);
            }
        }

        @Override
        protected void grow(int n) {
            counts = Arrays.copyOf(counts, n);
            if (longs != null) {
                longs = Arrays.copyOf(longs, n);
            }
            if (scales != null) {
                scales = Arrays.copyOf(scales, n);
            }
            if (doubles != null) {
                doubles = Arrays.copyOf(doubles, n);
            }
            if (bigs != null) {
                bigs = Arrays.copyOf(bigs, n);
            }
        }

        @Override
        public long stateBytes() {
            long c = counts.length;
            return 8 * c + (longs != null ? 8 * c : 0) + (scales != null ? 4 * c : 0) + (doubles != null ? 8 * c : 0)
                    + (bigs != null ? 4 * c : 0);
        }

        @Override
        public void reset(int g) {
            counts[g] = 0;
            if (longs != null) {
                longs[g] = 0;
            }
            if (scales != null) {
                scales[g] = Math.max(0, fixedScale);
            }
            if (doubles != null) {
                doubles[g] = 0;
            }
            if (bigs != null) {
                bigs[g] = null;
            }
        }

        private BigDecimal big(int g) {
            return bigs == null ? null : bigs[g];
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeLong(counts[g]).writeLong(longs != null ? longs[g] : 0).writeInt(scales != null ? scales[g] : 0)
                    .writeBig(big(g)).writeDouble(doubles != null ? doubles[g] : 0);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            counts[g] = in.readLong();
            long l = in.readLong();
            int s = in.readInt();
            BigDecimal b = in.readBig();
            double d = in.readDouble();
            if (longs != null) {
                longs[g] = l;
            }
            if (scales != null) {
                scales[g] = counts[g] == 0 ? Math.max(0, fixedScale) : s;
                if (scales[g] != fixedScale) {
                    irregular = true;
                }
            }
            if (b != null) {
                setBig(g, b);
            }
            if (doubles != null) {
                doubles[g] = d;
                absBound = Math.max(absBound, Math.abs(d));
            }
        }

        private void setBig(int g, BigDecimal b) {
            if (bigs == null) {
                bigs = new BigDecimal[counts.length];
            }
            bigs[g] = b;
            irregular = true;
        }

        @Override
        public boolean mayRefuse() {
            return in == DataType.Kind.DOUBLE || (in == DataType.Kind.BIGINT && !avg);
        }

        @Override
        public void check(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            if (in == DataType.Kind.DOUBLE && !Double.isFinite(doubles[g] + arg.d)) {
                throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "DOUBLE overflow in " + (avg ? "AVG" : "SUM"));
            }
            if (in == DataType.Kind.BIGINT && !avg && big(g) == null) {
                long x = longs[g];
                long r = x + arg.l;
                if (((x ^ r) & (arg.l ^ r)) < 0) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in SUM");
                }
            }
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            switch (in) {
                case DOUBLE: {
                    double r = doubles[g] + arg.d;
                    if (!Double.isFinite(r)) {
                        throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "DOUBLE overflow in " + (avg ? "AVG" : "SUM"));
                    }
                    doubles[g] = r;
                    absBound = Math.max(absBound, Math.abs(r));
                    break;
                }
                case BIGINT: {
                    long x = longs[g];
                    long y = arg.l;
                    long r = x + y;
                    if (((x ^ r) & (y ^ r)) < 0) {
                        if (!avg) {
                            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in SUM");
                        }
                        addDecimalSlow(g, arg.l, 0);
                        break;
                    }
                    if (big(g) != null) {
                        addDecimalSlow(g, arg.l, 0);
                        break;
                    }
                    longs[g] = r;
                    break;
                }
                default: {
                    Dec d = arg.dec;
                    if (big(g) == null && d.big == null && scales[g] == d.scale && counts[g] > 0) {
                        long x = longs[g];
                        long y = d.unscaled;
                        long r = x + y;
                        if (!DecimalMath.addOverflows(x, y, r)) {
                            longs[g] = r;
                            break;
                        }
                    }
                    addDecimal(g, d);
                    return;
                }
            }
            counts[g]++;
        }

        /** SUM and AVG over BIGINT and DECIMAL take a value back exactly; over DOUBLE a subtraction would not give back the sum before. */
        @Override
        public boolean canRemove() {
            return in != DataType.Kind.DOUBLE;
        }

        private final Dec negated = new Dec();

        @Override
        public void remove(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            if (in == DataType.Kind.BIGINT && !avg && big(g) == null) {
                long x = longs[g];
                long y = arg.l;
                long r = x - y;
                if (((x ^ y) & (x ^ r)) < 0) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in SUM (taking a replaced row's value back)");
                }
                longs[g] = r;
            } else {
                // the value negated (exactly: past 64 bits when it is the most negative long), added
                Dec n = negated;
                if (in == DataType.Kind.BIGINT) {
                    if (arg.l == Long.MIN_VALUE) {
                        n.set(BigDecimal.valueOf(arg.l).negate());
                    } else {
                        n.set(-arg.l, 0);
                    }
                } else {
                    Dec d = arg.dec;
                    if (d.big != null) {
                        n.set(d.big.negate());
                    } else if (d.unscaled == Long.MIN_VALUE) {
                        n.set(BigDecimal.valueOf(d.unscaled, d.scale).negate());
                    } else {
                        n.set(-d.unscaled, d.scale);
                    }
                }
                load(g, acc);
                DecimalMath.add(acc, n, tmp);
                store(g, tmp);
            }
            if (--counts[g] == 0) {
                reset(g); // no value left: the state (and a decimal sum's scale) of a fresh group
            }
        }

        private void addDecimal(int g, Dec d) {
            load(g, acc);
            if (counts[g] == 0) {
                acc.set(0, d.scale);
            }
            DecimalMath.add(acc, d, tmp);
            store(g, tmp);
            counts[g]++;
        }

        private void addDecimalSlow(int g, long v, int scale) {
            load(g, acc);
            tmp.set(v, scale);
            DecimalMath.add(acc, tmp, tmp);
            store(g, tmp);
        }

        private void load(int g, Dec d) {
            BigDecimal b = big(g);
            if (b != null) {
                d.unscaled = 0;
                d.scale = b.scale();
                d.big = b;
            } else {
                d.set(longs[g], scales != null ? scales[g] : 0);
            }
        }

        private void store(int g, Dec d) {
            if (d.big != null) {
                setBig(g, d.big);
                longs[g] = 0;
            } else {
                if (bigs != null) {
                    bigs[g] = null;
                }
                longs[g] = d.unscaled;
            }
            if (scales != null) {
                scales[g] = d.scale;
                if (d.scale != fixedScale) {
                    irregular = true;
                }
            }
        }

        // ---------------------------------------------------------------- a batch at a time

        @Override
        public boolean undoable() {
            return in == DataType.Kind.BIGINT && !avg;
        }

        @Override
        public boolean canTakeBatch(int[] gids, Column arg, int[] rows, int n) {
            if (in != DataType.Kind.DOUBLE) {
                return true;
            }
            return doublesFit(arg, rows, n);
        }

        @Override
        public boolean tryAddBatch(int[] gids, Column arg, int[] rows, int n, ColumnRead reader) {
            return tryAddBigints(gids, arg, rows, n);
        }

        /** SUM(BIGINT): adds with an OR-ed overflow flag; on overflow the batch is taken back (two's complement undoes exactly). */
        private boolean tryAddBigints(int[] gids, Column arg, int[] rows, int n) {
            final long[] v = arg.longs;
            final boolean[] nulls = arg.nulls;
            final long[] s = longs;
            final long[] c = counts;
            long overflow = 0;
            if (rows == null && !BatchGroups.anyNull(nulls, null, n)) {
                for (int i = 0; i < n; i++) {
                    int g = gids[i];
                    long y = v[i];
                    long x = s[g];
                    long r = x + y;
                    overflow |= (x ^ r) & (y ^ r);
                    s[g] = r;
                    c[g]++;
                }
            } else {
                overflow = addBigintsChecked(gids, v, nulls, rows, n);
            }
            if (overflow < 0) {
                undoBatch(gids, arg, rows, n);
                return false;
            }
            return true;
        }

        private long addBigintsChecked(int[] gids, long[] v, boolean[] nulls, int[] rows, int n) {
            final long[] s = longs;
            final long[] c = counts;
            long overflow = 0;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                int g = gids[i];
                boolean nu = nulls[row];
                long y = nu ? 0 : v[row];
                long x = s[g];
                long r = x + y;
                overflow |= (x ^ r) & (y ^ r);
                s[g] = r;
                c[g] += nu ? 0 : 1;
            }
            return overflow;
        }

        @Override
        public void undoBatch(int[] gids, Column arg, int[] rows, int n) {
            if (in != DataType.Kind.BIGINT) {
                throw new UnsupportedOperationException("only a BIGINT sum undoes a batch");
            }
            final long[] v = arg.longs;
            final boolean[] nulls = arg.nulls;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                int g = gids[i];
                boolean nu = nulls[row];
                longs[g] -= nu ? 0 : v[row];
                counts[g] -= nu ? 0 : 1;
            }
        }

        /** The |values| of the batch {@link #doublesFit} measured, added to the bound when the batch is taken. */
        private double pendingAbs;

        /**
         * DOUBLE: no sum can leave the finite range when every |sum| is below a bound and the batch's
         * |values| add up to less than the room left (NaN and infinite values never fit).
         */
        private boolean doublesFit(Column arg, int[] rows, int n) {
            final double[] v = arg.doubles;
            final boolean[] nulls = arg.nulls;
            double batchAbs = 0;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                batchAbs += nulls[row] ? 0 : Math.abs(v[row]);
            }
            final double room = Double.MAX_VALUE / 4;
            if (!(absBound + batchAbs < room)) {
                double max = 0;
                for (int g = 0; g < capacity; g++) {
                    max = Math.max(max, Math.abs(doubles[g]));
                }
                absBound = max;
                if (!(absBound + batchAbs < room)) {
                    return false;
                }
            }
            pendingAbs = batchAbs;
            return true;
        }

        /** DOUBLE rows {@link #doublesFit} admitted. */
        private void addDoubles(int[] gids, Column arg, int[] rows, int n) {
            final double[] v = arg.doubles;
            final boolean[] nulls = arg.nulls;
            final double[] s = doubles;
            final long[] c = counts;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                int g = gids[i];
                boolean nu = nulls[row];
                s[g] += nu ? 0 : v[row];
                c[g] += nu ? 0 : 1;
            }
            absBound += pendingAbs;
        }

        @Override
        public void addBatch(int[] gids, Column arg, int[] rows, int n, ColumnRead reader) {
            int done;
            if (in == DataType.Kind.DOUBLE) {
                addDoubles(gids, arg, rows, n);
                return;
            }
            if (in == DataType.Kind.BIGINT && bigs == null) {
                done = addLongs(gids, arg, rows, n);
            } else if (in == DataType.Kind.DECIMAL && !irregular && fixedScale >= 0 && BatchGroups.regularDecimals(arg, rows, n, fixedScale)) {
                done = addLongs(gids, arg, rows, n);
            } else {
                done = 0;
            }
            for (int i = done; i < n; i++) {
                reader.at(arg, rows == null ? i : rows[i]);
                add(gids[i], reader);
            }
        }

        /**
         * AVG(BIGINT), and SUM/AVG of decimals at the fixed scale: adds unscaled longs until one would
         * overflow; returns how many rows were taken (the rest go through the exact register path).
         */
        private int addLongs(int[] gids, Column arg, int[] rows, int n) {
            final long[] v = arg.longs;
            final boolean[] nulls = arg.nulls;
            final long[] s = longs;
            final long[] c = counts;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                int g = gids[i];
                boolean nu = nulls[row];
                long y = nu ? 0 : v[row];
                long x = s[g];
                long r = x + y;
                if (((x ^ r) & (y ^ r)) < 0) {
                    return i;
                }
                s[g] = r;
                c[g] += nu ? 0 : 1;
            }
            return n;
        }

        @Override
        public void resultsInto(int from, int n, Column out, int row, Slot slot) {
            if (in != DataType.Kind.BIGINT || avg) {
                super.resultsInto(from, n, out, row, slot);
                return;
            }
            final long[] c = counts;
            final long[] s = longs;
            final long[] o = out.longs;
            final boolean[] nulls = out.nulls;
            for (int i = 0; i < n; i++) {
                o[row + i] = s[from + i];
                nulls[row + i] = c[from + i] == 0;
            }
        }

        @Override
        public void result(int g, Eval out) {
            long n = counts[g];
            if (n == 0) {
                out.isNull = true;
                return;
            }
            out.isNull = false;
            switch (in) {
                case DOUBLE:
                    out.d = avg ? doubles[g] / n : doubles[g];
                    return;
                case BIGINT:
                    if (!avg) {
                        out.l = longs[g];
                        return;
                    }
                    load(g, acc);
                    break;
                default:
                    load(g, acc);
                    if (!avg) {
                        out.dec.set(acc);
                        return;
                    }
                    break;
            }
            tmp.set(n, 0);
            DecimalMath.divide(acc, tmp, rounding, out.dec);
        }

        @Override
        public Aggregator copyEmpty() {
            return new SumAvg(avg, argType, rounding);
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /**
         * Sums add exactly (decimals through the decimal addition, promoting past 64 bits; AVG of BIGINT
         * likewise), counts add; a BIGINT SUM or a DOUBLE sum that would overflow refuses the merge.
         */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            SumAvg o = (SumAvg) from;
            long n = o.counts[fg];
            if (n == 0) {
                return;
            }
            if (in == DataType.Kind.DOUBLE) {
                double r = doubles[g] + o.doubles[fg];
                if (!Double.isFinite(r)) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "DOUBLE overflow in " + (avg ? "AVG" : "SUM"));
                }
                doubles[g] = r;
                absBound = Math.max(absBound, Math.abs(r));
                counts[g] += n;
                return;
            }
            Dec other = new Dec();
            o.load(fg, other);
            if (counts[g] == 0) {
                store(g, other);
                counts[g] = n;
                return;
            }
            load(g, acc);
            if (in == DataType.Kind.BIGINT && !avg) {
                long x = acc.unscaled;
                long y = other.unscaled;
                long r = x + y;
                if (((x ^ r) & (y ^ r)) < 0) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "BIGINT overflow in SUM");
                }
                longs[g] = r;
                counts[g] += n;
                return;
            }
            DecimalMath.add(acc, other, tmp);
            store(g, tmp);
            counts[g] += n;
        }

        private long[] gathered = new long[0];
        private final Dec batchSum = new Dec();

        /** Decimal columns whose live values share one scale and none is promoted: the batch sum kernel applies. */
        @Override
        public boolean canAddColumn(Column column, int[] sel, int n) {
            if (in != DataType.Kind.DECIMAL || column == null || !column.type.hasFixedScale()) {
                return false;
            }
            return BatchGroups.regularDecimals(column, sel, n, column.type.scale);
        }

        @Override
        public void addColumn(int g, Column column, int[] sel, int n) {
            if (gathered.length < n) {
                gathered = new long[Math.max(n, 1024)];
            }
            final long[] v = column.longs;
            final boolean[] nulls = column.nulls;
            final long[] out = gathered;
            int k = 0;
            for (int i = 0; i < n; i++) {
                int row = sel == null ? i : sel[i];
                out[k] = v[row];
                k += nulls[row] ? 0 : 1;
            }
            if (k == 0) {
                return;
            }
            DecimalMath.sum(out, 0, k, column.type.scale, batchSum);
            addDecimal(g, batchSum);
            counts[g] += k - 1; // addDecimal counted one
        }
    }

    /**
     * MIN / MAX keeping the argument's type (decimals keep their scale). A BIGINT-like value starts at
     * the identity (Long.MAX_VALUE for MIN), so the batch loop is a branch-free min/max per row.
     */
    public static final class MinMax extends Aggregator {
        private final boolean min;
        private final DataType argType;
        private final DataType.Kind kind;
        private final boolean longBacked;
        private final int fixedScale;
        private boolean[] has = new boolean[0];
        private long[] longs;
        private double[] doubles;
        private Object[] objects;
        private int[] scales;
        /** DECIMAL: some value held is promoted or not at the fixed scale (the batch loop does not apply). */
        private boolean irregular;
        private final Dec a = new Dec();

        public MinMax(boolean min, DataType argType) {
            super(argType);
            this.min = min;
            this.argType = argType;
            this.kind = argType.kind;
            this.longBacked = argType.isLongBacked();
            this.fixedScale = argType.hasFixedScale() ? argType.scale : -1;
            if (longBacked || kind == DataType.Kind.DECIMAL) {
                longs = new long[0];
            }
            if (kind == DataType.Kind.DOUBLE) {
                doubles = new double[0];
            }
            if (kind == DataType.Kind.DECIMAL) {
                scales = new int[0];
            }
            if (!longBacked && kind != DataType.Kind.DOUBLE) {
                objects = new Object[0];
            }
        }

        @Override
        protected void grow(int n) {
            has = Arrays.copyOf(has, n);
            if (longs != null) {
                longs = Arrays.copyOf(longs, n);
            }
            if (doubles != null) {
                doubles = Arrays.copyOf(doubles, n);
            }
            if (objects != null) {
                objects = Arrays.copyOf(objects, n);
            }
            if (scales != null) {
                scales = Arrays.copyOf(scales, n);
            }
        }

        @Override
        public long stateBytes() {
            long c = has.length;
            return c + (longs != null ? 8 * c : 0) + (doubles != null ? 8 * c : 0) + (objects != null ? 4 * c : 0)
                    + (scales != null ? 4 * c : 0);
        }

        private long identity() {
            return min ? Long.MAX_VALUE : Long.MIN_VALUE;
        }

        @Override
        public void reset(int g) {
            has[g] = false;
            if (longBacked) {
                longs[g] = identity();
            }
            if (objects != null) {
                objects[g] = null;
            }
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeBoolean(has[g]).writeLong(longs != null ? longs[g] : 0).writeDouble(doubles != null ? doubles[g] : 0)
                    .writeValue(objects != null ? objects[g] : null).writeInt(scales != null ? scales[g] : 0);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            has[g] = in.readBoolean();
            long l = in.readLong();
            double d = in.readDouble();
            Object o = in.readValue();
            int s = in.readInt();
            if (longs != null) {
                longs[g] = has[g] || !longBacked ? l : identity();
            }
            if (doubles != null) {
                doubles[g] = d;
            }
            if (objects != null) {
                objects[g] = o;
            }
            if (scales != null) {
                scales[g] = s;
                if (has[g] && (o != null || s != fixedScale)) {
                    irregular = true;
                }
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            boolean first = !has[g];
            has[g] = true;
            switch (kind) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE:
                    if (first || (min ? arg.l < longs[g] : arg.l > longs[g])) {
                        longs[g] = arg.l;
                    }
                    break;
                case DOUBLE:
                    if (first || (min ? arg.d < doubles[g] : arg.d > doubles[g])) {
                        doubles[g] = arg.d;
                    }
                    break;
                case DECIMAL: {
                    boolean take = first;
                    if (!first) {
                        loadDec(g, a);
                        int c = DecimalMath.compare(arg.dec, a);
                        take = min ? c < 0 : c > 0;
                    }
                    if (take) {
                        if (arg.dec.big != null) {
                            objects[g] = arg.dec.big;
                            irregular = true;
                        } else {
                            objects[g] = null;
                            longs[g] = arg.dec.unscaled;
                        }
                        scales[g] = arg.dec.scale;
                        if (arg.dec.scale != fixedScale) {
                            irregular = true;
                        }
                    }
                    break;
                }
                default: {
                    if (first) {
                        objects[g] = arg.o;
                    } else {
                        int c = ((Comparable) arg.o).compareTo(objects[g]);
                        if (min ? c < 0 : c > 0) {
                            objects[g] = arg.o;
                        }
                    }
                    break;
                }
            }
        }

        @Override
        public void addBatch(int[] gids, Column arg, int[] rows, int n, ColumnRead reader) {
            if (longBacked) {
                if (min) {
                    minLongs(gids, arg, rows, n);
                } else {
                    maxLongs(gids, arg, rows, n);
                }
                return;
            }
            if (kind == DataType.Kind.DECIMAL && !irregular && fixedScale >= 0 && BatchGroups.regularDecimals(arg, rows, n, fixedScale)) {
                decimalsAtFixedScale(gids, arg, rows, n);
                return;
            }
            super.addBatch(gids, arg, rows, n, reader);
        }

        private void minLongs(int[] gids, Column arg, int[] rows, int n) {
            final long[] v = arg.longs;
            final boolean[] nulls = arg.nulls;
            final long[] s = longs;
            final boolean[] h = has;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                if (!nulls[row]) {
                    int g = gids[i];
                    h[g] = true;
                    s[g] = Math.min(s[g], v[row]);
                }
            }
        }

        private void maxLongs(int[] gids, Column arg, int[] rows, int n) {
            final long[] v = arg.longs;
            final boolean[] nulls = arg.nulls;
            final long[] s = longs;
            final boolean[] h = has;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                if (!nulls[row]) {
                    int g = gids[i];
                    h[g] = true;
                    s[g] = Math.max(s[g], v[row]);
                }
            }
        }

        /** Decimals all at the fixed scale, none promoted, held or arriving: compare unscaled longs. */
        private void decimalsAtFixedScale(int[] gids, Column arg, int[] rows, int n) {
            final long[] v = arg.longs;
            final boolean[] nulls = arg.nulls;
            final long[] s = longs;
            final boolean[] h = has;
            final int scale = fixedScale;
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                if (nulls[row]) {
                    continue;
                }
                int g = gids[i];
                long x = v[row];
                if (!h[g] || (min ? x < s[g] : x > s[g])) {
                    h[g] = true;
                    s[g] = x;
                    scales[g] = scale;
                }
            }
        }

        private void loadDec(int g, Dec d) {
            if (objects[g] != null) {
                d.set((BigDecimal) objects[g]);
            } else {
                d.set(longs[g], scales[g]);
            }
        }

        @Override
        public void result(int g, Eval out) {
            if (!has[g]) {
                out.isNull = true;
                return;
            }
            out.isNull = false;
            switch (kind) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: out.l = longs[g]; break;
                case DOUBLE: out.d = doubles[g]; break;
                case DECIMAL: loadDec(g, out.dec); break;
                default: out.o = objects[g]; break;
            }
        }

        @Override
        public Aggregator copyEmpty() {
            return new MinMax(min, argType);
        }

        /** Over a keyed table: a MIN/MAX that keeps its values in order, so a replaced row can leave it. */
        @Override
        public Aggregator removable() {
            return new RemovableMinMax(min, argType);
        }

        private Slot mergeSlot;

        @Override
        public boolean canMerge() {
            return true;
        }

        /** The other group's value, if it has one, taken as a value added here. */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            if (!((MinMax) from).has[fg]) {
                return;
            }
            if (mergeSlot == null) {
                mergeSlot = new Slot(argType);
            }
            from.result(fg, mergeSlot);
            add(g, mergeSlot);
        }
    }

    /** FIRST_VALUE / LAST_VALUE in arrival order (NULLs are values too, as in SQL). */
    public static final class FirstLast extends Aggregator {
        private final boolean first;
        private final DataType argType;
        private Object[] values = new Object[0];
        private boolean[] has = new boolean[0];
        /** The arrival number of each group's value (see {@link #merge}). */
        private long[] arrivals = new long[0];
        private long arrived;

        public FirstLast(boolean first, DataType argType) {
            super(argType);
            this.first = first;
            this.argType = argType;
        }

        @Override
        protected void grow(int n) {
            values = Arrays.copyOf(values, n);
            has = Arrays.copyOf(has, n);
            arrivals = Arrays.copyOf(arrivals, n);
        }

        @Override
        public void reset(int g) {
            values[g] = null;
            has[g] = false;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeBoolean(has[g]).writeValue(values[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            has[g] = in.readBoolean();
            values[g] = in.readValue();
        }

        @Override
        public void add(int g, Eval arg) {
            if (first && has[g]) {
                return;
            }
            has[g] = true;
            values[g] = arg.toObject();
            arrivals[g] = ++arrived;
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /**
         * The value that arrived first (FIRST_VALUE) or last (LAST_VALUE) of the two groups: each
         * value taken is numbered in this aggregator's arrival order, which a merge of two of its own
         * groups (session windows) compares. Arrival numbers are not checkpointed.
         */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            FirstLast o = (FirstLast) from;
            if (!o.has[fg]) {
                return;
            }
            if (!has[g] || (first ? o.arrivals[fg] < arrivals[g] : o.arrivals[fg] > arrivals[g])) {
                has[g] = true;
                values[g] = o.values[fg];
                arrivals[g] = o.arrivals[fg];
            }
        }

        @Override
        public void result(int g, Eval out) {
            out.setObject(values[g]);
        }

        @Override
        public Aggregator copyEmpty() {
            return new FirstLast(first, argType);
        }
    }
}
