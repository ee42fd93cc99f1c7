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

    /**
     * COUNT(DISTINCT x). Values that reduce to one long — BIGINT, TIMESTAMP, DATE, BOOLEAN, a DOUBLE's
     * bits ({@code Double.equals}: -0.0 and 0.0 differ, NaN is one value) and a fixed-scale DECIMAL's
     * unscaled value at its scale — go into a per-group open-addressing set of primitive longs, so a
     * value costs 8 bytes of state and a lookup allocates nothing. Anything else (text, free-scale or
     * promoted decimals, values with digits past the column's scale) goes to an object set of the
     * value's canonical form (a decimal without trailing zeros). The two never hold the same value: a
     * value goes to the long set whenever it can be written at the scale. A batch of regular values
     * takes one loop over the column's arrays.
     */
    public static final class CountDistinct extends Aggregator {
        private static final int LONGS = 0;
        private static final int DOUBLES = 1;
        private static final int DECIMALS = 2;
        private static final int OBJECTS = 3;
        /** Marks a free slot; the value itself is recorded in {@link #hasEmpty}. */
        private static final long EMPTY = Long.MIN_VALUE;
        /** A reset group keeps a table up to this many slots (cleared), so reused state allocates nothing. */
        private static final int KEEP = 1024;

        private final DataType argType;
        private final int mode;
        private final int scale;
        private long[][] tables = new long[0][];
        private int[] sizes = new int[0];
        private boolean[] hasEmpty = new boolean[0];
        private Set<Object>[] others;

        public CountDistinct() {
            this(null);
        }

        /** @param argType the argument's type (null: every value goes to the object set) */
        @SuppressWarnings("unchecked")
        public CountDistinct(DataType argType) {
            super(DataType.BIGINT);
            this.argType = argType;
            this.others = new Set[0];
            if (argType == null) {
                mode = OBJECTS;
            } else {
                mode = switch (argType.kind) {
                    case BIGINT, TIMESTAMP, DATE, BOOLEAN -> LONGS;
                    case DOUBLE -> DOUBLES;
                    case DECIMAL -> argType.hasFixedScale() && argType.scale <= 18 ? DECIMALS : OBJECTS;
                    default -> OBJECTS;
                };
            }
            this.scale = mode == DECIMALS ? argType.scale : 0;
        }

        @Override
        protected void grow(int n) {
            tables = Arrays.copyOf(tables, n);
            sizes = Arrays.copyOf(sizes, n);
            hasEmpty = Arrays.copyOf(hasEmpty, n);
            others = Arrays.copyOf(others, n);
        }

        @Override
        public void reset(int g) {
            long[] t = tables[g];
            if (t != null) {
                if (t.length <= KEEP) {
                    if (sizes[g] > 0) {
                        Arrays.fill(t, EMPTY);
                    }
                } else {
                    tables[g] = null;
                }
            }
            sizes[g] = 0;
            hasEmpty[g] = false;
            others[g] = null;
        }

        private static int slot(long v, int mask) {
            long h = v * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 29) ^ (h >>> 47)) & mask;
        }

        /** Adds {@code v} to group {@code g}'s long set. */
        private void addLong(int g, long v) {
            if (v == EMPTY) {
                hasEmpty[g] = true;
                return;
            }
            long[] t = tables[g];
            if (t == null) {
                t = new long[8];
                Arrays.fill(t, EMPTY);
                tables[g] = t;
            }
            int mask = t.length - 1;
            int i = slot(v, mask);
            while (true) {
                long x = t[i];
                if (x == v) {
                    return;
                }
                if (x == EMPTY) {
                    t[i] = v;
                    if (++sizes[g] * 4 >= t.length * 3) {
                        rehash(g);
                    }
                    return;
                }
                i = (i + 1) & mask;
            }
        }

        private void rehash(int g) {
            long[] old = tables[g];
            long[] t = new long[old.length * 2];
            Arrays.fill(t, EMPTY);
            int mask = t.length - 1;
            for (long v : old) {
                if (v != EMPTY) {
                    int i = slot(v, mask);
                    while (t[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    t[i] = v;
                }
            }
            tables[g] = t;
        }

        private void addObject(int g, Object o) {
            if (others[g] == null) {
                others[g] = new HashSet<>();
            }
            others[g].add(o);
        }

        /** A decimal not in the regular form: at the column's scale when it can be written there exactly, else as an object. */
        private void addIrregularDecimal(int g, BigDecimal value) {
            BigDecimal v = value.stripTrailingZeros();
            if (v.scale() <= scale) {
                BigDecimal at = v.setScale(scale);
                if (at.unscaledValue().bitLength() < 64) {
                    addLong(g, at.unscaledValue().longValue());
                    return;
                }
            }
            addObject(g, v.scale() < 0 ? v.setScale(0) : v);
        }

        @Override
        public void add(int g, Eval arg) {
            if (arg.isNull) {
                return;
            }
            switch (mode) {
                case LONGS -> addLong(g, arg.l);
                case DOUBLES -> addLong(g, Double.doubleToLongBits(arg.d));
                case DECIMALS -> {
                    io.velo.types.decimal.Dec d = arg.dec;
                    if (d.big == null && d.scale == scale) {
                        addLong(g, d.unscaled);
                    } else {
                        addIrregularDecimal(g, d.toBigDecimal());
                    }
                }
                default -> addObject(g, distinctKey(arg));
            }
        }

        @Override
        public void addBatch(int[] gids, io.velo.batch.Column arg, int[] rows, int n, ColumnRead reader) {
            if (mode == OBJECTS || arg == null) {
                super.addBatch(gids, arg, rows, n, reader);
                return;
            }
            final boolean[] nulls = arg.nulls;
            if (mode == DOUBLES) {
                final double[] v = arg.doubles;
                for (int i = 0; i < n; i++) {
                    int r = rows == null ? i : rows[i];
                    if (!nulls[r]) {
                        addLong(gids[i], Double.doubleToLongBits(v[r]));
                    }
                }
                return;
            }
            final long[] v = arg.longs;
            if (mode == LONGS) {
                for (int i = 0; i < n; i++) {
                    int r = rows == null ? i : rows[i];
                    if (!nulls[r]) {
                        addLong(gids[i], v[r]);
                    }
                }
                return;
            }
            final byte[] sc = arg.scales;
            final byte want = (byte) scale;
            final boolean anyBig = arg.anyBig;
            for (int i = 0; i < n; i++) {
                int r = rows == null ? i : rows[i];
                if (nulls[r]) {
                    continue;
                }
                if (sc[r] == want && !(anyBig && arg.bigs[r] != null)) {
                    addLong(gids[i], v[r]);
                } else {
                    reader.at(arg, r);
                    addIrregularDecimal(gids[i], reader.dec.toBigDecimal());
                }
            }
        }

        private int count(int g) {
            return sizes[g] + (hasEmpty[g] ? 1 : 0) + (others[g] == null ? 0 : others[g].size());
        }

        @Override
        public void result(int g, Eval out) {
            out.isNull = false;
            out.l = count(g);
        }

        @Override
        public void resultsInto(int from, int n, io.velo.batch.Column out, int row, Slot slot) {
            for (int i = 0; i < n; i++) {
                out.nulls[row + i] = false;
                out.longs[row + i] = count(from + i);
            }
        }

        @Override
        public long stateBytes() {
            long b = (long) capacity * (8 + 4 + 1 + 8);
            for (int g = 0; g < capacity; g++) {
                if (tables[g] != null) {
                    b += 16 + 8L * tables[g].length;
                }
                if (others[g] != null) {
                    b += 48L * others[g].size() + 64;
                }
            }
            return b;
        }

        @Override
        public void writeState(int g, io.velo.exec.state.StateOut out) {
            out.writeInt(sizes[g]).writeBoolean(hasEmpty[g]);
            long[] t = tables[g];
            if (t != null) {
                for (long v : t) {
                    if (v != EMPTY) {
                        out.writeLong(v);
                    }
                }
            }
            out.writeValues(others[g]);
        }

        @Override
        public void readState(int g, io.velo.exec.state.StateIn in) {
            reset(g);
            int n = in.readInt();
            boolean empty = in.readBoolean();
            for (int i = 0; i < n; i++) {
                addLong(g, in.readLong());
            }
            hasEmpty[g] = empty;
            Set<Object> s = new HashSet<>();
            others[g] = in.readValues(s) ? s : null;
        }

        @Override
        public Aggregator copyEmpty() {
            return new CountDistinct(argType);
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        /** The union of the two groups' distinct values. */
        @Override
        public void merge(int g, Aggregator from, int fg) {
            CountDistinct o = (CountDistinct) from;
            if (o == this && g == fg) {
                return;
            }
            long[] t = o.tables[fg];
            if (t != null) {
                // copied first: merging a group of this aggregator into another may grow that one's table
                long[] values = t.clone();
                for (long v : values) {
                    if (v != EMPTY) {
                        addLong(g, v);
                    }
                }
            }
            if (o.hasEmpty[fg]) {
                hasEmpty[g] = true;
            }
            Set<Object> os = o.others[fg];
            if (os != null && !os.isEmpty()) {
                if (others[g] == null) {
                    others[g] = new HashSet<>(os);
                } else {
                    others[g].addAll(os);
                }
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
