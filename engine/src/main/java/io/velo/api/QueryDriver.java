package io.velo.api;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.expr.eval.Eval;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one SELECT in-process, deterministically: the caller sends records with their event time,
 * decides when the pending batch is processed ({@link #flush}) and when the input ends
 * ({@link #finish}), and reads the rows the query emitted. {@code _timestamp} comes from a manual
 * clock ({@link #at}), so nothing depends on the wall clock except {@code NOW()}. Built on the same
 * planner and operators as {@code velo run} (no connector, no codec).
 *
 * <pre>{@code
 * QueryDriver d = QueryDriver.of("SELECT k, COUNT(*) AS n FROM t GROUP BY k WINDOW TUMBLING(5s)", "t", schema);
 * d.send(1_000, "a").send(6_000, "a");
 * List<List<Object>> rows = d.flush();   // the [0, 5s) window closed: [["a", 1]]
 * }</pre>
 */
public final class QueryDriver {
    private final JobPlan plan;
    private final BatchPool pool;
    private final List<List<Object>> emitted;
    private final List<Long> emittedEventTimes;
    private List<Long> lastEventTimes = List.of();
    private final Slot slot = new Slot();
    private RecordBatch pending;
    private long clock;
    private long sent;

    private QueryDriver(JobPlan plan, BatchPool pool, CollectingSink collector) {
        this.plan = plan;
        this.pool = pool;
        this.emitted = collector.rows;
        this.emittedEventTimes = collector.eventTimes;
    }

    /** Plans {@code selectSql} reading {@code source} with {@code schema}; errors are SqlExceptions, as in {@code check}. */
    public static QueryDriver of(String selectSql, String source, Schema schema) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CollectingSink collector = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), quiet, quiet).planInMemory(selectSql, source, schema, collector);
        return new QueryDriver(plan, new BatchPool(schema, 4096, 2), collector);
    }

    /**
     * Tracks the query's state changes from now on (call before the first record), so that
     * {@link #checkpoint} can write them, as a transactional job does.
     */
    public QueryDriver withCheckpoints() {
        state().enableCheckpoints();
        return this;
    }

    /**
     * Processes the queued records, then writes what the query's state changed since the last
     * checkpoint to {@code log} — what a transactional job does at each commit.
     */
    public List<List<Object>> checkpoint(io.velo.exec.state.StateLog log) {
        List<List<Object>> rows = flush();
        state().checkpoint(log);
        return rows;
    }

    /** Rebuilds the query's state from a changelog's latest entries (a restarted job), before any record. */
    public QueryDriver restore(java.util.Map<io.velo.exec.state.StateKey, byte[]> entries) {
        state().restore(entries);
        return this;
    }

    private io.velo.exec.state.Checkpointed state() {
        if (plan.state() == null) {
            throw new IllegalStateException("the query keeps no state to checkpoint (no aggregation)");
        }
        return plan.state();
    }

    /** Sets the manual clock: records sent from now on get this {@code _timestamp}. */
    public QueryDriver at(long processingTimeMillis) {
        clock = processingTimeMillis;
        return this;
    }

    /**
     * Queues one record. Values follow the schema: Long/Integer, BigDecimal or its text for DECIMAL,
     * Double, Boolean, String, epoch millis or ISO text for TIMESTAMP, List/Map, or null.
     */
    public QueryDriver send(long eventTime, Object... values) {
        Schema schema = pool.schema();
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("expected " + schema.size() + " values (" + schema + "), got " + values.length);
        }
        if (pending == null) {
            pending = pool.acquire();
            pending.sourceName = "driver";
        }
        int row = pending.size;
        for (int c = 0; c < values.length; c++) {
            write(pending.columns[c], row, values[c]);
        }
        pending.eventTime[row] = eventTime;
        pending.timestamp[row] = clock;
        pending.offset[row] = ++sent;
        pending.raw[row] = java.util.Arrays.toString(values);
        pending.size++;
        plan.metrics().addRecordsIn(1);
        if (pending.isFull()) {
            flush();
        }
        return this;
    }

    private void write(Column c, int row, Object v) {
        if (v == null) {
            c.setNull(row);
            return;
        }
        DataType t = c.type;
        if (t.kind == DataType.Kind.DECIMAL) {
            Dec d = new Dec();
            if (v instanceof BigDecimal b) {
                d.set(b);
            } else if (!DecimalMath.parse(v.toString(), d)) {
                throw new IllegalArgumentException("'" + v + "' is not a decimal");
            }
            if (!io.velo.types.Values.fitDecimal(d, t, io.velo.types.decimal.DecimalRounding.HALF_UP)) {
                throw new IllegalArgumentException("'" + v + "' does not fit " + t);
            }
            c.setDecimal(row, d);
            return;
        }
        if (t.kind == DataType.Kind.TIMESTAMP && v instanceof String s) {
            v = io.velo.types.Values.parseTimestamp(s);
        }
        if (t.kind == DataType.Kind.DATE && v instanceof java.time.LocalDate d) {
            v = d.toEpochDay();
        } else if (t.kind == DataType.Kind.DATE && v instanceof String s) {
            v = io.velo.types.Values.parseDate(s);
            if ((Long) v == Long.MIN_VALUE) {
                throw new IllegalArgumentException("'" + s + "' is not a DATE");
            }
        }
        slot.retype(t);
        slot.setObject(v instanceof Integer i ? Long.valueOf(i) : v);
        slot.writeTo(c, row);
    }

    /** Processes the queued records as one batch; returns the rows emitted since the last call. */
    public List<List<Object>> flush() {
        if (pending != null) {
            try {
                if (pending.size > 0) {
                    plan.pipeline().push(pending);
                }
            } finally {
                pending.release();
                pending = null;
            }
        }
        return drain();
    }

    /** Ends the input (every window closes, FINAL aggregates emit); returns the rows emitted since the last call. */
    public List<List<Object>> finish() {
        List<List<Object>> rows = flush();
        List<Long> times = lastEventTimes;
        plan.pipeline().finish();
        List<List<Object>> last = drain();
        if (rows.isEmpty()) {
            return last;
        }
        rows.addAll(last); // the rows of the records still queued come first
        List<Long> all = new ArrayList<>(times);
        all.addAll(lastEventTimes);
        lastEventTimes = all;
        return rows;
    }

    private List<List<Object>> drain() {
        List<List<Object>> out = new ArrayList<>(emitted);
        emitted.clear();
        lastEventTimes = new ArrayList<>(emittedEventTimes);
        emittedEventTimes.clear();
        return out;
    }

    /** The event times of the rows the last {@link #flush} or {@link #finish} returned, in their order. */
    public List<Long> eventTimes() {
        return lastEventTimes;
    }

    public Schema outputSchema() {
        return plan.outputSchema();
    }

    /** Records failed, filtered, late… so far. */
    public io.velo.metrics.JobMetrics metrics() {
        return plan.metrics();
    }

    /** A register evaluator whose type changes per column: converts Java values into column values. */
    private static final class Slot {
        private Eval eval;

        void retype(DataType t) {
            if (eval == null || !eval.type.equals(t)) {
                eval = new Eval(t) {
                    @Override
                    public void eval(RecordBatch batch, int row) {
                    }
                };
            }
        }

        void setObject(Object v) {
            eval.setObject(v);
        }

        void writeTo(Column c, int row) {
            eval.writeTo(c, row);
        }
    }
}
