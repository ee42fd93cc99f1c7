package io.velo.harness.pipeline;

import static io.velo.harness.pipeline.CountingSink.decimalHash;
import static io.velo.harness.pipeline.CountingSink.rowHash;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The hand-written references: what a competent engineer writes for each query over the same
 * columnar arrays, without knowing the data's shape — primitive open addressing for keyed state,
 * windows closed as the watermark passes (state never grows with the input), a window start computed
 * only when a record leaves the current window, and the engine's exact semantics: a decimal product
 * that overflows 64 bits is promoted to BigDecimal, a BIGINT SUM that would overflow fails its record,
 * a record whose window has closed is late.
 *
 * <p>Each query has a timed form, which ends in the cheap fold the engine's counting sink also pays
 * (rows and the sum of one long per output row), and a full form run outside the timed section, which
 * adds the order-independent checksum over every output column as {@link CountingSink} computes it.
 * Where the two forms are separate loops, the harness checks that they agree on rows and fold.
 */
final class HandWritten {
    private HandWritten() {
    }

    // ---------------------------------------------------------------- select: id, price, quantity, price * quantity

    static void select(TradeData d, Answer a, boolean full) {
        if (full) {
            selectFull(d, a);
            return;
        }
        final long[] p = d.price;
        final long[] q = d.quantity;
        final int n = d.size;
        long fold = 0;
        for (int i = 0; i < n; i++) {
            long x = p[i];
            long y = q[i];
            long r = x * y;
            if (Math.multiplyHigh(x, y) != (r >> 63)) {
                r = promotedNotional(x, y).unscaledValue().longValue();
            }
            fold += r;
        }
        a.rows = n;
        a.fold = fold;
    }

    private static void selectFull(TradeData d, Answer a) {
        long fold = 0;
        long sum = 0;
        for (int i = 0; i < d.size; i++) {
            long x = d.price[i];
            long y = d.quantity[i];
            long r = x * y;
            long notionalHash;
            if (Math.multiplyHigh(x, y) != (r >> 63)) {
                BigDecimal big = promotedNotional(x, y);
                r = big.unscaledValue().longValue();
                notionalHash = decimalHash(0, 0, big);
            } else {
                notionalHash = decimalHash(r, TradeData.PRICE_SCALE, null);
            }
            fold += r;
            sum += rowHash(d.id[i], decimalHash(x, TradeData.PRICE_SCALE, null), y, notionalHash);
        }
        a.rows = d.size;
        a.fold = fold;
        a.checksum = sum;
    }

    /** The slow path of price × quantity: exact, at the product's scale (4 + 0), as the engine promotes it. */
    private static BigDecimal promotedNotional(long price, long quantity) {
        return new BigDecimal(BigInteger.valueOf(price).multiply(BigInteger.valueOf(quantity)), TradeData.PRICE_SCALE);
    }

    // ---------------------------------------------------------------- filter: id, price WHERE price > 150.0000

