package io.velo.harness.pipeline;

import static io.velo.harness.pipeline.CountingSink.decimalHash;
import static io.velo.harness.pipeline.CountingSink.rowHash;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;

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
