package io.velo.harness.pipeline;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated trades, column-wise, from a fixed seed: id, account (1,000 keys), price DECIMAL(18,4)
 * around 150, quantity 1..1000, side BUY/SELL, event time advancing 1 ms per record with small
 * disorder. The hand-written loops read the arrays; the engine reads the same values from batches
 * built once ({@link #batches}) before anything is timed.
 *
 * <p>Event times run at most {@link #MAX_DISORDER_MS} behind the running maximum, less than the
 * tumbling query's allowed out-of-orderness ({@link PipelineKind#TUMBLING_OUT_OF_ORDERNESS_MS}): no
 * record is ever late, whether the watermark moves per record or per batch, so the disorder tests the
 * windows' bookkeeping without making the answer depend on the batch size.
 *
 * <p>The keyed shape ({@link #keyed}) adds two key columns for the kinds that need them, drawn from
 * a random stream of their own after the six base columns, so those columns hold the same values in
 * either shape: {@code customer} BIGINT with {@link #CUSTOMERS} distinct keys — each block of that many
 * records is a fresh random permutation of every key, so a run of at least that many records has
 * exactly that many groups, visited in random order, and the key values are spread over the whole
 * long range by a bijective mix (no dense ids a hash could exploit) — and {@code limit_price}
 * DECIMAL(18,2) with {@link #LIMIT_PRICES} distinct values 100.00 .. 109.99, uniform (one in ten has
 * a trailing zero at scale 2).
 */
public final class TradeData {
    public static final int ACCOUNTS = 1000;
    public static final int PRICE_SCALE = 4;
    public static final int CUSTOMERS = 1_000_000;
    public static final int LIMIT_PRICES = 1000;
    public static final int LIMIT_PRICE_SCALE = 2;
    /** How far (ms) an event time may run behind the largest one before it. */
    public static final int MAX_DISORDER_MS = 2;
    public static final Schema SCHEMA = new Schema(List.of(
            new Field("id", DataType.BIGINT),
            new Field("account", DataType.BIGINT),
            new Field("price", DataType.decimal(18, PRICE_SCALE)),
            new Field("quantity", DataType.BIGINT),
            new Field("side", DataType.STRING),
            new Field("ts", DataType.TIMESTAMP)));
    /** {@link #SCHEMA} plus the two key columns of the keyed shape. */
    public static final Schema KEYED_SCHEMA;

    static {
        List<Field> fields = new ArrayList<>(SCHEMA.fields());
        fields.add(new Field("customer", DataType.BIGINT));
        fields.add(new Field("limit_price", DataType.decimal(18, LIMIT_PRICE_SCALE)));
        KEYED_SCHEMA = new Schema(fields);
    }

    public final int size;
    public final long[] id;
    public final long[] account;
    public final long[] price;
    public final long[] quantity;
    public final String[] side;
    public final long[] ts;
    /** The keyed shape's BIGINT key with {@link #CUSTOMERS} values; null in the base shape. */
    public final long[] customer;
    /** The keyed shape's DECIMAL(18,2) key, unscaled at scale 2; null in the base shape. */
    public final long[] limitPrice;
    public final boolean keyed;
    private final byte[] priceScales;
    private final byte[] limitPriceScales;
    private RecordBatch[] batches;

    public TradeData(int size, long seed) {
        this(size, seed, MAX_DISORDER_MS, false);
    }

    /** Trades whose event times run up to {@code maxDisorderMs} behind (tests use more disorder, to make records late). */
    TradeData(int size, long seed, int maxDisorderMs) {
        this(size, seed, maxDisorderMs, false);
    }

    /** @param keyed with the two key columns ({@link #KEYED_SCHEMA}) */
    public TradeData(int size, long seed, boolean keyed) {
        this(size, seed, MAX_DISORDER_MS, keyed);
    }

    private TradeData(int size, long seed, int maxDisorderMs, boolean keyed) {
        this.size = size;
        this.keyed = keyed;
        id = new long[size];
        account = new long[size];
        price = new long[size];
        quantity = new long[size];
        side = new String[size];
        ts = new long[size];
        SplittableRandom r = new SplittableRandom(seed);
        long t = 1_700_000_000_000L;
        for (int i = 0; i < size; i++) {
            id[i] = i;
            account[i] = r.nextInt(ACCOUNTS);
            price[i] = 1_000_000L + r.nextInt(1_000_000); // 100.0000 .. 199.9999
            quantity[i] = 1 + r.nextInt(1000);
            side[i] = r.nextBoolean() ? "BUY" : "SELL";
            t += 1;
            ts[i] = t - r.nextInt(maxDisorderMs + 1);
        }
        priceScales = new byte[Math.max(size, 1)];
        Arrays.fill(priceScales, (byte) PRICE_SCALE);
        if (keyed) {
            customer = new long[size];
            limitPrice = new long[size];
            generateKeys(new SplittableRandom(seed ^ 0x6B65797364617461L));
            limitPriceScales = new byte[Math.max(size, 1)];
            Arrays.fill(limitPriceScales, (byte) LIMIT_PRICE_SCALE);
        } else {
            customer = null;
            limitPrice = null;
            limitPriceScales = null;
        }
    }

    private void generateKeys(SplittableRandom r) {
        int[] keys = new int[CUSTOMERS];
        for (int from = 0; from < size; from += CUSTOMERS) {
            int n = Math.min(CUSTOMERS, size - from);
            // every key once per block, in a fresh random order (Fisher–Yates over all CUSTOMERS keys,
            // of which a short last block takes the first n)
            for (int i = 0; i < CUSTOMERS; i++) {
                keys[i] = i;
            }
            for (int i = CUSTOMERS - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int x = keys[i];
                keys[i] = keys[j];
                keys[j] = x;
            }
            for (int i = 0; i < n; i++) {
                customer[from + i] = mix(keys[i]);
            }
        }
        for (int i = 0; i < size; i++) {
            limitPrice[i] = 10_000L + r.nextInt(LIMIT_PRICES); // 100.00 .. 109.99
        }
    }

    /** A bijection on longs (SplitMix64's finaliser): distinct indexes give distinct, well-spread keys. */
    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The schema of this shape's batches. */
    public Schema schema() {
        return keyed ? KEYED_SCHEMA : SCHEMA;
    }

    /** Fills a batch of this shape with records [from, from + n). */
    public void fill(RecordBatch b, int from, int n) {
        System.arraycopy(id, from, b.columns[0].longs, 0, n);
        System.arraycopy(account, from, b.columns[1].longs, 0, n);
        System.arraycopy(price, from, b.columns[2].longs, 0, n);
        System.arraycopy(priceScales, 0, b.columns[2].scales, 0, n);
        System.arraycopy(quantity, from, b.columns[3].longs, 0, n);
        System.arraycopy(side, from, b.columns[4].objects, 0, n);
        System.arraycopy(ts, from, b.columns[5].longs, 0, n);
        if (keyed) {
            System.arraycopy(customer, from, b.columns[6].longs, 0, n);
            System.arraycopy(limitPrice, from, b.columns[7].longs, 0, n);
            System.arraycopy(limitPriceScales, 0, b.columns[7].scales, 0, n);
        }
        System.arraycopy(ts, from, b.eventTime, 0, n);
        System.arraycopy(ts, from, b.timestamp, 0, n);
        b.size = n;
    }

    /** A small pool of this shape's batches (what a source fills one batch at a time). */
    public BatchPool pool(int batchSize) {
        BatchPool pool = new BatchPool(schema(), batchSize, 4);
        // null flags stay false: generated data has no NULLs
        return pool;
    }

    /**
     * Every record already in batches of {@code batchSize} (the last one partial), built on the first
     * call for that size and kept: the engine's side of the data in memory in its own layout, as the
     * arrays are the references'. The batches belong to no pool and are never released; the operators
     * only read them (a filter narrows the selection and restores it when its push returns), and every
     * timed run's answer check would show a run that changed them.
     */
    public RecordBatch[] batches(int batchSize) {
        if (batches == null || batches.length == 0 || batches[0].capacity != batchSize) {
            batches = null; // let a previous size go before building the next
            RecordBatch[] bs = new RecordBatch[(size + batchSize - 1) / batchSize];
            for (int i = 0; i < bs.length; i++) {
                int from = i * batchSize;
                bs[i] = new RecordBatch(schema(), batchSize, null);
                fill(bs[i], from, Math.min(batchSize, size - from));
                bs[i].retainable = true; // never changed once built (as a job's source batch until released)
            }
            batches = bs;
        }
        return batches;
    }

    // ---------------------------------------------------------------- the fills stream (interval_join)

    /** The fills stream: trade_id, fill_qty, fts — for two trades in three, a fill 0–1,499 ms after the trade, in time order. */
    public static final Schema FILL_SCHEMA = new Schema(List.of(
            new Field("trade_id", DataType.BIGINT), new Field("fill_qty", DataType.BIGINT), new Field("fts", DataType.TIMESTAMP)));

    public long[] fillTradeId;
    public long[] fillQty;
    public long[] fillTs;
    private RecordBatch[] fillBatches;

    /** Builds the fills (once): deterministic from the trades, sorted by fill time (ties by trade). */
    public void ensureFills() {
        if (fillTs != null) {
            return;
        }
        int m = 0;
        long[] keyed = new long[size];
        for (int i = 0; i < size; i++) {
            if (i % 3 != 0) {
                long t = ts[i] + Math.floorMod(i * 7919L, 1500L);
                keyed[m++] = t;
            }
        }
        Integer[] order = new Integer[m];
        long[] ids = new long[m];
        long[] times = new long[m];
        int k = 0;
        for (int i = 0; i < size; i++) {
            if (i % 3 != 0) {
                ids[k] = i;
                times[k] = ts[i] + Math.floorMod(i * 7919L, 1500L);
                order[k] = k;
                k++;
            }
        }
        Arrays.sort(order, (a, b) -> times[a] != times[b] ? Long.compare(times[a], times[b]) : Long.compare(ids[a], ids[b]));
        fillTradeId = new long[m];
        fillQty = new long[m];
        fillTs = new long[m];
        for (int j = 0; j < m; j++) {
            int o = order[j];
            fillTradeId[j] = ids[o];
            fillQty[j] = 1 + ids[o] % 50;
            fillTs[j] = times[o];
        }
    }

    /** The fills in batches of {@code batchSize}, built once per size (outside any timed section). */
    public RecordBatch[] fillBatches(int batchSize) {
        ensureFills();
        if (fillBatches == null || fillBatches.length == 0 || fillBatches[0].capacity != batchSize) {
            int m = fillTs.length;
            RecordBatch[] bs = new RecordBatch[(m + batchSize - 1) / batchSize];
            for (int i = 0; i < bs.length; i++) {
                int from = i * batchSize;
                int n = Math.min(batchSize, m - from);
                RecordBatch b = new RecordBatch(FILL_SCHEMA, batchSize, null);
                for (int r = 0; r < n; r++) {
                    b.columns[0].setLong(r, fillTradeId[from + r]);
                    b.columns[1].setLong(r, fillQty[from + r]);
                    b.columns[2].setLong(r, fillTs[from + r]);
                    b.eventTime[r] = fillTs[from + r];
                }
                b.size = n;
                bs[i] = b;
            }
            fillBatches = bs;
        }
        return fillBatches;
    }
}
