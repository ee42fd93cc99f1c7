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

/** COUNT, SUM, AVG, MIN, MAX, FIRST_VALUE, LAST_VALUE with primitive per-group state. */
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
        public void result(int g, Eval out) {
            out.isNull = false;
            out.l = counts[g];
        }

        @Override
        public Aggregator copyEmpty() {
            return new Count(star);
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
     * BIGINT sums, and DOUBLE sums leaving the finite range, fail the record on overflow; AVG of BIGINT or DECIMAL is exact sum / count with the
     * division rule (scale max(6, s)).
     */
    public static final class SumAvg extends Aggregator implements BatchAggregator {
        private final boolean avg;
        private final DataType.Kind in;
        private final DecimalRounding rounding;
        private long[] counts = new long[0];
        private long[] longs = new long[0];
        private int[] scales = new int[0];
        private BigDecimal[] bigs = new BigDecimal[0];
        private double[] doubles = new double[0];
        private final Dec acc = new Dec();
        private final Dec tmp = new Dec();

        private final DataType argType;

        public SumAvg(boolean avg, DataType argType, DecimalRounding rounding) {
            super(resultType(avg, argType));
            this.avg = avg;
            this.in = argType.kind;
            this.argType = argType;
            this.rounding = rounding;
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
            longs = Arrays.copyOf(longs, n);
            scales = Arrays.copyOf(scales, n);
            bigs = Arrays.copyOf(bigs, n);
            doubles = Arrays.copyOf(doubles, n);
        }

        @Override
        public void reset(int g) {
            counts[g] = 0;
            longs[g] = 0;
            scales[g] = 0;
            bigs[g] = null;
            doubles[g] = 0;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeLong(counts[g]).writeLong(longs[g]).writeInt(scales[g]).writeBig(bigs[g]).writeDouble(doubles[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            counts[g] = in.readLong();
            longs[g] = in.readLong();
            scales[g] = in.readInt();
            bigs[g] = in.readBig();
            doubles[g] = in.readDouble();
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
            if (in == DataType.Kind.BIGINT && !avg && bigs[g] == null) {
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
                    if (bigs[g] != null) {
                        addDecimalSlow(g, arg.l, 0);
                        break;
                    }
                    longs[g] = r;
                    break;
                }
                default: {
                    Dec d = arg.dec;
                    if (bigs[g] == null && d.big == null && scales[g] == d.scale) {
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
            if (bigs[g] != null) {
                d.unscaled = 0;
                d.scale = bigs[g].scale();
                d.big = bigs[g];
            } else {
                d.set(longs[g], scales[g]);
            }
        }

        private void store(int g, Dec d) {
            if (d.big != null) {
                bigs[g] = d.big;
                longs[g] = 0;
            } else {
                bigs[g] = null;
                longs[g] = d.unscaled;
            }
            scales[g] = d.scale;
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

        private long[] gathered = new long[0];
        private final Dec batchSum = new Dec();

        /** Decimal columns whose live values share one scale and none is promoted: the batch sum kernel applies. */
        @Override
        public boolean canAddColumn(Column column, int[] sel, int n) {
            if (in != DataType.Kind.DECIMAL || column == null || column.anyBig || !column.type.hasFixedScale()) {
                return false;
            }
            final byte want = (byte) column.type.scale;
            final byte[] scales = column.scales;
            final boolean[] nulls = column.nulls;
            int other = 0;
            for (int i = 0; i < n; i++) {
                int row = sel == null ? i : sel[i];
                other |= nulls[row] ? 0 : scales[row] ^ want;
            }
            return other == 0;
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

    /** MIN / MAX keeping the argument's type (decimals keep their scale). */
    public static final class MinMax extends Aggregator {
        private final boolean min;
        private final DataType argType;
        private boolean[] has = new boolean[0];
        private long[] longs = new long[0];
        private double[] doubles = new double[0];
        private Object[] objects = new Object[0];
        private int[] scales = new int[0];
        private final Dec a = new Dec();

        public MinMax(boolean min, DataType argType) {
            super(argType);
            this.min = min;
            this.argType = argType;
        }

        @Override
        protected void grow(int n) {
            has = Arrays.copyOf(has, n);
            longs = Arrays.copyOf(longs, n);
            doubles = Arrays.copyOf(doubles, n);
            objects = Arrays.copyOf(objects, n);
            scales = Arrays.copyOf(scales, n);
        }

        @Override
        public void reset(int g) {
            has[g] = false;
            objects[g] = null;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeBoolean(has[g]).writeLong(longs[g]).writeDouble(doubles[g]).writeValue(objects[g]).writeInt(scales[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            has[g] = in.readBoolean();
            longs[g] = in.readLong();
            doubles[g] = in.readDouble();
            objects[g] = in.readValue();
            scales[g] = in.readInt();
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            boolean first = !has[g];
            has[g] = true;
            switch (argType.kind) {
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
                        } else {
                            objects[g] = null;
                            longs[g] = arg.dec.unscaled;
                        }
                        scales[g] = arg.dec.scale;
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
            switch (argType.kind) {
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
    }

    /** FIRST_VALUE / LAST_VALUE in arrival order (NULLs are values too, as in SQL). */
    public static final class FirstLast extends Aggregator {
        private final boolean first;
        private final DataType argType;
        private Object[] values = new Object[0];
        private boolean[] has = new boolean[0];

        public FirstLast(boolean first, DataType argType) {
            super(argType);
            this.first = first;
            this.argType = argType;
        }

        @Override
        protected void grow(int n) {
            values = Arrays.copyOf(values, n);
            has = Arrays.copyOf(has, n);
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
