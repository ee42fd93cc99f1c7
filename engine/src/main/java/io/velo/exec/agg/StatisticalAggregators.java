package io.velo.exec.agg;

import io.velo.expr.eval.Eval;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** STDDEV/VARIANCE (sample and population), MEDIAN and PERCENTILE_CONT/DISC. */
public final class StatisticalAggregators {
    private StatisticalAggregators() {
    }

    /**
     * Variance and standard deviation. DOUBLE input uses Welford's update; BIGINT and DECIMAL input
     * keep exact n, Σx and Σx² and compute (Σx² − (Σx)²/n) / (n − k) exactly at the end, so decimal
     * statistics never pass through a double. Result scale: max(6, 2·s) for variance, max(6, s) for
     * standard deviation.
     */
    public static final class Variance extends Aggregator {
        private final boolean sample;
        private final boolean sqrt;
        private final DataType argType;
        private final DecimalRounding rounding;
        private long[] n = new long[0];
        private double[] mean = new double[0];
        private double[] m2 = new double[0];
        private BigDecimal[] sum = new BigDecimal[0];
        private BigDecimal[] sumSq = new BigDecimal[0];
        private long[] lsum = new long[0];
        private long[] lsumSq = new long[0];
        private int[] scale = new int[0];
        private boolean[] exactBig = new boolean[0];

        public Variance(boolean sample, boolean sqrt, DataType argType, DecimalRounding rounding) {
            super(argType.kind == DataType.Kind.DOUBLE ? DataType.DOUBLE : DataType.DECIMAL);
            this.sample = sample;
            this.sqrt = sqrt;
            this.argType = argType;
            this.rounding = rounding;
        }

        @Override
        protected void grow(int c) {
            n = Arrays.copyOf(n, c);
            mean = Arrays.copyOf(mean, c);
            m2 = Arrays.copyOf(m2, c);
            sum = Arrays.copyOf(sum, c);
            sumSq = Arrays.copyOf(sumSq, c);
            lsum = Arrays.copyOf(lsum, c);
            lsumSq = Arrays.copyOf(lsumSq, c);
            scale = Arrays.copyOf(scale, c);
            exactBig = Arrays.copyOf(exactBig, c);
        }

