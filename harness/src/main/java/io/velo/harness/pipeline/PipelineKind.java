package io.velo.harness.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * The engine-only query kinds, each with its SQL and a hand-written Java loop computing the same
 * answer (row count and checksum, as {@link CountingSink} computes them) over the same arrays.
 */
public enum PipelineKind {
    SELECT("select", "SELECT id, price, quantity, price * quantity AS notional FROM trades") {
        @Override
        long[] handwritten(TradeData d) {
            long sum = 0;
            for (int i = 0; i < d.size; i++) {
                long notional = Math.multiplyExact(d.price[i], d.quantity[i]); // scale 4 × scale 0
                sum += CountingSink.rowHash(d.id[i], CountingSink.decimalHash(d.price[i], TradeData.PRICE_SCALE, null), d.quantity[i],
                        CountingSink.decimalHash(notional, TradeData.PRICE_SCALE, null));
            }
            return new long[] {d.size, sum};
        }
    },
    FILTER("filter", "SELECT id, price FROM trades WHERE price > 150.0000") {
        @Override
        long[] handwritten(TradeData d) {
            long rows = 0;
            long sum = 0;
            for (int i = 0; i < d.size; i++) {
                if (d.price[i] > 1_500_000L) {
                    rows++;
                    sum += CountingSink.rowHash(d.id[i], CountingSink.decimalHash(d.price[i], TradeData.PRICE_SCALE, null));
                }
            }
            return new long[] {rows, sum};
        }
    },
    MULTI_CONDITION("multi_condition",
            "SELECT id, account, quantity FROM trades WHERE price > 120.00 AND quantity >= 100 AND side = 'BUY' AND account < 900") {
        @Override
        long[] handwritten(TradeData d) {
            long rows = 0;
            long sum = 0;
            for (int i = 0; i < d.size; i++) {
                if (d.price[i] > 1_200_000L && d.quantity[i] >= 100 && d.side[i].equals("BUY") && d.account[i] < 900) {
                    rows++;
                    sum += CountingSink.rowHash(d.id[i], d.account[i], d.quantity[i]);
                }
            }
            return new long[] {rows, sum};
        }
    },
    GROUP_BY("group_by", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades GROUP BY account EMIT FINAL") {
        @Override
        long[] handwritten(TradeData d) {
            Map<Long, long[]> groups = new HashMap<>();
            for (int i = 0; i < d.size; i++) {
                long[] g = groups.computeIfAbsent(d.account[i], k -> new long[2]);
                g[0]++;
                g[1] += d.quantity[i];
            }
            long sum = 0;
            for (Map.Entry<Long, long[]> e : groups.entrySet()) {
                sum += CountingSink.rowHash(e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
            return new long[] {groups.size(), sum};
        }
    },
    TUMBLING("tumbling", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start FROM trades "
            + "GROUP BY account WINDOW TUMBLING(ts, INTERVAL '1' SECOND) EMIT FINAL WITH ('watermark.max_out_of_orderness' = '5ms')") {
        @Override
        long[] handwritten(TradeData d) {
            // windows close in event-time order; the data is at most 2 ms out of order and the
            // watermark trails by the batch, so no record is late: one map per window suffices
            Map<Long, Map<Long, long[]>> windows = new HashMap<>();
            for (int i = 0; i < d.size; i++) {
                long start = Math.floorDiv(d.ts[i], 1000L) * 1000L;
                long[] g = windows.computeIfAbsent(start, k -> new HashMap<>()).computeIfAbsent(d.account[i], k -> new long[2]);
                g[0]++;
                g[1] += d.quantity[i];
            }
            long rows = 0;
            long sum = 0;
            for (Map.Entry<Long, Map<Long, long[]>> w : windows.entrySet()) {
                for (Map.Entry<Long, long[]> e : w.getValue().entrySet()) {
                    rows++;
                    sum += CountingSink.rowHash(e.getKey(), e.getValue()[0], e.getValue()[1], w.getKey());
                }
            }
            return new long[] {rows, sum};
        }
    };

    public final String id;
    public final String sql;

    PipelineKind(String id, String sql) {
        this.id = id;
        this.sql = sql;
    }

    /** {rows, checksum} computed by a plain Java loop. */
    abstract long[] handwritten(TradeData d);

    public static PipelineKind of(String id) {
        for (PipelineKind k : values()) {
            if (k.id.equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown pipeline kind '" + id + "' (known: select, filter, multi_condition, group_by, tumbling)");
    }
}
