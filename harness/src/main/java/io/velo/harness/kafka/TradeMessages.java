package io.velo.harness.kafka;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The benchmark's input: ~105-byte JSON trades such as
 * {@code {"trade_id":1,"symbol":"AAPL","price":"187.2500","quantity":300,"side":"BUY","event_time":1700000000000}},
 * generated from a seed; and, computed here independently of the engine, what the benchmark's query
 * ({@link #SQL_SELECT}) must write for each: the JSON the sink writes (keys in select order, decimals as
 * strings at their scale) when {@code quantity > 100}, nothing otherwise.
 */
public final class TradeMessages {
    static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "TSLA", "META", "JPM"};
    public static final long FIRST_EVENT_TIME = 1_700_000_000_000L;
    /** The filter threshold of the query: about 90% of the generated quantities (1..1000) pass it. */
    static final long MIN_QUANTITY_EXCLUSIVE = 100;

    public static final String SQL_COLUMNS = "trade_id BIGINT, symbol STRING, price DECIMAL(18,4), quantity BIGINT, side STRING, event_time TIMESTAMP";
    static final String SQL_SELECT = "SELECT trade_id, symbol, price, quantity, price * quantity AS notional FROM trades WHERE quantity > "
            + MIN_QUANTITY_EXCLUSIVE;

    private final SplittableRandom random;
    private final StringBuilder text = new StringBuilder(128);
    private long tradeId;
    private String symbol;
    private long priceUnscaled;
    private long quantity;
    private boolean buy;

    public TradeMessages(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Advances to the next trade and returns its message. */
    public byte[] next() {
        tradeId++;
        symbol = SYMBOLS[random.nextInt(SYMBOLS.length)];
        priceUnscaled = random.nextLong(100_000, 10_000_000); // 10.0000 .. 999.9999
        quantity = random.nextLong(1, 1001);
        buy = random.nextBoolean();
        text.setLength(0);
        text.append("{\"trade_id\":").append(tradeId).append(",\"symbol\":\"").append(symbol).append("\",\"price\":\"");
        decimal4(priceUnscaled);
        text.append("\",\"quantity\":").append(quantity).append(",\"side\":\"").append(buy ? "BUY" : "SELL")
                .append("\",\"event_time\":").append(eventTime()).append('}');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The current trade's event time. */
    public long eventTime() {
        return FIRST_EVENT_TIME + tradeId;
    }

    public long tradeId() {
        return tradeId;
    }

    /** The current trade's symbol. */
    public String symbol() {
        return symbol;
    }

    /** Whether the query keeps the current trade. */
    public boolean selected() {
        return quantity > MIN_QUANTITY_EXCLUSIVE;
    }

    /** The message the query writes for the current trade (only meaningful when {@link #selected}). */
    public byte[] expectedOutput() {
        text.setLength(0);
        text.append("{\"trade_id\":").append(tradeId).append(",\"symbol\":\"").append(symbol).append("\",\"price\":\"");
        decimal4(priceUnscaled);
        text.append("\",\"quantity\":").append(quantity).append(",\"notional\":\"");
        decimal4(Math.multiplyExact(priceUnscaled, quantity)); // DECIMAL(18,4) × BIGINT keeps scale 4
        text.append("\"}");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A non-negative unscaled value at scale 4 as text: 1872500 → 187.2500. */
    private void decimal4(long unscaled) {
        text.append(unscaled / 10_000).append('.');
        long frac = unscaled % 10_000;
        for (long d = 1000; d > 1 && frac < d; d /= 10) {
            text.append('0');
        }
        text.append(frac);
    }
}
