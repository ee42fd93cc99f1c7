package io.velo.harness.pipeline;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated trades, column-wise, from a fixed seed: id, account (1,000 keys), price DECIMAL(18,4)
 * around 150, quantity 1..1000, side BUY/SELL, event time advancing 1 ms per record with small
 * disorder. The engine reads them through pooled batches; the hand-written loops read the arrays.
 *
 * <p>Event times run at most {@link #MAX_DISORDER_MS} behind the running maximum, less than the
 * tumbling query's allowed out-of-orderness ({@link PipelineKind#TUMBLING_OUT_OF_ORDERNESS_MS}): no
 * record is ever late, whether the watermark moves per record or per batch, so the disorder tests the
 * windows' bookkeeping without making the answer depend on the batch size.
 */
public final class TradeData {
    public static final int ACCOUNTS = 1000;
    public static final int PRICE_SCALE = 4;
    /** How far (ms) an event time may run behind the largest one before it. */
    public static final int MAX_DISORDER_MS = 2;
    public static final Schema SCHEMA = new Schema(List.of(
            new Field("id", DataType.BIGINT),
            new Field("account", DataType.BIGINT),
            new Field("price", DataType.decimal(18, PRICE_SCALE)),
            new Field("quantity", DataType.BIGINT),
            new Field("side", DataType.STRING),
            new Field("ts", DataType.TIMESTAMP)));

    public final int size;
    public final long[] id;
    public final long[] account;
    public final long[] price;
    public final long[] quantity;
    public final String[] side;
    public final long[] ts;
    private final byte[] priceScales;

    public TradeData(int size, long seed) {
        this(size, seed, MAX_DISORDER_MS);
    }

    /** Trades whose event times run up to {@code maxDisorderMs} behind (tests use more disorder, to make records late). */
    TradeData(int size, long seed, int maxDisorderMs) {
        this.size = size;
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
    }

    /** Fills a pooled batch with records [from, from + n). */
    public void fill(RecordBatch b, int from, int n) {
        System.arraycopy(id, from, b.columns[0].longs, 0, n);
        System.arraycopy(account, from, b.columns[1].longs, 0, n);
        System.arraycopy(price, from, b.columns[2].longs, 0, n);
        System.arraycopy(priceScales, 0, b.columns[2].scales, 0, n);
        System.arraycopy(quantity, from, b.columns[3].longs, 0, n);
        System.arraycopy(side, from, b.columns[4].objects, 0, n);
        System.arraycopy(ts, from, b.columns[5].longs, 0, n);
        System.arraycopy(ts, from, b.eventTime, 0, n);
        System.arraycopy(ts, from, b.timestamp, 0, n);
        b.size = n;
    }

    public BatchPool pool(int batchSize) {
        BatchPool pool = new BatchPool(SCHEMA, batchSize, 4);
        // null flags stay false: generated data has no NULLs
        return pool;
    }
}
