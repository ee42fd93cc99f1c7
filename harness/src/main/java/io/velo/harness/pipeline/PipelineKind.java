package io.velo.harness.pipeline;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The engine-only query kinds: each has its SQL, the output column both sides fold inside the timed
 * section, the hand-written reference computing the same answer over the same arrays
 * ({@link HandWritten}), and a deliberately wrong variant of its SQL that the self-check
 * ({@code --sabotage}) runs on the engine side to show a wrong answer is caught.
 */
public enum PipelineKind {
    SELECT("select", "SELECT id, price, quantity, price * quantity AS notional FROM trades",
            "SELECT id, price, quantity, price * quantity + 0.0001 AS notional FROM trades", 3) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full) {
            HandWritten.select(d, a, full);
        }
    },
    FILTER("filter", "SELECT id, price FROM trades WHERE price > 150.0000",
            "SELECT id, price FROM trades WHERE price > 150.0000 AND quantity > 1", 0) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full) {
            HandWritten.filter(d, a, full);
        }
    },
    MULTI_CONDITION("multi_condition",
            "SELECT id, account, quantity FROM trades WHERE price > 120.00 AND quantity >= 100 AND side = 'BUY' AND account < 900",
            "SELECT id, account, quantity FROM trades WHERE price > 120.00 AND quantity >= 100 AND side = 'BUY' AND account <= 900", 0) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full) {
            HandWritten.multiCondition(d, a, full);
        }
    },
    GROUP_BY("group_by", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades GROUP BY account EMIT FINAL",
            "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades WHERE quantity > 1 GROUP BY account EMIT FINAL", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full) {
            HandWritten.groupBy(d, a, full);
        }

        @Override
        boolean hasDirectArrayCeiling() {
            return true;
        }

        @Override
        void directArray(TradeData d, Answer a, boolean full) {
            HandWritten.groupByDirectArray(d, a, full);
        }
    },
    TUMBLING("tumbling", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start FROM trades "
            + "GROUP BY account WINDOW TUMBLING(ts, INTERVAL '1' SECOND) EMIT FINAL WITH ('watermark.max_out_of_orderness' = '5ms')",
            "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start FROM trades WHERE quantity > 1 "
            + "GROUP BY account WINDOW TUMBLING(ts, INTERVAL '1' SECOND) EMIT FINAL WITH ('watermark.max_out_of_orderness' = '5ms')", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full) {
            HandWritten.tumbling(d, a, full);
        }
    };

    /** The tumbling query's window and allowed out-of-orderness, as its SQL states them. */
    static final long TUMBLING_WINDOW_MS = 1000;
    static final long TUMBLING_OUT_OF_ORDERNESS_MS = 5;

    public final String id;
    public final String sql;
    /** The same query with a small mistake in it: the engine side of the self-check. */
    final String wrongSql;
    /** The output column (BIGINT or DECIMAL) whose values are folded inside the timed section. */
    final int foldColumn;

    PipelineKind(String id, String sql, String wrongSql, int foldColumn) {
        this.id = id;
        this.sql = sql;
        this.wrongSql = wrongSql;
        this.foldColumn = foldColumn;
    }

    /** The reference: rows and fold into {@code a}; with {@code full}, also the checksum over all columns. */
    abstract void handwritten(TradeData d, Answer a, boolean full);

    /** Whether the kind also has a key-aware direct-array loop, reported as a ceiling beside the reference. */
    boolean hasDirectArrayCeiling() {
        return false;
    }

    void directArray(TradeData d, Answer a, boolean full) {
        throw new UnsupportedOperationException(id + " has no direct-array ceiling");
    }

    public static PipelineKind of(String id) {
        for (PipelineKind k : values()) {
            if (k.id.equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown pipeline kind '" + id + "' (known: "
                + Arrays.stream(values()).map(k -> k.id).collect(Collectors.joining(", ")) + ")");
    }
}
