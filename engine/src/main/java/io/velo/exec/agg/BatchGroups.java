package io.velo.exec.agg;

import io.velo.batch.Column;
import io.velo.exec.state.StateIn;
import io.velo.exec.state.StateOut;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Group ids a batch at a time: {@link #assign} maps the key values of a batch's live rows to dense
 * group ids in one pass, with a loop specialised by key shape chosen once per query — never a type
 * switch per row.
 *
 * <ul>
 *   <li>{@link LongKeys}: one key whose values reduce to a long — BIGINT, BOOLEAN, TIMESTAMP, DATE,
 *   DOUBLE (its bits, −0.0 as 0.0), and DECIMAL of a fixed scale {@code s} (the unscaled value at
 *   scale {@code s}, so 1.5 and 1.50 are one group). Open addressing whose slots hold the key itself
 *   (no indirection while probing), Fibonacci hashing, load at most one half.</li>
 *   <li>{@link GeneralKeys}: any number of parts of any type (composite keys, text, decimals without a
 *   fixed scale). Each part is put in canonical form and hashed in a column pass; the probe finds a
 *   candidate group by hash alone; a column pass per part then verifies the candidates, and only
 *   rows whose candidate differs (a hash collision) are probed again with full comparisons.</li>
 * </ul>
 *
 * A decimal that does not fit the fast form (a promoted value, or one whose digits go past the fixed
 * scale) is kept by value as a stripped {@link BigDecimal} in a side map: rare, and out of the loop.
 * Keys are written back at the scale they were first seen with (1.50 stays 1.50 when 1.5 follows).
 */
public abstract class BatchGroups implements Groups {
    protected int size;

    /**
     * Assigns group ids: {@code gids[i]} is the group of row {@code rows[i]} (row {@code i} when
     * {@code rows} is null) of the key columns, for {@code i < n}; new groups are created in row order.
     */
    public abstract void assign(Column[] keys, int[] rows, int n, int[] gids);

    @Override
    public final int size() {
        return size;
    }

    /** The table for keys of these types. */
    public static BatchGroups create(DataType[] keyTypes) {
        if (keyTypes.length == 0) {
            return new NoKeys();
        }
        if (keyTypes.length == 1 && LongKeys.supports(keyTypes[0])) {
            return new LongKeys(keyTypes[0]);
        }
        return new GeneralKeys(keyTypes);
    }

    static int capacityFor(int groups) {
        int cap = 16;
        while (cap < groups * 2) {
            cap <<= 1;
        }
        return cap;
    }

    static long fib(long key) {
        return key * 0x9E3779B97F4A7C15L;
    }

    /** Canonical long of a DOUBLE key: its bits, with −0.0 and 0.0 equal. */
    static long doubleKey(double d) {
        return Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
    }

    /** Whether any live row of {@code nulls} is NULL (one OR-reduction the JIT can vectorise). */
    public static boolean anyNull(boolean[] nulls, int[] rows, int n) {
        boolean any = false;
        if (rows == null) {
            for (int i = 0; i < n; i++) {
                any |= nulls[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                any |= nulls[rows[i]];
            }
        }
        return any;
    }

    /** Whether every live value of a decimal column is in the long form at scale {@code scale} (see {@link Column#allAtScale}). */
    static boolean regularDecimals(Column c, int[] rows, int n, int scale) {
        return c.allAtScale(rows, n, scale);
    }

    /**
     * The unscaled value of {@code unscaled × 10^-scale} (or {@code big}) at scale {@code target}, into
     * {@code out[0]}; false when the value has digits past {@code target} or does not fit a long.
     */
    static boolean atScale(long unscaled, int scale, BigDecimal big, int target, long[] out) {
        if (big != null) {
            BigDecimal s = big.stripTrailingZeros();
            if (s.scale() > target) {
                return false;
            }
            BigInteger u = s.setScale(target).unscaledValue();
            if (u.bitLength() > 63) {
                return false;
            }
            out[0] = u.longValue();
            return true;
        }
        if (scale == target) {
            out[0] = unscaled;
            return true;
        }
        if (scale < target) {
            int up = target - scale;
            if (up > 18) {
                return unscaled == 0 && (out[0] = 0) == 0;
            }
            long f = DecimalMath.pow10(up);
            long r = unscaled * f;
            if (Math.multiplyHigh(unscaled, f) != (r >> 63)) {
                return false;
            }
            out[0] = r;
            return true;
        }
        int down = scale - target;
        if (down > 18) {
            if (unscaled != 0) {
                return false;
            }
            out[0] = 0;
            return true;
        }
        long f = DecimalMath.pow10(down);
        if (unscaled % f != 0) {
            return false;
        }
        out[0] = unscaled / f;
        return true;
    }

    /** The value as a stripped BigDecimal with a non-negative scale (the side map's key). */
    static BigDecimal stripped(long unscaled, int scale, BigDecimal big) {
        BigDecimal b = (big != null ? big : BigDecimal.valueOf(unscaled, scale)).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }

    /** Writes a decimal key at the scale it was first seen with, or the fewest digits its value needs above that. */
    static void writeDecimal(long unscaled, int scale, BigDecimal big, int firstScale, Column out, int row, Dec scratch) {
        if (big != null) {
            scratch.set(big);
        } else {
            long u = unscaled;
            int s = scale;
            while (s > firstScale && u % 10 == 0) {
                u /= 10;
                s--;
            }
            scratch.set(u, s);
        }
        if (firstScale > scratch.scale) {
            DecimalMath.rescale(scratch, firstScale, io.velo.types.decimal.DecimalRounding.HALF_UP);
        }
        out.setDecimal(row, scratch);
    }

    // ------------------------------------------------------------------ no key

    /** A global aggregate: one group, created by the first row. */
    public static final class NoKeys extends BatchGroups {
        @Override
        public void assign(Column[] keys, int[] rows, int n, int[] gids) {
            size = 1;
            Arrays.fill(gids, 0, n, 0);
        }

        @Override
        public int keyCount() {
            return 0;
        }

        @Override
        public void clear() {
            size = 0;
        }

        @Override
        public void writeKey(int k, int g, Column out, int row, Dec scratch) {
            throw new IndexOutOfBoundsException("a global aggregate has no key");
        }

        @Override
        public void writeKeyState(int g, StateOut out) {
        }

        @Override
        public int insertRestored(StateIn in) {
            size = 1;
            return 0;
        }

        @Override
        public long stateBytes() {
            return 0;
        }
    }

    // ------------------------------------------------------------------ one long key

    /** One key reducing to a long (see the class comment). */
    public static final class LongKeys extends BatchGroups {
        private static final int LONG = 0;
        private static final int DOUBLE = 1;
        private static final int DECIMAL = 2;

        private final int kind;
        /** The fixed scale of a DECIMAL key. */
        private final int scale;
        private long[] slotKeys;
        /** Group id + 1 per slot; 0 = free. */
        private int[] slotIds;
        private int mask;
        private int shift;
        /** Canonical key per group. */
        private long[] keys = new long[16];
        /** DECIMAL: the scale each group's key was first seen with. */
        private byte[] firstScales;
        /** DECIMAL: keys that do not fit the long form, by value, and per group (null for the others). */
        private HashMap<BigDecimal, Integer> irregular;
        private BigDecimal[] irregularKeys;
        private int nullGroup = -1;
        private long[] canon = new long[0];
        private final long[] one = new long[1];

        static boolean supports(DataType t) {
            switch (t.kind) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: case DOUBLE: return true;
                case DECIMAL: return t.hasFixedScale();
                default: return false;
            }
        }

        LongKeys(DataType type) {
            switch (type.kind) {
                case DOUBLE: kind = DOUBLE; break;
                case DECIMAL: kind = DECIMAL; break;
                default: kind = LONG; break;
            }
            this.scale = kind == DECIMAL ? type.scale : 0;
            if (kind == DECIMAL) {
                firstScales = new byte[16];
            }
            allocate(64);
        }

        private void allocate(int cap) {
            slotKeys = new long[cap];
            slotIds = new int[cap];
            mask = cap - 1;
            shift = 64 - Integer.numberOfTrailingZeros(cap);
        }

        @Override
        public int keyCount() {
            return 1;
        }

        @Override
        public void clear() {
            Arrays.fill(slotIds, 0);
            if (irregular != null) {
                irregular.clear();
                Arrays.fill(irregularKeys, 0, size, null);
            }
            nullGroup = -1;
            size = 0;
        }

        @Override
        public void assign(Column[] keyColumns, int[] rows, int n, int[] gids) {
            Column c = keyColumns[0];
            if (kind == LONG || (kind == DECIMAL && regularDecimals(c, rows, n, scale))) {
                probe(c.longs, c.nulls, rows, n, gids, (byte) scale);
                return;
            }
            if (kind == DOUBLE) {
                final double[] d = c.doubles;
                long[] k = canonical(c);
                if (rows == null) {
                    for (int i = 0; i < n; i++) {
                        k[i] = doubleKey(d[i]);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        int row = rows[i];
                        k[row] = doubleKey(d[row]);
                    }
                }
                probe(k, c.nulls, rows, n, gids, (byte) 0);
                return;
            }
            assignDecimalsOneByOne(c, rows, n, gids);
        }

        private long[] canonical(Column c) {
            if (canon.length < c.nulls.length) {
                canon = new long[c.nulls.length];
            }
            return canon;
        }

        /** The hot loop: {@code v[row]} is the canonical key of each live row. */
        private void probe(long[] v, boolean[] nulls, int[] rows, int n, int[] gids, byte firstScale) {
            if (!anyNull(nulls, rows, n)) {
                if (rows == null) {
                    probeAll(v, n, gids, firstScale);
                } else {
                    probeSelected(v, rows, n, gids, firstScale);
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                if (nulls[row]) {
                    gids[i] = nullGroup();
                    continue;
                }
                long k = v[row];
                int h = (int) (fib(k) >>> shift);
                while (true) {
                    int id = slotIds[h];
                    if (id == 0) {
                        gids[i] = insert(h, k, firstScale);
                        break;
                    }
                    if (slotKeys[h] == k) {
                        gids[i] = id - 1;
                        break;
                    }
                    h = (h + 1) & mask;
                }
            }
        }

        /** {@link #probe} for rows 0..n-1 without NULL keys. */
        private void probeAll(long[] v, int n, int[] gids, byte firstScale) {
            for (int i = 0; i < n; i++) {
                long k = v[i];
                int h = (int) (fib(k) >>> shift);
                int id;
                while ((id = slotIds[h]) != 0 && slotKeys[h] != k) {
                    h = (h + 1) & mask;
                }
                gids[i] = id != 0 ? id - 1 : insert(h, k, firstScale);
            }
        }

        /** {@link #probe} for selected rows without NULL keys. */
        private void probeSelected(long[] v, int[] rows, int n, int[] gids, byte firstScale) {
            for (int i = 0; i < n; i++) {
                long k = v[rows[i]];
                int h = (int) (fib(k) >>> shift);
                int id;
                while ((id = slotIds[h]) != 0 && slotKeys[h] != k) {
                    h = (h + 1) & mask;
                }
                gids[i] = id != 0 ? id - 1 : insert(h, k, firstScale);
            }
        }

        /** Decimals of other scales or promoted values in this batch: each row is put in canonical form on its own. */
        private void assignDecimalsOneByOne(Column c, int[] rows, int n, int[] gids) {
            Dec d = new Dec();
            for (int i = 0; i < n; i++) {
                int row = rows == null ? i : rows[i];
                if (c.nulls[row]) {
                    gids[i] = nullGroup();
                    continue;
                }
                c.getDecimal(row, d);
                gids[i] = find(d.unscaled, d.scale, d.big);
            }
        }

        /** The group of one decimal key, created when new. */
        private int find(long unscaled, int keyScale, BigDecimal big) {
            if (atScale(unscaled, keyScale, big, scale, one)) {
                long k = one[0];
                int h = (int) (fib(k) >>> shift);
                while (true) {
                    int id = slotIds[h];
                    if (id == 0) {
                        return insert(h, k, (byte) keyScale);
                    }
                    if (slotKeys[h] == k) {
                        return id - 1;
                    }
                    h = (h + 1) & mask;
                }
            }
            BigDecimal key = stripped(unscaled, keyScale, big);
            if (irregular == null) {
                irregular = new HashMap<>();
                irregularKeys = new BigDecimal[keys.length];
            }
            Integer g = irregular.get(key);
            if (g != null) {
                return g;
            }
            int id = newGroup(0, (byte) keyScale);
            irregular.put(key, id);
            irregularKeys[id] = key;
            return id;
        }

        private int nullGroup() {
            if (nullGroup < 0) {
                nullGroup = newGroup(0, (byte) scale);
            }
            return nullGroup;
        }

        private int insert(int slot, long k, byte firstScale) {
            int g = newGroup(k, firstScale);
            slotKeys[slot] = k;
            slotIds[slot] = g + 1;
            if (2 * (size + 1) > slotIds.length) {
                rehash();
            }
            return g;
        }

        private int newGroup(long k, byte firstScale) {
            int g = size;
            if (g == keys.length) {
                keys = Arrays.copyOf(keys, g * 2);
                if (firstScales != null) {
                    firstScales = Arrays.copyOf(firstScales, g * 2);
                }
                if (irregularKeys != null) {
                    irregularKeys = Arrays.copyOf(irregularKeys, g * 2);
                }
            }
            keys[g] = k;
            if (firstScales != null) {
                firstScales[g] = firstScale;
            }
            if (irregularKeys != null) {
                irregularKeys[g] = null;
            }
            size++;
            return g;
        }

        private void rehash() {
            long[] oldKeys = slotKeys;
            int[] oldIds = slotIds;
            allocate(oldIds.length * 2);
            for (int s = 0; s < oldIds.length; s++) {
                int id = oldIds[s];
                if (id != 0) {
                    long k = oldKeys[s];
                    int h = (int) (fib(k) >>> shift);
                    while (slotIds[h] != 0) {
                        h = (h + 1) & mask;
                    }
                    slotKeys[h] = k;
                    slotIds[h] = id;
                }
            }
        }

        private boolean isIrregular(int g) {
            return irregularKeys != null && irregularKeys[g] != null;
        }

        @Override
        public void writeKey(int k, int g, Column out, int row, Dec scratch) {
            if (g == nullGroup) {
                out.setNull(row);
                return;
            }
            switch (kind) {
                case LONG: out.setLong(row, keys[g]); break;
                case DOUBLE: out.setDouble(row, Double.longBitsToDouble(keys[g])); break;
                default:
                    writeDecimal(keys[g], scale, isIrregular(g) ? irregularKeys[g] : null, firstScales[g], out, row, scratch);
                    break;
            }
        }

        @Override
        public void writeKeys(int k, int from, int n, Column out, int row) {
            if (kind != LONG || (nullGroup >= from && nullGroup < from + n)) {
                Dec scratch = new Dec();
                for (int i = 0; i < n; i++) {
                    writeKey(k, from + i, out, row + i, scratch);
                }
                return;
            }
            System.arraycopy(keys, from, out.longs, row, n);
            Arrays.fill(out.nulls, row, row + n, false);
        }

        @Override
        public void writeKeyState(int g, StateOut out) {
            out.writeBoolean(g == nullGroup);
            if (g == nullGroup) {
                return;
            }
            if (kind == DECIMAL) {
                BigDecimal big = isIrregular(g) ? irregularKeys[g] : null;
                out.writeLong(big != null ? 0 : keys[g]).writeInt(big != null ? big.scale() : scale).writeInt(firstScales[g]).writeBig(big);
            } else {
                out.writeLong(keys[g]);
            }
        }

        @Override
        public int insertRestored(StateIn in) {
            if (in.readBoolean()) {
                return nullGroup();
            }
            long v = in.readLong();
            if (kind != DECIMAL) {
                int h = (int) (fib(v) >>> shift);
                while (slotIds[h] != 0) {
                    if (slotKeys[h] == v) {
                        return slotIds[h] - 1;
                    }
                    h = (h + 1) & mask;
                }
                return insert(h, v, (byte) 0);
            }
            int s = in.readInt();
            int first = in.readInt();
            BigDecimal big = in.readBig();
            int g = find(v, s, big);
            firstScales[g] = (byte) first;
            return g;
        }

        @Override
        public long stateBytes() {
            return 12L * slotIds.length + 8L * keys.length + (firstScales != null ? firstScales.length : 0)
                    + (irregularKeys != null ? 4L * irregularKeys.length + 64L * irregular.size() : 0);
        }
    }

    // ------------------------------------------------------------------ any keys

    /** Keys of any number of parts and any types (see the class comment). */
    public static final class GeneralKeys extends BatchGroups {
        /** Part kinds. */
        private static final int LONG = 0;
        private static final int DOUBLE = 1;
        private static final int DECIMAL = 2;
        private static final int OBJECT = 3;

        private final int parts;
        private final int[] kinds;
        private final DataType[] types;
        /** Per part, per group: canonical long (LONG, DOUBLE bits, DECIMAL stripped unscaled). */
        private long[][] longs;
        /** DECIMAL parts: stripped scale, and the scale first seen. */
        private byte[][] scales;
        private byte[][] firstScales;
        /** OBJECT parts: the value; DECIMAL parts: the stripped BigDecimal of a promoted value, else null. */
        private Object[][] objects;
        private boolean[][] nulls;
        private int[] hashes = new int[16];
        private int[] slots = new int[64]; // group id + 1
        private int mask = 63;

        // per batch, indexed by i (the i-th live row)
        private long[][] cl = new long[0][];
        private byte[][] cs = new byte[0][];
        private Object[][] co = new Object[0][];
        private boolean[][] cn = new boolean[0][];
        /** DECIMAL parts: the scale each row's key came with (a new group remembers it). */
        private byte[][] cf = new byte[0][];
        private int[] h = new int[0];
        private boolean[] mismatch = new boolean[0];
        private final Dec dec = new Dec();

        GeneralKeys(DataType[] keyTypes) {
            this.parts = keyTypes.length;
            this.types = keyTypes.clone();
            this.kinds = new int[parts];
            for (int k = 0; k < parts; k++) {
                switch (keyTypes[k].kind) {
                    case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: kinds[k] = LONG; break;
                    case DOUBLE: kinds[k] = DOUBLE; break;
                    case DECIMAL: kinds[k] = DECIMAL; break;
                    default: kinds[k] = OBJECT; break;
                }
            }
            longs = new long[parts][16];
            scales = new byte[parts][16];
            firstScales = new byte[parts][16];
            objects = new Object[parts][16];
            nulls = new boolean[parts][16];
        }

        @Override
        public int keyCount() {
            return parts;
        }

        @Override
        public void clear() {
            for (int k = 0; k < parts; k++) {
                Arrays.fill(objects[k], 0, size, null);
            }
            Arrays.fill(slots, 0);
            size = 0;
        }

        private void ensureScratch(int n) {
            if (h.length < n || cl.length != parts) {
                int cap = Math.max(n, 16);
                cl = new long[parts][cap];
                cs = new byte[parts][cap];
                co = new Object[parts][cap];
                cn = new boolean[parts][cap];
                cf = new byte[parts][cap];
                h = new int[cap];
                mismatch = new boolean[cap];
            }
        }

        @Override
        public void assign(Column[] keyColumns, int[] rows, int n, int[] gids) {
            ensureScratch(n);
            Arrays.fill(h, 0, n, 0x9E3779B9);
            for (int k = 0; k < parts; k++) {
                canonicalise(k, keyColumns[k], rows, n);
            }
            // probe by hash alone: the candidate is the first group with the row's hash
            boolean anyMismatch = false;
            for (int i = 0; i < n; i++) {
                int hi = h[i];
                int s = hi & mask;
                while (true) {
                    int id = slots[s];
                    if (id == 0) {
                        gids[i] = insert(i, hi, s);
                        break;
                    }
                    if (hashes[id - 1] == hi) {
                        gids[i] = id - 1;
                        break;
                    }
                    s = (s + 1) & mask;
                }
            }
            // verify the candidates a part at a time
            Arrays.fill(mismatch, 0, n, false);
            for (int k = 0; k < parts; k++) {
                anyMismatch |= verify(k, gids, n);
            }
            if (anyMismatch) {
                for (int i = 0; i < n; i++) {
                    if (mismatch[i]) {
                        gids[i] = findExact(i);
                    }
                }
            }
            // drop references to the batch's values
            for (int k = 0; k < parts; k++) {
                if (kinds[k] == OBJECT || kinds[k] == DECIMAL) {
                    Arrays.fill(co[k], 0, n, null);
                }
            }
        }

        /** Puts part {@code k} of every live row in canonical form (into cl/cs/co/cn) and mixes it into the hashes. */
        private void canonicalise(int k, Column c, int[] rows, int n) {
            final long[] l = cl[k];
            final boolean[] isNull = cn[k];
            final int[] hh = h;
            final boolean[] cnulls = c.nulls;
            switch (kinds[k]) {
                case LONG: {
                    final long[] v = c.longs;
                    for (int i = 0; i < n; i++) {
                        int row = rows == null ? i : rows[i];
                        boolean nu = cnulls[row];
                        long x = nu ? 0 : v[row];
                        l[i] = x;
                        isNull[i] = nu;
                        hh[i] = hh[i] * 31 + (nu ? 7 : Long.hashCode(fib(x)));
                    }
                    break;
                }
                case DOUBLE: {
                    final double[] v = c.doubles;
                    for (int i = 0; i < n; i++) {
                        int row = rows == null ? i : rows[i];
                        boolean nu = cnulls[row];
                        long x = nu ? 0 : doubleKey(v[row]);
                        l[i] = x;
                        isNull[i] = nu;
                        hh[i] = hh[i] * 31 + (nu ? 7 : Long.hashCode(fib(x)));
                    }
                    break;
                }
                case DECIMAL: {
                    final byte[] sc = cs[k];
                    final byte[] first = cf[k];
                    final Object[] o = co[k];
                    for (int i = 0; i < n; i++) {
                        int row = rows == null ? i : rows[i];
                        boolean nu = cnulls[row];
                        isNull[i] = nu;
                        if (nu) {
                            hh[i] = hh[i] * 31 + 7;
                            continue;
                        }
                        c.getDecimal(row, dec);
                        o[i] = null;
                        int part;
                        if (dec.big != null) {
                            BigDecimal b = stripped(0, 0, dec.big);
                            if (b.unscaledValue().bitLength() <= 63) {
                                l[i] = b.unscaledValue().longValue();
                                sc[i] = (byte) b.scale();
                                part = Long.hashCode(fib(l[i])) * 31 + sc[i];
                            } else {
                                o[i] = b;
                                part = b.hashCode();
                            }
                        } else {
                            long u = dec.unscaled;
                            int s = dec.scale;
                            while (s > 0 && u % 10 == 0) {
                                u /= 10;
                                s--;
                            }
                            l[i] = u;
                            sc[i] = (byte) s;
                            part = Long.hashCode(fib(u)) * 31 + s;
                        }
                        hh[i] = hh[i] * 31 + part;
                        first[i] = (byte) dec.scale;
                    }
                    break;
                }
                default: {
                    final Object[] v = c.objects;
                    final Object[] o = co[k];
                    for (int i = 0; i < n; i++) {
                        int row = rows == null ? i : rows[i];
                        boolean nu = cnulls[row];
                        Object x = nu ? null : v[row];
                        o[i] = x;
                        isNull[i] = nu;
                        hh[i] = hh[i] * 31 + (nu ? 7 : x.hashCode());
                    }
                    break;
                }
            }
        }

        /** Marks the rows whose candidate group differs from them in part {@code k}; true when any does. */
        private boolean verify(int k, int[] gids, int n) {
            final boolean[] mm = mismatch;
            final boolean[] isNull = cn[k];
            final boolean[] gn = nulls[k];
            boolean any = false;
            switch (kinds[k]) {
                case LONG: case DOUBLE: {
                    final long[] l = cl[k];
                    final long[] gl = longs[k];
                    for (int i = 0; i < n; i++) {
                        int g = gids[i];
                        boolean diff = isNull[i] != gn[g] || (!isNull[i] && l[i] != gl[g]);
                        mm[i] |= diff;
                        any |= diff;
                    }
                    break;
                }
                case DECIMAL: {
                    final long[] l = cl[k];
                    final byte[] sc = cs[k];
                    final Object[] o = co[k];
                    final long[] gl = longs[k];
                    final byte[] gs = scales[k];
                    final Object[] go = objects[k];
                    for (int i = 0; i < n; i++) {
                        int g = gids[i];
                        boolean diff;
                        if (isNull[i] || gn[g]) {
                            diff = isNull[i] != gn[g];
                        } else if (o[i] != null || go[g] != null) {
                            diff = o[i] == null || !o[i].equals(go[g]);
                        } else {
                            diff = l[i] != gl[g] || sc[i] != gs[g];
                        }
                        mm[i] |= diff;
                        any |= diff;
                    }
                    break;
                }
                default: {
                    final Object[] o = co[k];
                    final Object[] go = objects[k];
                    for (int i = 0; i < n; i++) {
                        int g = gids[i];
                        boolean diff = isNull[i] != gn[g] || (!isNull[i] && !o[i].equals(go[g]));
                        mm[i] |= diff;
                        any |= diff;
                    }
                    break;
                }
            }
            return any;
        }

        /** A full probe for row {@code i} after a hash collision: compares every part, creates the group if new. */
        private int findExact(int i) {
            int hi = h[i];
            int s = hi & mask;
            while (true) {
                int id = slots[s];
                if (id == 0) {
                    return insert(i, hi, s);
                }
                int g = id - 1;
                if (hashes[g] == hi && equalsRow(g, i)) {
                    return g;
                }
                s = (s + 1) & mask;
            }
        }

        private boolean equalsRow(int g, int i) {
            for (int k = 0; k < parts; k++) {
                boolean a = cn[k][i];
                boolean b = nulls[k][g];
                if (a || b) {
                    if (a != b) {
                        return false;
                    }
                    continue;
                }
                switch (kinds[k]) {
                    case LONG: case DOUBLE:
                        if (cl[k][i] != longs[k][g]) {
                            return false;
                        }
                        break;
                    case DECIMAL:
                        if (co[k][i] != null || objects[k][g] != null) {
                            if (co[k][i] == null || !co[k][i].equals(objects[k][g])) {
                                return false;
                            }
                        } else if (cl[k][i] != longs[k][g] || cs[k][i] != scales[k][g]) {
                            return false;
                        }
                        break;
                    default:
                        if (!co[k][i].equals(objects[k][g])) {
                            return false;
                        }
                        break;
                }
            }
            return true;
        }

        /** Creates a group from the canonical parts of row {@code i}. */
        private int insert(int i, int hash, int slot) {
            int g = size;
            if (g == hashes.length) {
                grow();
            }
            hashes[g] = hash;
            for (int k = 0; k < parts; k++) {
                nulls[k][g] = cn[k][i];
                longs[k][g] = cl[k][i];
                objects[k][g] = co[k][i];
                if (kinds[k] == DECIMAL) {
                    scales[k][g] = cs[k][i];
                    firstScales[k][g] = cf[k][i];
                }
            }
            slots[slot] = g + 1;
            size++;
            if (size * 2 > slots.length) {
                rehash();
            }
            return g;
        }

        private void grow() {
            int cap = hashes.length * 2;
            hashes = Arrays.copyOf(hashes, cap);
            for (int k = 0; k < parts; k++) {
                longs[k] = Arrays.copyOf(longs[k], cap);
                scales[k] = Arrays.copyOf(scales[k], cap);
                firstScales[k] = Arrays.copyOf(firstScales[k], cap);
                objects[k] = Arrays.copyOf(objects[k], cap);
                nulls[k] = Arrays.copyOf(nulls[k], cap);
            }
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            mask = slots.length - 1;
            for (int g = 0; g < size; g++) {
                int s = hashes[g] & mask;
                while (slots[s] != 0) {
                    s = (s + 1) & mask;
                }
                slots[s] = g + 1;
            }
        }

        @Override
        public void writeKey(int k, int g, Column out, int row, Dec scratch) {
            if (nulls[k][g]) {
                out.setNull(row);
                return;
            }
            switch (kinds[k]) {
                case LONG: out.setLong(row, longs[k][g]); break;
                case DOUBLE: out.setDouble(row, Double.longBitsToDouble(longs[k][g])); break;
                case DECIMAL:
                    writeDecimal(longs[k][g], scales[k][g], (BigDecimal) objects[k][g], firstScales[k][g], out, row, scratch);
                    break;
                default: out.setObject(row, objects[k][g]); break;
            }
        }

        @Override
        public void writeKeyState(int g, StateOut out) {
            for (int k = 0; k < parts; k++) {
                boolean isNull = nulls[k][g];
                out.writeBoolean(isNull);
                if (isNull) {
                    continue;
                }
                switch (kinds[k]) {
                    case LONG: case DOUBLE: out.writeLong(longs[k][g]); break;
                    case DECIMAL:
                        out.writeLong(longs[k][g]).writeInt(scales[k][g]).writeInt(firstScales[k][g]).writeBig((BigDecimal) objects[k][g]);
                        break;
                    default: out.writeValue(objects[k][g]); break;
                }
            }
        }

        @Override
        public int insertRestored(StateIn in) {
            ensureScratch(1);
            int hash = 0x9E3779B9;
            int[] firsts = new int[parts];
            for (int k = 0; k < parts; k++) {
                boolean isNull = in.readBoolean();
                cn[k][0] = isNull;
                co[k][0] = null;
                cl[k][0] = 0;
                int part = 7;
                if (!isNull) {
                    switch (kinds[k]) {
                        case LONG: case DOUBLE:
                            cl[k][0] = in.readLong();
                            part = Long.hashCode(fib(cl[k][0]));
                            break;
                        case DECIMAL: {
                            long u = in.readLong();
                            int s = in.readInt();
                            firsts[k] = in.readInt();
                            BigDecimal big = in.readBig();
                            BigDecimal b = stripped(u, s, big);
                            if (b.unscaledValue().bitLength() <= 63) {
                                cl[k][0] = b.unscaledValue().longValue();
                                cs[k][0] = (byte) b.scale();
                                part = Long.hashCode(fib(cl[k][0])) * 31 + cs[k][0];
                            } else {
                                co[k][0] = b;
                                part = b.hashCode();
                            }
                            break;
                        }
                        default:
                            co[k][0] = in.readValue();
                            part = co[k][0].hashCode();
                            break;
                    }
                }
                hash = hash * 31 + part;
            }
            h[0] = hash;
            for (int k = 0; k < parts; k++) {
                cf[k][0] = (byte) firsts[k];
            }
            int g = findExact(0);
            for (int k = 0; k < parts; k++) {
                co[k][0] = null;
            }
            return g;
        }

        @Override
        public long stateBytes() {
            long perGroup = 4L + (long) parts * (8 + 1 + 1 + 4 + 1);
            return perGroup * hashes.length + 4L * slots.length;
        }
    }
}