        @Override
        public void reset(int g) {
            n[g] = 0;
            mean[g] = 0;
            m2[g] = 0;
            sum[g] = null;
            sumSq[g] = null;
            lsum[g] = 0;
            lsumSq[g] = 0;
            scale[g] = -1;
            exactBig[g] = false;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeLong(n[g]).writeDouble(mean[g]).writeDouble(m2[g]).writeBig(sum[g]).writeBig(sumSq[g])
                    .writeLong(lsum[g]).writeLong(lsumSq[g]).writeInt(scale[g]).writeBoolean(exactBig[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            n[g] = in.readLong();
            mean[g] = in.readDouble();
            m2[g] = in.readDouble();
            sum[g] = in.readBig();
            sumSq[g] = in.readBig();
            lsum[g] = in.readLong();
            lsumSq[g] = in.readLong();
            scale[g] = in.readInt();
            exactBig[g] = in.readBoolean();
        }

        @Override
        public boolean mayRefuse() {
            return argType.kind == DataType.Kind.DOUBLE;
        }

        @Override
        public void check(int g, Eval arg) {
            if (!arg.isNull && argType.kind == DataType.Kind.DOUBLE) {
                double delta = arg.d - mean[g];
                double q = m2[g] + delta * (arg.d - (mean[g] + delta / (n[g] + 1)));
                if (!Double.isFinite(delta) || !Double.isFinite(q)) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.NUMERIC_OUT_OF_RANGE, "DOUBLE overflow in a variance");
                }
            }
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            if (argType.kind == DataType.Kind.DOUBLE) {
                double delta = arg.d - mean[g];
                double m = mean[g] + delta / (n[g] + 1);
                double q = m2[g] + delta * (arg.d - m);
                if (!Double.isFinite(delta) || !Double.isFinite(q)) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.NUMERIC_OUT_OF_RANGE, "DOUBLE overflow in a variance");
                }
                n[g]++;
                mean[g] = m;
                m2[g] = q;
                return;
            }
            n[g]++;
            long u;
            int s;
            if (argType.kind == DataType.Kind.BIGINT) {
                u = arg.l;
                s = 0;
            } else if (arg.dec.big == null) {
                u = arg.dec.unscaled;
                s = arg.dec.scale;
            } else {
                addBig(g, arg.dec.big);
                return;
            }
            if (!exactBig[g] && (scale[g] == -1 || scale[g] == s)) {
                long sq = u * u;
                long nsum = lsum[g] + u;
                long nsq = lsumSq[g] + sq;
                boolean ok = Math.multiplyHigh(u, u) == 0 && sq >= 0
                        && ((lsum[g] ^ nsum) & (u ^ nsum)) >= 0 && nsq >= 0;
                if (ok) {
                    lsum[g] = nsum;
                    lsumSq[g] = nsq;
                    scale[g] = s;
                    return;
                }
            }
            addBig(g, BigDecimal.valueOf(u, s));
        }

        private void addBig(int g, BigDecimal v) {
            if (!exactBig[g]) {
                exactBig[g] = true;
                int s = Math.max(scale[g], 0);
                sum[g] = BigDecimal.valueOf(lsum[g], s);
                sumSq[g] = BigDecimal.valueOf(lsumSq[g], 2 * s);
            }
            sum[g] = sum[g].add(v);
            sumSq[g] = sumSq[g].add(v.multiply(v));
        }

        @Override
        public void result(int g, Eval out) {
            long count = n[g];
            long denom = sample ? count - 1 : count;
            if (count == 0 || denom <= 0) {
                out.isNull = true;
                return;
            }
            out.isNull = false;
            if (argType.kind == DataType.Kind.DOUBLE) {
                double var = m2[g] / denom;
                out.d = sqrt ? Math.sqrt(var) : var;
                return;
            }
            BigDecimal s1;
            BigDecimal s2;
            int s;
            if (exactBig[g]) {
                s1 = sum[g];
                s2 = sumSq[g];
                s = Math.max(s1.scale(), 0);
            } else {
                s = Math.max(scale[g], 0);
                s1 = BigDecimal.valueOf(lsum[g], s);
                s2 = BigDecimal.valueOf(lsumSq[g], 2 * s);
            }
            // n·Σx² − (Σx)² is exact; divide once at the end
            BigDecimal numerator = s2.multiply(BigDecimal.valueOf(count)).subtract(s1.multiply(s1));
            BigDecimal divisor = BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(denom));
            int varScale = Math.max(DecimalMath.MIN_DIVISION_SCALE, 2 * s);
            BigDecimal var = numerator.divide(divisor, varScale + 4, rounding.mode);
            if (sqrt) {
                int sdScale = Math.max(DecimalMath.MIN_DIVISION_SCALE, s);
                BigDecimal r = var.sqrt(new MathContext(var.precision() + sdScale + 4)).setScale(sdScale, rounding.mode);
                out.dec.set(r);
                fixScale(out.dec, sdScale);
            } else {
                out.dec.set(var.setScale(varScale, rounding.mode));
                fixScale(out.dec, varScale);
            }
        }

        private static void fixScale(Dec d, int s) {
            if (d.scale != s) {
                d.set(d.toBigDecimal().setScale(s));
            }
        }

        @Override
        public Aggregator copyEmpty() {
            return new Variance(sample, sqrt, argType, rounding);
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /**
         * BIGINT and DECIMAL: n, Σx and Σx² add exactly (as BigDecimal when the longs would overflow or
         * the scales differ). DOUBLE: the pairwise combination of the two means and squared deviations
         * (Chan et al.), refused when it leaves the finite range.
         */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            Variance o = (Variance) from;
            long nb = o.n[fg];
            if (nb == 0) {
                return;
            }
            long na = n[g];
            if (argType.kind == DataType.Kind.DOUBLE) {
                if (na == 0) {
                    n[g] = nb;
                    mean[g] = o.mean[fg];
                    m2[g] = o.m2[fg];
                    return;
                }
                double total = (double) na + nb;
                double delta = o.mean[fg] - mean[g];
                double m = mean[g] + delta * (nb / total);
                double q = m2[g] + o.m2[fg] + delta * delta * (na / total) * nb;
                if (!Double.isFinite(m) || !Double.isFinite(q)) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.NUMERIC_OUT_OF_RANGE, "DOUBLE overflow in a variance");
                }
                n[g] = na + nb;
                mean[g] = m;
                m2[g] = q;
                return;
            }
            if (na == 0) {
                n[g] = nb;
                sum[g] = o.sum[fg];
                sumSq[g] = o.sumSq[fg];
                lsum[g] = o.lsum[fg];
                lsumSq[g] = o.lsumSq[fg];
                scale[g] = o.scale[fg];
                exactBig[g] = o.exactBig[fg];
                return;
            }
            if (!exactBig[g] && !o.exactBig[fg] && scale[g] == o.scale[fg]) {
                long s1 = lsum[g] + o.lsum[fg];
                long s2 = lsumSq[g] + o.lsumSq[fg];
                if (((lsum[g] ^ s1) & (o.lsum[fg] ^ s1)) >= 0 && s2 >= 0) {
                    n[g] = na + nb;
                    lsum[g] = s1;
                    lsumSq[g] = s2;
                    return;
                }
            }
            BigDecimal[] mine = exactSums(this, g);
            BigDecimal[] theirs = exactSums(o, fg);
            n[g] = na + nb;
            exactBig[g] = true;
            sum[g] = mine[0].add(theirs[0]);
            sumSq[g] = mine[1].add(theirs[1]);
        }

        /** Σx and Σx² of a group as BigDecimals. */
        private static BigDecimal[] exactSums(Variance v, int g) {
            if (v.exactBig[g]) {
                return new BigDecimal[] {v.sum[g], v.sumSq[g]};
            }
            int s = Math.max(v.scale[g], 0);
            return new BigDecimal[] {BigDecimal.valueOf(v.lsum[g], s), BigDecimal.valueOf(v.lsumSq[g], 2 * s)};
        }
    }

    /**
     * MEDIAN, PERCENTILE_CONT (interpolated) and PERCENTILE_DISC (an input value). Keeps the values of
     * each group; decimal interpolation is exact up to the division rule.
     */
    public static final class Percentile extends Aggregator {
        private final double fraction;
        private final boolean continuous;
        private final DataType argType;
        private final DecimalRounding rounding;
        private List<Object>[] values;

        @SuppressWarnings("unchecked")
        public Percentile(double fraction, boolean continuous, DataType argType, DecimalRounding rounding) {
            super(continuous ? (argType.kind == DataType.Kind.DOUBLE ? DataType.DOUBLE : DataType.DECIMAL)
                    : (argType.kind == DataType.Kind.DECIMAL ? DataType.DECIMAL : argType));
            if (fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("percentile fraction must be between 0 and 1, got " + fraction);
            }
            this.fraction = fraction;
            this.continuous = continuous;
            this.argType = argType;
            this.rounding = rounding;
            this.values = new List[0];
        }

        @Override
        protected void grow(int c) {
            values = Arrays.copyOf(values, c);
        }

        @Override
        public void reset(int g) {
            values[g] = null;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeValues(values[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            List<Object> l = new java.util.ArrayList<>();
            values[g] = in.readValues(l) ? l : null;
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            if (values[g] == null) {
                values[g] = new ArrayList<>();
            }
            values[g].add(arg.toObject());
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void result(int g, Eval out) {
            List<Object> v = values[g];
            if (v == null || v.isEmpty()) {
                out.isNull = true;
                return;
            }
            List sorted = new ArrayList<>(v);
            Collections.sort(sorted, (a, b) -> a instanceof BigDecimal ? ((BigDecimal) a).compareTo((BigDecimal) b)
                    : ((Comparable) a).compareTo(b));
            int size = sorted.size();
            if (!continuous) {
                int idx = (int) Math.ceil(fraction * size) - 1;
                out.setObject(sorted.get(Math.max(0, Math.min(size - 1, idx))));
                return;
            }
            double pos = fraction * (size - 1);
            int lo = (int) Math.floor(pos);
            int hi = (int) Math.ceil(pos);
            if (argType.kind == DataType.Kind.DOUBLE) {
                double a = (Double) sorted.get(lo);
                double b = (Double) sorted.get(hi);
                double f = pos - lo;
                out.setObject(a * (1 - f) + b * f); // b - a could overflow; this form cannot
                return;
            }
            BigDecimal a = toBig(sorted.get(lo));
            BigDecimal b = toBig(sorted.get(hi));
            BigDecimal frac = new BigDecimal(Double.toString(pos - lo));
            int scale = Math.max(DecimalMath.MIN_DIVISION_SCALE, Math.max(a.scale(), b.scale()));
            BigDecimal r = a.add(b.subtract(a).multiply(frac)).setScale(scale, rounding.mode);
            out.setObject(r);
        }

        private static BigDecimal toBig(Object o) {
            return o instanceof BigDecimal ? (BigDecimal) o : BigDecimal.valueOf(((Number) o).longValue());
        }

        @Override
        public Aggregator copyEmpty() {
            return new Percentile(fraction, continuous, argType, rounding);
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /** Both groups' values (the result sorts them). */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            List<Object> o = ((Percentile) from).values[fg];
            if (o == null || o.isEmpty()) {
                return;
            }
            if (values[g] == null) {
                values[g] = new ArrayList<>(o);
            } else {
                values[g].addAll(o);
            }
        }
    }
}