    static void filter(TradeData d, Answer a, boolean full) {
        final long[] p = d.price;
        final long[] id = d.id;
        final int n = d.size;
        long rows = 0;
        long fold = 0;
        if (!full) {
            for (int i = 0; i < n; i++) {
                if (p[i] > 1_500_000L) {
                    rows++;
                    fold += id[i];
                }
            }
        } else {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                if (p[i] > 1_500_000L) {
                    rows++;
                    fold += id[i];
                    sum += rowHash(id[i], decimalHash(p[i], TradeData.PRICE_SCALE, null));
                }
            }
            a.checksum = sum;
        }
        a.rows = rows;
        a.fold = fold;
    }

    // ---------------------------------------------------------------- multi_condition: four ANDed conditions

    static void multiCondition(TradeData d, Answer a, boolean full) {
        final long[] p = d.price;
        final long[] q = d.quantity;
        final String[] side = d.side;
        final long[] account = d.account;
        final long[] id = d.id;
        final int n = d.size;
        long rows = 0;
        long fold = 0;
        if (!full) {
            for (int i = 0; i < n; i++) {
                if (p[i] > 1_200_000L && q[i] >= 100 && "BUY".equals(side[i]) && account[i] < 900) {
                    rows++;
                    fold += id[i];
                }
            }
        } else {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                if (p[i] > 1_200_000L && q[i] >= 100 && "BUY".equals(side[i]) && account[i] < 900) {
                    rows++;
                    fold += id[i];
                    sum += rowHash(id[i], account[i], q[i]);
                }
            }
            a.checksum = sum;
        }
        a.rows = rows;
        a.fold = fold;
    }

    // ---------------------------------------------------------------- group_by: account, COUNT(*), SUM(quantity)

    /**
     * Called by a reference once its input is consumed and before it emits, while all its state is still
     * held: where the harness measures the retained state. Null in timed runs.
     */
    interface AtEnd {
        void reached();
    }

    static void groupBy(TradeData d, Answer a, boolean full) {
        groupBy(d, a, full, null);
    }

    static void groupBy(TradeData d, Answer a, boolean full, AtEnd atEnd) {
        groupByLong(d.account, d, a, full, -1, atEnd);
    }

    /** group_by_1m: the same query keyed by {@code customer} (1M distinct BIGINT keys). */
    static void groupByCustomer(TradeData d, Answer a, boolean full, AtEnd atEnd) {
        groupByLong(d.customer, d, a, full, -1, atEnd);
    }

    /**
     * group_by_decimal, keyed by {@code limit_price} DECIMAL(18,2). Every value of a column of that
     * type has the type's scale — the decoders rescale to it ({@code Values.fitDecimal}) and the
     * engine's batch predicates rely on it — and precision 18 fits a long, so equal values have equal
     * unscaled longs: a competent engineer knowing only the column type keys by the unscaled long. The
     * engine's group table compares decimal keys by value (trailing zeros stripped, for columns whose
     * scale may vary); with a fixed-scale column that normalisation is the engine's own overhead, so
     * the reference does not repeat it. The checksum hashes the key by value, as the sink does.
     */
    static void groupByDecimal(TradeData d, Answer a, boolean full, AtEnd atEnd) {
        groupByLong(d.limitPrice, d, a, full, TradeData.LIMIT_PRICE_SCALE, atEnd);
    }

    /** @param keyScale the key's decimal scale, or -1 for a BIGINT key */
    private static void groupByLong(long[] keys, TradeData d, Answer a, boolean full, int keyScale, AtEnd atEnd) {
        final long[] key = keys;
        final long[] q = d.quantity;
        final int n = d.size;
        LongGroupTable t = new LongGroupTable(16);
        long failed = 0;
        for (int i = 0; i < n; i++) {
            if (!t.add(key[i], q[i])) {
                failed++;
            }
        }
        if (atEnd != null) {
            atEnd.reached();
        }
        a.failed = failed;
        emitGroups(t, a, full, keyScale);
    }

    private static void emitGroups(LongGroupTable t, Answer a, boolean full, int keyScale) {
        final long[] ks = t.keys;
        final long[] cs = t.counts;
        final long[] ss = t.sums;
        for (int h = 0; h < cs.length; h++) {
            if (cs[h] != 0) {
                a.rows++;
                a.fold += ss[h];
                if (full) {
                    long k = keyScale < 0 ? ks[h] : decimalHash(ks[h], keyScale, null);
                    a.checksum += rowHash(k, cs[h], ss[h]);
                }
            }
        }
    }

    /**
     * The ceiling for dense keys, not a fair reference: it knows the keys are 0 .. ACCOUNTS-1 and indexes
     * arrays by key. Reported beside the fair reference to show how far a key-aware layout could go.
     */
    static void groupByDirectArray(TradeData d, Answer a, boolean full) {
        final long[] account = d.account;
        final long[] q = d.quantity;
        final int n = d.size;
        final long[] counts = new long[TradeData.ACCOUNTS];
        final long[] sums = new long[TradeData.ACCOUNTS];
        long failed = 0;
        for (int i = 0; i < n; i++) {
            int k = (int) account[i];
            long s = sums[k];
            long y = q[i];
            long r = s + y;
            if (((s ^ r) & (y ^ r)) < 0) {
                failed++;
                continue;
            }
            sums[k] = r;
            counts[k]++;
        }
        a.failed = failed;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] != 0) {
                a.rows++;
                a.fold += sums[k];
                if (full) {
                    a.checksum += rowHash(k, counts[k], sums[k]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- tumbling: per account per 1 s window, closed at the watermark

    static void tumbling(TradeData d, Answer a, boolean full) {
        tumbling(d, a, full, null);
    }

    static void tumbling(TradeData d, Answer a, boolean full, AtEnd atEnd) {
        final long size = PipelineKind.TUMBLING_WINDOW_MS;
        final long allowed = PipelineKind.TUMBLING_OUT_OF_ORDERNESS_MS;
        final long[] ts = d.ts;
        final long[] account = d.account;
        final long[] q = d.quantity;
        final int n = d.size;
        OpenWindows windows = new OpenWindows(size, a, full);
        long maxTs = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        // the window of the previous record: [curStart, curEnd); empty until the first record
        long curStart = 0;
        long curEnd = 0;
        LongGroupTable cur = null;
        long late = 0;
        long failed = 0;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            if (t < curStart || t >= curEnd) {
                long start = Math.floorDiv(t, size) * size;
                if (start + size <= watermark) {
                    late++;
                    continue;
                }
                cur = windows.open(start);
                curStart = start;
                curEnd = start + size;
            }
            if (!cur.add(account[i], q[i])) {
                failed++;
            }
            if (t > maxTs) {
                maxTs = t;
                watermark = t - allowed;
                if (watermark >= windows.oldestEnd) {
                    windows.closeThrough(watermark);
                    if (curEnd <= watermark) {
                        curStart = 0;
                        curEnd = 0;
                        cur = null;
                    }
                }
            }
        }
        if (atEnd != null) {
            atEnd.reached();
        }
        windows.closeThrough(Long.MAX_VALUE);
        a.late = late;
        a.failed = failed;
    }

    // ---------------------------------------------------------------- joins to a keyed table

    /** Whether key {@code k} (0 .. n-1) has a row in a join kind's table: all but every tenth / fourth. */
    static boolean inTable(String table, long k) {
        return table.equals("accounts") ? k % 10 != 7 : k % 4 != 3;
    }

    /** The table's value column for key {@code k}. */
    static long credit(long k) {
        return k * 37 + 5;
    }

    /**
     * Writes the table {@code name} (keys 0 .. n-1 that {@link #inTable}, each with its {@link #credit})
     * as CSV under {@code dir} and returns the statement that declares it as a keyed file table.
     */
    static String writeTable(java.nio.file.Path dir, String name, String keyColumn, int n) throws java.io.IOException {
        java.nio.file.Path f = dir.resolve(name + ".csv");
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(f)) {
            w.write(keyColumn + ",credit\n");
            for (long k = 0; k < n; k++) {
                if (inTable(name, k)) {
                    w.write(k + "," + credit(k) + "\n");
                }
            }
        }
        return "CREATE TABLE " + name + " (" + keyColumn + " BIGINT PRIMARY KEY, credit BIGINT) WITH ('" + name + ".type' = 'file_source', '"
                + name + ".path' = '" + f.toAbsolutePath().toString().replace("'", "''") + "', '" + name + ".format' = 'csv');";
    }

    /** A table's rows as the reference holds them: key to value in primitive open addressing, built once (as the engine loads its table before the stream). */
    private static final java.util.Map<String, LongLongMap> TABLES = new java.util.concurrent.ConcurrentHashMap<>();

    private static LongLongMap table(String name, int n) {
        return TABLES.computeIfAbsent(name, x -> {
            LongLongMap m = new LongLongMap(n);
            for (long k = 0; k < n; k++) {
                if (inTable(name, k)) {
                    m.put(k, credit(k));
                }
            }
            return m;
        });
    }

    /** INNER join of each trade to its account's row: a probe per trade, matched rows out. */
    static void streamTableJoin(TradeData d, Answer a, boolean full) {
        LongLongMap t = table("accounts", TradeData.ACCOUNTS);
        final long[] account = d.account;
        final long[] q = d.quantity;
        final long[] id = d.id;
        final int n = d.size;
        long rows = 0;
        long fold = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int slot = t.find(account[i]);
            if (slot >= 0) {
                long c = t.values[slot];
                rows++;
                fold += c;
                if (full) {
                    sum += rowHash(id[i], q[i], c);
                }
            }
        }
        a.rows = rows;
        a.fold = fold;
        a.checksum = sum;
    }

    /** LEFT join of each trade to its customer's row in a 750,000-row table (beyond the caches): NULL (0 in the fold) when missing. */
    static void tableLookup(TradeData d, Answer a, boolean full) {
        LongLongMap t = table("customers", TradeData.CUSTOMERS);
        final long[] customer = d.customer;
        final long[] id = d.id;
        final int n = d.size;
        long fold = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int slot = t.find(customer[i]);
            long c = slot >= 0 ? t.values[slot] : 0;
            fold += c;
            if (full) {
                sum += rowHash(id[i], c);
            }
        }
        a.rows = n;
        a.fold = fold;
        a.checksum = sum;
    }

    /** BIGINT to BIGINT in open addressing (linear probing, load at most one half, Fibonacci hashing). */
    static final class LongLongMap {
        final long[] keys;
        final long[] values;
        final boolean[] used;
        private final int shift;
        private final int mask;

        LongLongMap(int expected) {
            int cap = Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1);
            keys = new long[cap];
            values = new long[cap];
            used = new boolean[cap];
            mask = cap - 1;
            shift = 64 - Integer.numberOfTrailingZeros(cap);
        }

        void put(long k, long v) {
            int h = (int) ((k * 0x9E3779B97F4A7C15L) >>> shift);
            while (used[h] && keys[h] != k) {
                h = (h + 1) & mask;
            }
            used[h] = true;
            keys[h] = k;
            values[h] = v;
        }

        int find(long k) {
            int h = (int) ((k * 0x9E3779B97F4A7C15L) >>> shift);
            while (used[h]) {
                if (keys[h] == k) {
                    return h;
                }
                h = (h + 1) & mask;
            }
            return -1;
        }
    }

    // ---------------------------------------------------------------- interval join: trades to fills within 1 s

    /**
     * The trades and the fills merged by time (ties to the trades), each row kept in its side's state
     * — a map from key to that key's rows (slot lists in primitive arrays) — and probed against the
     * other side's rows of its key; a row leaves its side's state once the join's watermark (the
     * earlier of the two sides') has passed the last time a row of the other side could match it.
     * The rows of a side are evicted from a FIFO in arrival order, which is their time order give or
     * take the allowed disorder, so a row may stay a little longer than it must, never shorter.
     */
    static void intervalJoin(TradeData d, Answer a, boolean full) {
        d.ensureFills();
        final long hi = 1000;
        final long allowed = PipelineKind.TUMBLING_OUT_OF_ORDERNESS_MS;
        final long[] ts = d.ts;
        final long[] id = d.id;
        final long[] q = d.quantity;
        final long[] fid = d.fillTradeId;
        final long[] fq = d.fillQty;
        final long[] ft = d.fillTs;
        final int n = d.size;
        final int m = ft.length;
        JoinSide left = new JoinSide();
        JoinSide right = new JoinSide();
        long wmL = Long.MIN_VALUE;
        long wmR = Long.MIN_VALUE;
        long rows = 0;
        long fold = 0;
        long sum = 0;
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (j == m || (i < n && ts[i] <= ft[j])) {
                long t = ts[i];
                // probe the fills of this trade: fts in [t, t + hi]
                for (int s = right.head(id[i]); s >= 0; s = right.next[s]) {
                    long rt = right.time[s];
                    if (rt >= t && rt <= t + hi) {
                        rows++;
                        fold += right.value[s];
                        if (full) {
                            sum += rowHash(id[i], q[i], right.value[s]);
                        }
                    }
                }
                left.add(id[i], t, q[i]);
                wmL = Math.max(wmL, t - allowed);
                i++;
            } else {
                long t = ft[j];
                for (int s = left.head(fid[j]); s >= 0; s = left.next[s]) {
                    long lt = left.time[s];
                    if (t >= lt && t <= lt + hi) {
                        rows++;
                        fold += fq[j];
                        if (full) {
                            sum += rowHash(fid[j], left.value[s], fq[j]);
                        }
                    }
                }
                right.add(fid[j], t, fq[j]);
                wmR = Math.max(wmR, t - allowed);
                j++;
            }
            long wm = Math.min(i == n ? Long.MAX_VALUE : wmL, j == m ? Long.MAX_VALUE : wmR);
            if (wm != Long.MIN_VALUE) { // no watermark before both sides have one (and wm - hi must not wrap)
                left.evictThrough(wm - hi); // a trade at t matches fills up to t + hi
                right.evictThrough(wm); // a fill at t matches trades from t - hi to t: none arrives behind the watermark
            }
        }
        a.rows = rows;
        a.fold = fold;
        a.checksum = sum;
    }

    /**
     * One side of the interval join: rows in slots (key, time, value, next of the same key), a key's
     * rows found through an open-addressing map to its first slot, evicted oldest first.
     */
    private static final class JoinSide {
        long[] key = new long[1024];
        long[] time = new long[1024];
        long[] value = new long[1024];
        int[] next = new int[1024];
        int[] prev = new int[1024];
        // FIFO of slots in arrival order (a ring), and free slots
        private int[] fifo = new int[1024];
        private int fifoHead;
        private int fifoSize;
        private int[] free = new int[1024];
        private int freeCount;
        private int used;
        // key -> first slot, open addressing (slot + 1, 0 free); removal by backward shift
        private long[] mapKeys = new long[2048];
        private int[] mapSlot = new int[2048];
        private int mapCount;

        private int home(long k, int mask) {
            return (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }

        private int find(long k) {
            int mask = mapKeys.length - 1;
            for (int h = home(k, mask); ; h = (h + 1) & mask) {
                if (mapSlot[h] == 0 || mapKeys[h] == k) {
                    return h;
                }
            }
        }

        int head(long k) {
            return mapSlot[find(k)] - 1;
        }

        void add(long k, long t, long v) {
            int s;
            if (freeCount > 0) {
                s = free[--freeCount];
            } else {
                if (used == key.length) {
                    int c = used * 2;
                    key = Arrays.copyOf(key, c);
                    time = Arrays.copyOf(time, c);
                    value = Arrays.copyOf(value, c);
                    next = Arrays.copyOf(next, c);
                    prev = Arrays.copyOf(prev, c);
                }
                s = used++;
            }
            key[s] = k;
            time[s] = t;
            value[s] = v;
            if ((mapCount + 1) * 2 > mapKeys.length) {
                growMap();
            }
            int h = find(k);
            int first = mapSlot[h] - 1;
            if (first < 0) {
                mapKeys[h] = k;
                mapCount++;
            } else {
                prev[first] = s;
            }
            next[s] = first;
            prev[s] = -1;
            mapSlot[h] = s + 1;
            if (fifoSize == fifo.length) {
                int[] f = new int[fifo.length * 2];
                for (int x = 0; x < fifoSize; x++) {
                    f[x] = fifo[(fifoHead + x) % fifo.length];
                }
                fifo = f;
                fifoHead = 0;
            }
            fifo[(fifoHead + fifoSize++) % fifo.length] = s;
        }

        /** Evicts, oldest first, the rows with time {@code < bound}. */
        void evictThrough(long bound) {
            while (fifoSize > 0 && time[fifo[fifoHead]] < bound) {
                int s = fifo[fifoHead];
                fifoHead = (fifoHead + 1) % fifo.length;
                fifoSize--;
                remove(s);
            }
        }

        private void remove(int s) {
            int p = prev[s];
            int nx = next[s];
            if (nx >= 0) {
                prev[nx] = p;
            }
            if (p >= 0) {
                next[p] = nx;
            } else {
                int h = find(key[s]);
                if (nx >= 0) {
                    mapSlot[h] = nx + 1;
                } else {
                    deleteAt(h);
                }
            }
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = s;
        }

        /** Removes map entry {@code h}, shifting back the entries after it (linear probing without tombstones). */
        private void deleteAt(int h) {
            int mask = mapKeys.length - 1;
            mapSlot[h] = 0;
            mapCount--;
            int i = h;
            for (int j = (h + 1) & mask; mapSlot[j] != 0; j = (j + 1) & mask) {
                int home = home(mapKeys[j], mask);
                // move j back to i when its home is not in (i, j]
                boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
                if (!between) {
                    mapKeys[i] = mapKeys[j];
                    mapSlot[i] = mapSlot[j];
                    mapSlot[j] = 0;
                    i = j;
                }
            }
        }

        private void growMap() {
            long[] ok = mapKeys;
            int[] os = mapSlot;
            mapKeys = new long[ok.length * 2];
            mapSlot = new int[ok.length * 2];
            for (int x = 0; x < ok.length; x++) {
                if (os[x] != 0) {
                    int h = find(ok[x]);
                    mapKeys[h] = ok[x];
                    mapSlot[h] = os[x];
                }
            }
        }
    }

    // ---------------------------------------------------------------- sliding: 2 s windows every 1 s

    /**
     * Hopping windows: a record goes into every open window [start, start + size) that holds it (starts
     * aligned to the advance), in the same open-window structure as tumbling; it is late only when all
     * of them have closed. Windows close as the watermark passes their end.
     */
    static void sliding(TradeData d, Answer a, boolean full, AtEnd atEnd) {
        final long size = PipelineKind.SLIDING_SIZE_MS;
        final long adv = PipelineKind.SLIDING_ADVANCE_MS;
        final long allowed = PipelineKind.TUMBLING_OUT_OF_ORDERNESS_MS;
        final long[] ts = d.ts;
        final long[] account = d.account;
        final long[] q = d.quantity;
        final int n = d.size;
        OpenWindows windows = new OpenWindows(size, a, full);
        long maxTs = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        long late = 0;
        long failed = 0;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            long last = Math.floorDiv(t, adv) * adv; // the latest window holding t
            if (last + size <= watermark) {
                late++;
                continue;
            }
            // all-or-nothing, as the engine takes a record: check every open window's sum first
            boolean ok = true;
            for (long start = last; start > t - size; start -= adv) {
                if (start + size > watermark && !windows.open(start).canAdd(account[i], q[i])) {
                    ok = false;
                }
            }
            if (ok) {
                for (long start = last; start > t - size; start -= adv) {
                    if (start + size > watermark) {
                        windows.open(start).add(account[i], q[i]);
                    }
                }
            } else {
                failed++;
            }
            if (t > maxTs) {
                maxTs = t;
                watermark = t - allowed;
                if (watermark >= windows.oldestEnd) {
                    windows.closeThrough(watermark);
                }
            }
        }
        if (atEnd != null) {
            atEnd.reached();
        }
        windows.closeThrough(Long.MAX_VALUE);
        a.late = late;
        a.failed = failed;
    }

    // ---------------------------------------------------------------- session: per account, 2 s gap

    /**
     * Session windows: a record covers [t, t + gap); a key's session is the union of its records'
     * overlapping spans, so a record that overlaps two open sessions of its key merges them. A session
     * closes when the watermark reaches its end; a record that overlaps no open session and whose own
     * span has ended is late. Sessions live in primitive slot arrays, a short list per key (found by an
     * open-addressing map), and a binary heap of (end, slot) closes them in watermark order; a session
     * that grew since it was pushed is pushed again with its new end when it surfaces.
     */
    static void session(TradeData d, Answer a, boolean full, AtEnd atEnd) {
        final long gap = PipelineKind.SESSION_GAP_MS;
        final long allowed = PipelineKind.TUMBLING_OUT_OF_ORDERNESS_MS;
        final long[] ts = d.ts;
        final long[] account = d.account;
        final long[] q = d.quantity;
        final int n = d.size;
        Sessions ss = new Sessions(a, full);
        long maxTs = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        long late = 0;
        long failed = 0;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            int r = ss.take(account[i], t, t + gap, q[i], watermark);
            if (r == Sessions.LATE) {
                late++;
            } else if (r == Sessions.FAILED) {
                failed++;
            }
            if (t > maxTs) {
                maxTs = t;
                watermark = t - allowed;
                ss.closeThrough(watermark);
            }
        }
        if (atEnd != null) {
            atEnd.reached();
        }
        ss.closeThrough(Long.MAX_VALUE);
        a.late = late;
        a.failed = failed;
    }

    /** The open sessions of every key (see {@link #session}). */
    private static final class Sessions {
        static final int TAKEN = 0;
        static final int LATE = 1;
        static final int FAILED = 2;
        private final Answer out;
        private final boolean full;
        // session slots
        private long[] start = new long[64];
        private long[] end = new long[64];
        private long[] count = new long[64];
        private long[] sum = new long[64];
        private long[] key = new long[64];
        private int[] next = new int[64];
        private int[] version = new int[64];
        private boolean[] live = new boolean[64];
        private int freeHead = -1;
        private int used;
        // key -> first open session (by start), open addressing; a free key slot has head -2
        private long[] mapKeys = new long[2048];
        private int[] mapHead = new int[2048];
        private int mapSize;
        // heap of (end, slot, version)
        private long[] heapEnd = new long[64];
        private int[] heapSlot = new int[64];
        private int[] heapVersion = new int[64];
        private int heapSize;

        Sessions(Answer out, boolean full) {
            this.out = out;
            this.full = full;
            Arrays.fill(mapHead, -2);
        }

        private int find(long k, boolean insert) {
            int mask = mapKeys.length - 1;
            int h = (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & mask;
            while (mapHead[h] != -2) {
                if (mapKeys[h] == k) {
                    return h;
                }
                h = (h + 1) & mask;
            }
            if (!insert) {
                return -1;
            }
            if ((mapSize + 1) * 2 > mapKeys.length) {
                growMap();
                return find(k, true);
            }
            mapKeys[h] = k;
            mapHead[h] = -1;
            mapSize++;
            return h;
        }

        private void growMap() {
            long[] ok = mapKeys;
            int[] oh = mapHead;
            mapKeys = new long[ok.length * 2];
            mapHead = new int[ok.length * 2];
            Arrays.fill(mapHead, -2);
            mapSize = 0;
            for (int i = 0; i < ok.length; i++) {
                if (oh[i] != -2) {
                    int h = find(ok[i], true);
                    mapHead[h] = oh[i];
                }
            }
        }

        private int newSlot() {
            int s;
            if (freeHead >= 0) {
                s = freeHead;
                freeHead = next[s];
            } else {
                if (used == start.length) {
                    int c = used * 2;
                    start = Arrays.copyOf(start, c);
                    end = Arrays.copyOf(end, c);
                    count = Arrays.copyOf(count, c);
                    sum = Arrays.copyOf(sum, c);
                    key = Arrays.copyOf(key, c);
                    next = Arrays.copyOf(next, c);
                    version = Arrays.copyOf(version, c);
                    live = Arrays.copyOf(live, c);
                }
                s = used++;
            }
            live[s] = true;
            version[s]++;
            return s;
        }

        private void freeSlot(int s) {
            live[s] = false;
            version[s]++;
            next[s] = freeHead;
            freeHead = s;
        }

        private void push(long e, int s) {
            if (heapSize == heapEnd.length) {
                int c = heapSize * 2;
                heapEnd = Arrays.copyOf(heapEnd, c);
                heapSlot = Arrays.copyOf(heapSlot, c);
                heapVersion = Arrays.copyOf(heapVersion, c);
            }
            int i = heapSize++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (heapEnd[p] <= e) {
                    break;
                }
                heapEnd[i] = heapEnd[p];
                heapSlot[i] = heapSlot[p];
                heapVersion[i] = heapVersion[p];
                i = p;
            }
            heapEnd[i] = e;
            heapSlot[i] = s;
            heapVersion[i] = version[s];
        }

        private void pop() {
            int last = --heapSize;
            long e = heapEnd[last];
            int s = heapSlot[last];
            int v = heapVersion[last];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= heapSize) {
                    break;
                }
                if (c + 1 < heapSize && heapEnd[c + 1] < heapEnd[c]) {
                    c++;
                }
                if (heapEnd[c] >= e) {
                    break;
                }
                heapEnd[i] = heapEnd[c];
                heapSlot[i] = heapSlot[c];
                heapVersion[i] = heapVersion[c];
                i = c;
            }
            heapEnd[i] = e;
            heapSlot[i] = s;
            heapVersion[i] = v;
        }

        /** One record of key {@code k} covering [t, e) with value {@code v}. */
        int take(long k, long t, long e, long v, long watermark) {
            int m = find(k, true);
            int first = -1;
            for (int s = mapHead[m]; s >= 0; s = next[s]) {
                if (start[s] < e && t < end[s]) {
                    first = s;
                    break;
                }
                if (start[s] >= e) {
                    break;
                }
            }
            if (first < 0) {
                if (e <= watermark) {
                    return LATE;
                }
                int s = newSlot();
                start[s] = t;
                end[s] = e;
                count[s] = 1;
                sum[s] = v;
                key[s] = k;
                // into the key's list, by start
                int before = -1;
                int at = mapHead[m];
                while (at >= 0 && start[at] < t) {
                    before = at;
                    at = next[at];
                }
                next[s] = at;
                if (before < 0) {
                    mapHead[m] = s;
                } else {
                    next[before] = s;
                }
                push(e, s);
                return TAKEN;
            }
            // the overlapping sessions follow one another in the list: merged into the first, with the record
            long c = count[first] + 1;
            long total = sum[first];
            long r = total + v;
            if (((total ^ r) & (v ^ r)) < 0) {
                return FAILED;
            }
            total = r;
            long lo = Math.min(start[first], t);
            long hi = Math.max(end[first], e);
            int s = next[first];
            while (s >= 0 && start[s] < hi) {
                long x = total + sum[s];
                if (((total ^ x) & (sum[s] ^ x)) < 0) {
                    return FAILED;
                }
                total = x;
                c += count[s];
                hi = Math.max(hi, end[s]);
                s = next[s];
            }
            // nothing refused: apply, freeing the absorbed sessions
            int absorbed = next[first];
            while (absorbed != s) {
                int nx = next[absorbed];
                freeSlot(absorbed);
                absorbed = nx;
            }
            next[first] = s;
            start[first] = lo;
            end[first] = hi; // its heap entry may now be early: pushed again with this end when it surfaces
            count[first] = c;
            sum[first] = total;
            return TAKEN;
        }

        void closeThrough(long watermark) {
            while (heapSize > 0 && heapEnd[0] <= watermark) {
                int s = heapSlot[0];
                int v = heapVersion[0];
                pop();
                if (!live[s] || version[s] != v) {
                    continue;
                }
                if (end[s] > watermark) {
                    push(end[s], s); // it grew since it was pushed
                    continue;
                }
                emit(s);
                int m = find(key[s], false);
                // unlink: a closing session is its key's first (every earlier one ended earlier and closed first)
                int prev = -1;
                for (int x = mapHead[m]; x != s; prev = x, x = next[x]) {
                    // walk to it
                }
                if (prev < 0) {
                    mapHead[m] = next[s];
                } else {
                    next[prev] = next[s];
                }
                freeSlot(s);
            }
        }

        private void emit(int s) {
            Answer a = out;
            a.rows++;
            a.fold += sum[s];
            if (full) {
                a.checksum += rowHash(key[s], count[s], sum[s], start[s], end[s]);
            }
        }
    }

    /** The open windows, ordered by start, each with its groups; closed tables are reused. */
    private static final class OpenWindows {
        private final long size;
        private final Answer out;
        private final boolean full;
        private long[] starts = new long[4];
        private LongGroupTable[] tables = new LongGroupTable[4];
        private int count;
        private final ArrayDeque<LongGroupTable> free = new ArrayDeque<>();
        /** End of the oldest open window; Long.MAX_VALUE when none is open. */
        long oldestEnd = Long.MAX_VALUE;

        OpenWindows(long size, Answer out, boolean full) {
            this.size = size;
            this.out = out;
            this.full = full;
        }

        LongGroupTable open(long start) {
            int i = count - 1;
            while (i >= 0 && starts[i] > start) {
                i--;
            }
            if (i >= 0 && starts[i] == start) {
                return tables[i];
            }
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
                tables = java.util.Arrays.copyOf(tables, count * 2);
            }
            int at = i + 1;
            System.arraycopy(starts, at, starts, at + 1, count - at);
            System.arraycopy(tables, at, tables, at + 1, count - at);
            LongGroupTable t = free.pollFirst();
            starts[at] = start;
            tables[at] = t != null ? t : new LongGroupTable(1024);
            count++;
            oldestEnd = starts[0] + size;
            return tables[at];
        }

        void closeThrough(long watermark) {
            int closed = 0;
            while (closed < count && starts[closed] + size <= watermark) {
                emit(starts[closed], tables[closed]);
                tables[closed].clear();
                free.addFirst(tables[closed]);
                closed++;
            }
            if (closed > 0) {
                System.arraycopy(starts, closed, starts, 0, count - closed);
                System.arraycopy(tables, closed, tables, 0, count - closed);
                count -= closed;
                java.util.Arrays.fill(tables, count, count + closed, null);
            }
            oldestEnd = count > 0 ? starts[0] + size : Long.MAX_VALUE;
        }

        private void emit(long start, LongGroupTable t) {
            final long[] ks = t.keys;
            final long[] cs = t.counts;
            final long[] ss = t.sums;
            final Answer a = out;
            for (int h = 0; h < cs.length; h++) {
                if (cs[h] != 0) {
                    a.rows++;
                    a.fold += ss[h];
                    if (full) {
                        a.checksum += rowHash(ks[h], cs[h], ss[h], start);
                    }
                }
            }
        }
    }
}
