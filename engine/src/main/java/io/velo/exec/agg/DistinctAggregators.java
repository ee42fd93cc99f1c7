package io.velo.exec.agg;

import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Limits;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** COUNT(DISTINCT x), APPROX_COUNT_DISTINCT (HyperLogLog) and STRING_AGG / LISTAGG. */
public final class DistinctAggregators {
    private DistinctAggregators() {
    }

    static Object distinctKey(Eval arg) {
        Object o = arg.toObject();
        if (o instanceof BigDecimal) {
            BigDecimal b = ((BigDecimal) o).stripTrailingZeros();
            return b.scale() < 0 ? b.setScale(0) : b;
        }
        return o;
    }

    public static final class CountDistinct extends Aggregator {
        private Set<Object>[] sets;

        @SuppressWarnings("unchecked")
        public CountDistinct() {
            super(DataType.BIGINT);
            sets = new Set[0];
        }

        @Override
        protected void grow(int n) {
            sets = Arrays.copyOf(sets, n);
        }

        @Override
        public void reset(int g) {
            sets[g] = null;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeValues(sets[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            Set<Object> s = new HashSet<>();
            sets[g] = in.readValues(s) ? s : null;
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            if (sets[g] == null) {
                sets[g] = new HashSet<>();
            }
            sets[g].add(distinctKey(arg));
        }

        @Override
        public void result(int g, Eval out) {
            out.isNull = false;
            out.l = sets[g] == null ? 0 : sets[g].size();
        }

        @Override
        public Aggregator copyEmpty() {
            return new CountDistinct();
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /** The union of the two groups' distinct values. */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            Set<Object> o = ((CountDistinct) from).sets[fg];
            if (o == null || o.isEmpty()) {
                return;
            }
            if (sets[g] == null) {
                sets[g] = new HashSet<>(o);
            } else {
                sets[g].addAll(o);
            }
        }
    }

    /** HyperLogLog with 2^12 registers (standard error about 1.6%), small-range corrected. */
    public static final class ApproxCountDistinct extends Aggregator {
        private static final int P = 12;
        private static final int M = 1 << P;
        private byte[][] registers = new byte[0][];

        public ApproxCountDistinct() {
            super(DataType.BIGINT);
        }

        @Override
        protected void grow(int n) {
            registers = Arrays.copyOf(registers, n);
        }

        @Override
        public void reset(int g) {
            registers[g] = null;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            byte[] r = registers[g];
            out.writeInt(r == null ? -1 : r.length);
            if (r != null) {
                for (byte b : r) {
                    out.writeByte(b);
                }
            }
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            int len = in.readInt();
            byte[] r = len < 0 ? null : new byte[len];
            for (int i = 0; i < len; i++) {
                r[i] = (byte) in.readByte();
            }
            registers[g] = r;
        }

        static long hash(Eval arg) {
            long h;
            switch (arg.type.kind) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: h = arg.l; break;
                case DOUBLE: h = Double.doubleToLongBits(arg.d); break;
                default: {
                    Object k = distinctKey(arg);
                    byte[] bytes = k.toString().getBytes(StandardCharsets.UTF_8);
                    h = 0xcbf29ce484222325L;
                    for (byte b : bytes) {
                        h ^= b;
                        h *= 0x100000001b3L;
                    }
                    break;
                }
            }
            // murmur3 fmix64
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return h;
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            if (registers[g] == null) {
                registers[g] = new byte[M];
            }
            long h = hash(arg);
            int idx = (int) (h >>> (64 - P));
            int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
            if (rank > registers[g][idx]) {
                registers[g][idx] = (byte) rank;
            }
        }

        @Override
        public void result(int g, Eval out) {
            out.isNull = false;
            byte[] r = registers[g];
            if (r == null) {
                out.l = 0;
                return;
            }
            double sum = 0;
            int zeros = 0;
            for (byte b : r) {
                sum += 1.0 / (1L << b);
                if (b == 0) {
                    zeros++;
                }
            }
            double alpha = 0.7213 / (1 + 1.079 / M);
            double estimate = alpha * M * M / sum;
            if (estimate <= 2.5 * M && zeros > 0) {
                estimate = M * Math.log((double) M / zeros);
            }
            out.l = Math.round(estimate);
        }

        @Override
        public Aggregator copyEmpty() {
            return new ApproxCountDistinct();
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /** The register-wise maximum: the sketch of the union, exactly as if one group had seen both inputs. */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            byte[] o = ((ApproxCountDistinct) from).registers[fg];
            if (o == null) {
                return;
            }
            if (registers[g] == null) {
                registers[g] = o.clone();
                return;
            }
            byte[] r = registers[g];
            for (int i = 0; i < M; i++) {
                if (o[i] > r[i]) {
                    r[i] = o[i];
                }
            }
        }
    }

    /** STRING_AGG(x, sep) / LISTAGG(x, sep): values as text in arrival order; NULLs skipped. */
    public static final class StringAgg extends Aggregator {
        private final String separator;
        private StringBuilder[] builders = new StringBuilder[0];

        public StringAgg(String separator) {
            super(DataType.STRING);
            this.separator = separator;
        }

        @Override
        protected void grow(int n) {
            builders = Arrays.copyOf(builders, n);
        }

        @Override
        public void reset(int g) {
            builders[g] = null;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeText(builders[g] == null ? null : builders[g].toString());
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            String t = in.readText();
            builders[g] = t == null ? null : new StringBuilder(t);
        }

        @Override
        public boolean mayRefuse() {
            return true;
        }

        @Override
        public void check(int g, Eval arg) {
            if (!arg.isNull) {
                long length = (builders[g] == null ? 0 : builders[g].length() + separator.length())
                        + (long) io.velo.expr.eval.CastEval.text(arg).length();
                if (length > Limits.MAX_STRING_LENGTH) {
                    throw tooLong(length);
                }
            }
        }

        private static RecordError tooLong(long length) {
            return new RecordError(RecordError.LIMIT_EXCEEDED, "STRING_AGG result of " + length
                    + " characters exceeds the limit of " + Limits.MAX_STRING_LENGTH + " for a STRING value");
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            StringBuilder sb = builders[g];
            String text = io.velo.expr.eval.CastEval.text(arg);
            long length = sb == null ? text.length() : (long) sb.length() + separator.length() + text.length();
            if (length > Limits.MAX_STRING_LENGTH) {
                throw tooLong(length);
            }
            if (sb == null) {
                sb = builders[g] = new StringBuilder();
            } else {
                sb.append(separator);
            }
            sb.append(text);
        }

        @Override
        public void result(int g, Eval out) {
            if (builders[g] == null) {
                out.isNull = true;
                return;
            }
            out.isNull = false;
            out.o = builders[g].toString();
        }

        @Override
        public Aggregator copyEmpty() {
            return new StringAgg(separator);
        }
    }
}
