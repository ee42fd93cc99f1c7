package io.velo.harness.pipeline;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The engine-only query kinds: each has its SQL, the output column both sides fold inside the timed
 * section, the hand-written reference computing the same answer over the same arrays
 * ({@link HandWritten}), and a deliberately wrong variant of its SQL that the self-check
 * ({@code --sabotage}) runs on the engine side to show a wrong answer is caught. The keyed kinds read
 * the key columns of {@link TradeData}'s keyed shape; the stateful ones also report their retained
 * state.
 */
public enum PipelineKind {
    SELECT("select", "SELECT id, price, quantity, price * quantity AS notional FROM trades",
            "SELECT id, price, quantity, price * quantity + 0.0001 AS notional FROM trades", 3) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.select(d, a, full);
        }
    },
    FILTER("filter", "SELECT id, price FROM trades WHERE price > 150.0000",
            "SELECT id, price FROM trades WHERE price > 150.0000 AND quantity > 1", 0) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.filter(d, a, full);
        }
    },
    MULTI_CONDITION("multi_condition",
            "SELECT id, account, quantity FROM trades WHERE price > 120.00 AND quantity >= 100 AND side = 'BUY' AND account < 900",
            "SELECT id, account, quantity FROM trades WHERE price > 120.00 AND quantity >= 100 AND side = 'BUY' AND account <= 900", 0) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.multiCondition(d, a, full);
        }
    },
    GROUP_BY("group_by", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades GROUP BY account EMIT FINAL",
            "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades WHERE quantity > 1 GROUP BY account EMIT FINAL", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.groupBy(d, a, full, atEnd);
        }

        @Override
        boolean hasDirectArrayCeiling() {
            return true;
        }

        @Override
        boolean stateful() {
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
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.tumbling(d, a, full, atEnd);
        }

        @Override
        boolean stateful() {
            return true;
        }
    },
    /** Hopping windows of 2 s every 1 s: each record is in two windows. */
    SLIDING("sliding", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start FROM trades "
            + "GROUP BY account WINDOW SLIDING(ts, INTERVAL '2' SECOND, INTERVAL '1' SECOND) EMIT FINAL "
            + "WITH ('watermark.max_out_of_orderness' = '5ms')",
            "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start FROM trades WHERE quantity > 1 "
            + "GROUP BY account WINDOW SLIDING(ts, INTERVAL '2' SECOND, INTERVAL '1' SECOND) EMIT FINAL "
            + "WITH ('watermark.max_out_of_orderness' = '5ms')", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.sliding(d, a, full, atEnd);
        }

        @Override
        boolean stateful() {
            return true;
        }
    },
    /** Sessions per account with a 2 s gap (an account trades about once a second: sessions of several trades). */
    SESSION("session", "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start, _window_end FROM trades "
            + "GROUP BY account WINDOW SESSION(ts, INTERVAL '2' SECOND) EMIT FINAL WITH ('watermark.max_out_of_orderness' = '5ms')",
            "SELECT account, COUNT(*) AS trades, SUM(quantity) AS volume, _window_start, _window_end FROM trades WHERE quantity > 1 "
            + "GROUP BY account WINDOW SESSION(ts, INTERVAL '2' SECOND) EMIT FINAL WITH ('watermark.max_out_of_orderness' = '5ms')", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.session(d, a, full, atEnd);
        }

        @Override
        boolean stateful() {
            return true;
        }
    },
    /** Trades joined to a 900-row reference table of accounts (a tenth of the accounts missing: INNER drops those trades). */
    STREAM_TABLE_JOIN("stream_table_join", "SELECT t.id, t.quantity, a.credit FROM trades t JOIN accounts a ON t.account = a.account",
            "SELECT t.id, t.quantity, a.credit FROM trades t LEFT JOIN accounts a ON t.account = a.account", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.streamTableJoin(d, a, full);
        }

        @Override
        String tableDdl(java.nio.file.Path dir) throws java.io.IOException {
            return HandWritten.writeTable(dir, "accounts", "account", TradeData.ACCOUNTS);
        }
    },
    /** Key lookups: each trade's customer looked up in a 750,000-row table (LEFT: a quarter of the keys missing). */
    TABLE_LOOKUP("table_lookup", "SELECT t.id, c.credit FROM trades t LEFT JOIN customers c ON t.customer = c.customer",
            "SELECT t.id, c.credit FROM trades t JOIN customers c ON t.customer = c.customer", 1) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.tableLookup(d, a, full);
        }

        @Override
        String tableDdl(java.nio.file.Path dir) throws java.io.IOException {
            return HandWritten.writeTable(dir, "customers", "customer", TradeData.CUSTOMERS);
        }

        @Override
        boolean keyed() {
            return true;
        }
    },
    /** Trades joined to the fills stream: a fill within 1 s after its trade (two trades in three have one, a third of those too late). */
    INTERVAL_JOIN("interval_join", "SELECT t.id, t.quantity, f.fill_qty FROM trades t JOIN fills f "
            + "ON t.id = f.trade_id AND f.fts BETWEEN t.ts AND t.ts + INTERVAL '1' SECOND WITH ('watermark.max_out_of_orderness' = '5ms')",
            "SELECT t.id, t.quantity, f.fill_qty FROM trades t JOIN fills f "
            + "ON t.id = f.trade_id AND f.fts BETWEEN t.ts AND t.ts + INTERVAL '2' SECOND WITH ('watermark.max_out_of_orderness' = '5ms')", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.intervalJoin(d, a, full);
        }

        @Override
        boolean twoStreams() {
            return true;
        }
    },
    /** GROUP BY over 1,000,000 distinct BIGINT keys in random order: state far beyond the caches. */
    GROUP_BY_1M("group_by_1m", "SELECT customer, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades GROUP BY customer EMIT FINAL",
            "SELECT customer, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades WHERE quantity > 1 GROUP BY customer EMIT FINAL", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.groupByCustomer(d, a, full, atEnd);
        }

        /** Two records per key by default (every key inserted once and updated once): the slowest kind stays short. */
        @Override
        int defaultRecords() {
            return 2 * TradeData.CUSTOMERS;
        }

        @Override
        boolean keyed() {
            return true;
        }

        @Override
        boolean stateful() {
            return true;
        }
    },
    /** GROUP BY a DECIMAL(18,2) column with 1,000 distinct values. */
    GROUP_BY_DECIMAL("group_by_decimal",
            "SELECT limit_price, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades GROUP BY limit_price EMIT FINAL",
            "SELECT limit_price, COUNT(*) AS trades, SUM(quantity) AS volume FROM trades WHERE quantity > 1 GROUP BY limit_price EMIT FINAL", 2) {
        @Override
        void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd) {
            HandWritten.groupByDecimal(d, a, full, atEnd);
        }

        @Override
        boolean keyed() {
            return true;
        }

        @Override
        boolean stateful() {
            return true;
        }
    };

    /** Records per run of a kind unless {@code --records} or the kind says otherwise. */
    public static final int DEFAULT_RECORDS = 5_000_000;

    /** The tumbling query's window and allowed out-of-orderness, as its SQL states them. */
    static final long TUMBLING_WINDOW_MS = 1000;
    static final long TUMBLING_OUT_OF_ORDERNESS_MS = 5;
    /** The sliding query's window size and advance, and the session query's gap (both allow 5 ms, as tumbling). */
    static final long SLIDING_SIZE_MS = 2000;
    static final long SLIDING_ADVANCE_MS = 1000;
    static final long SESSION_GAP_MS = 2000;

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

    /**
     * The reference: rows and fold into {@code a}; with {@code full}, also the checksum over all columns.
     * A stateful kind calls {@code atEnd} (when not null) once its input is consumed, before it emits.
     */
    abstract void handwritten(TradeData d, Answer a, boolean full, HandWritten.AtEnd atEnd);

    /**
     * The keyed table a join kind reads, written into {@code dir}: the statement that declares it
     * (planned before the query), or null for kinds without a table.
     */
    String tableDdl(java.nio.file.Path dir) throws java.io.IOException {
        return null;
    }

    /** Whether the kind joins the trades to a second stream (the fills, {@link TradeData#fillBatches}). */
    boolean twoStreams() {
        return false;
    }

    /** Records per run unless {@code --records} says otherwise. */
    int defaultRecords() {
        return DEFAULT_RECORDS;
    }

    /** Whether the kind reads the key columns of {@link TradeData}'s keyed shape. */
    boolean keyed() {
        return false;
    }

    /** Whether the kind keeps state until the end of its input, so its retained state is measured. */
    boolean stateful() {
        return false;
    }

    /** Whether the kind's state is one group per output row, so bytes per key are reported. */
    boolean statePerKey() {
        return stateful() && this != TUMBLING && this != SLIDING && this != SESSION;
    }

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
