package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.Aggregator;
import io.velo.exec.agg.BatchAggregator;
import io.velo.exec.agg.GroupTable;
import io.velo.metrics.JobMetrics;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.types.decimal.Dec;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * GROUP BY, optionally over epoch-aligned tumbling windows {@code [start, start + size)}.
 *
 * <p>Output rows have the layout: group keys, aggregate results, then {@code _window_start} and
 * {@code _window_end} for windowed queries. EMIT CHANGES writes the updated row of a group after each
 * input row; EMIT FINAL writes each group once, when its window closes (watermark = max event time −
 * allowed out-of-orderness ≥ window end) or, without a window, when the input ends. A record whose
 * window has already closed is late: dropped and counted, or dead-lettered. The watermark moves after
 * every record, so lateness and closing never depend on batch boundaries. With a {@link ChangeGate}
 * (EMIT CHANGES that can retract) each result row names its group for the gate.
 */
public final class AggregateOperator implements Operator, io.velo.exec.state.Checkpointed {
    private final Eval[] keys;
    private final Aggregator[] prototypes;
    private final Eval[] args;
    /**
     * The aggregators that can refuse a value, but the last: each checks it, in select order, before
     * any aggregator takes the record. The last one needs no check: it is added first, and a refusing
     * add throws before it changes anything.
     */
    private final int[] prechecked;
    /** Every aggregator, the last that can refuse a value first. */
    private final int[] addOrder;
    private final long windowSize;
    private final Eval timeColumn;
    private final boolean emitFinal;
    private final long outOfOrderness;
    private final boolean lateToDeadLetter;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;

    private final TreeMap<Long, State> windows = new TreeMap<>();
    private final ArrayDeque<State> free = new ArrayDeque<>();
    private final boolean[] isNew = new boolean[1];
    private final Aggregator.Slot[] slots;
    private final boolean columnar;
    private final io.velo.batch.Column[] argColumns;
    private final Dec scratch = new Dec();
    private long maxEventTime = Long.MIN_VALUE;
    private long resultRows;
    private long watermark = Long.MIN_VALUE;
    /** End of the earliest open window (Long.MAX_VALUE when none): the watermark closes nothing before. */
    private long nextClose = Long.MAX_VALUE;
    /** Set when the result is a changelog that can retract groups (see {@link ChangeGate}). */
    private ChangeGate gate;
    private int states;
    private RecordBatch out;
    /** Whether state changes are tracked for {@link #checkpoint}. */
    private boolean checkpoints;
    /** Keys of groups whose window closed since the last checkpoint: deleted from the changelog then. */
    private final java.util.List<byte[]> closedKeys = new java.util.ArrayList<>();
    private final io.velo.exec.state.StateOut stateOut = new io.velo.exec.state.StateOut();
    /** The state used by the previous row: consecutive rows usually share a window (saves boxing). */
    private State lastState;

    /** Groups of one window (or of the whole stream when there is no window). */
    private final class State {
        final GroupTable table = new GroupTable(keys);
        final Aggregator[] aggs = new Aggregator[prototypes.length];
        long start;
        /** Names this window in result rows' {@code group} ids; stays bounded because states are reused. */
        final int sid = states++;
        /** Groups changed since the last checkpoint (only with checkpoints): a bit per group and their ids. */
        long[] dirtyBits = new long[1];
        int[] dirty = new int[16];
        int dirtyCount;

        void markDirty(int g) {
            int w = g >>> 6;
            if (w >= dirtyBits.length) {
                dirtyBits = java.util.Arrays.copyOf(dirtyBits, Math.max(w + 1, dirtyBits.length * 2));
            }
            long bit = 1L << g;
            if ((dirtyBits[w] & bit) == 0) {
                dirtyBits[w] |= bit;
                if (dirtyCount == dirty.length) {
                    dirty = java.util.Arrays.copyOf(dirty, dirty.length * 2);
                }
                dirty[dirtyCount++] = g;
            }
        }

        void clearDirty() {
            for (int i = 0; i < dirtyCount; i++) {
                dirtyBits[dirty[i] >>> 6] = 0;
            }
            dirtyCount = 0;
        }

        State() {
            for (int i = 0; i < aggs.length; i++) {
                aggs[i] = prototypes[i].copyEmpty();
            }
        }
    }

    public AggregateOperator(Eval[] keys, Aggregator[] aggregators, Eval[] args, long windowSize, Eval timeColumn,
                             boolean emitFinal, long outOfOrderness, boolean lateToDeadLetter, BatchPool pool,
                             Operator next, RowErrors errors, JobMetrics metrics) {
        this.keys = keys;
        this.prototypes = aggregators;
        this.args = args;
        int[] refusing = java.util.stream.IntStream.range(0, aggregators.length).filter(k -> aggregators[k].mayRefuse()).toArray();
        int last = refusing.length == 0 ? -1 : refusing[refusing.length - 1];
        this.prechecked = refusing.length == 0 ? refusing : java.util.Arrays.copyOf(refusing, refusing.length - 1);
        this.addOrder = java.util.stream.IntStream.concat(last < 0 ? java.util.stream.IntStream.empty() : java.util.stream.IntStream.of(last),
                java.util.stream.IntStream.range(0, aggregators.length).filter(k -> k != last)).toArray();
        this.windowSize = windowSize;
        this.timeColumn = timeColumn;
        this.emitFinal = emitFinal;
        this.outOfOrderness = outOfOrderness;
        this.lateToDeadLetter = lateToDeadLetter;
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
        boolean col = keys.length == 0 && windowSize == 0 && emitFinal && aggregators.length > 0;
        for (int k = 0; k < aggregators.length && col; k++) {
            col = aggregators[k] instanceof BatchAggregator && (args[k] == null || args[k] instanceof io.velo.expr.eval.ColumnEval);
        }
        this.columnar = col;
        this.argColumns = new io.velo.batch.Column[args.length];
        this.slots = new Aggregator.Slot[aggregators.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Aggregator.Slot(aggregators[i].resultType);
        }
    }

    private State state(long start) {
        State last = lastState;
        if (last != null && last.start == start) {
            return last;
        }
        State s = windows.get(start);
        if (s == null) {
            s = free.pollFirst();
            if (s == null) {
                s = new State();
            }
            s.start = start;
            windows.put(start, s);
            if (windowSize > 0 && start + windowSize < nextClose) {
                nextClose = start + windowSize;
            }
        }
        lastState = s;
        return s;
    }

    /**
     * A global aggregate (no keys, no window, EMIT FINAL) over plain columns takes a batch a column at
     * a time when every aggregate can (see {@link BatchAggregator}); otherwise rows go one by one.
     */
    private boolean pushColumns(RecordBatch b) {
        if (!columnar) {
            return false;
        }
        int n = b.liveCount();
        io.velo.batch.Column[] cols = argColumns;
        for (int k = 0; k < args.length; k++) {
            cols[k] = args[k] == null ? null : b.columns[((io.velo.expr.eval.ColumnEval) args[k]).index];
            if (!((BatchAggregator) prototypes[k]).canAddColumn(cols[k], b.sel, n)) {
                return false;
            }
        }
        State s = state(0);
        if (s.table.size() == 0) {
            s.table.findOrInsert(b, 0, isNew);
            for (Aggregator a : s.aggs) {
                a.ensure(1);
                a.reset(0);
            }
        }
        for (int k = 0; k < args.length; k++) {
            ((BatchAggregator) s.aggs[k]).addColumn(0, cols[k], b.sel, n);
        }
        if (checkpoints) {
            s.markDirty(0);
        }
        metrics.addAggregated(n);
        return true;
    }

    @Override
    public void push(RecordBatch b) {
        if (pushColumns(b)) {
            return;
        }
        int n = b.liveCount();
        int[] sel = b.sel;
        boolean windowed = windowSize > 0;
        State single = windowed ? null : state(0);
        long taken = 0; // published once per batch: a release store per record costs the loop its registers
        for (int i = 0; i < n; i++) {
            int row = sel == null ? i : sel[i];
            long seen = Long.MIN_VALUE;
            try {
                State s = single;
                if (windowed) {
                    long ts;
                    if (timeColumn != null) {
                        timeColumn.eval(b, row);
                        if (timeColumn.isNull) {
                            throw new RecordError(RecordError.MALFORMED_INPUT, "window time column is NULL");
                        }
                        ts = timeColumn.l;
                    } else {
                        ts = b.eventTime[row];
                    }
                    long start = Math.floorDiv(ts, windowSize) * windowSize;
                    if (watermark != Long.MIN_VALUE && start + windowSize <= watermark) {
                        late(b, row, ts);
                        continue;
                    }
                    // observed even if the record then fails: like a source-side watermark, it follows
                    // the event times read, so a bad value in one record cannot hold windows open
                    seen = ts;
                    s = state(start);
                }
                for (Eval a : args) {
                    if (a != null) {
                        a.eval(b, row);
                    }
                }
                int g = s.table.findOrInsert(b, row, isNew);
                Aggregator[] aggs = s.aggs;
                if (isNew[0]) {
                    for (Aggregator a : aggs) {
                        a.ensure(g + 1);
                        a.reset(g);
                    }
                }
                for (int k : prechecked) {
                    aggs[k].check(g, args[k]);
                }
                for (int k : addOrder) {
                    aggs[k].add(g, args[k]);
                }
                taken++;
                if (checkpoints) {
                    s.markDirty(g);
                }
                if (!emitFinal) {
                    emit(s, g);
                }
            } catch (RecordError | ArithmeticException e) {
                errors.fail(b, row, e);
            }
            if (seen > maxEventTime) {
                observe(seen);
            }
        }
        metrics.addAggregated(taken);
        flushOut();
    }

    /**
     * Moves the watermark after each record, in input order, so whether a later record is late (and
     * when a window closes) never depends on how the input was cut into batches. Closing is checked
     * against the earliest open window's end, so a record that closes nothing costs two comparisons.
     */
    private void observe(long ts) {
        maxEventTime = ts;
        long wm = ts - outOfOrderness;
        if (wm > watermark) {
            watermark = wm;
            if (wm >= nextClose) {
                closeWindows();
            }
        }
    }

    private void late(RecordBatch b, int row, long ts) {
        metrics.addLate(1);
        if (lateToDeadLetter) {
            String why = "late record: event time " + io.velo.types.Values.formatTimestamp(ts) + " is behind the watermark "
                    + io.velo.types.Values.formatTimestamp(watermark);
            if (b.partitioned) {
                errors.handler().onKafkaLate(b.sourceName, b.partition[row], b.offset[row], b.key[row], b.raw[row], why);
            } else {
                errors.handler().onLate(b.sourceName, b.offset[row], b.raw[row], why);
            }
        }
    }

    /** Emits (EMIT FINAL) and frees every window whose end the watermark has reached. */
    private void closeWindows() {
        Iterator<Map.Entry<Long, State>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, State> e = it.next();
            State s = e.getValue();
            if (s.start + windowSize > watermark) {
                break;
            }
            if (emitFinal) {
                for (int g = 0; g < s.table.size(); g++) {
                    emit(s, g);
                }
            } else if (gate != null) {
                // rows of this window still in the output batch name it: pass them before it is reused
                flushOut();
                gate.forget(s.sid);
            }
            it.remove();
            if (s == lastState) {
                lastState = null;
            }
            if (checkpoints) {
                for (int g = 0; g < s.table.size(); g++) {
                    closedKeys.add(stateKey(s, g));
                }
                s.clearDirty();
            }
            s.table.clear();
            free.addFirst(s);
        }
        nextClose = windows.isEmpty() ? Long.MAX_VALUE : windows.firstKey() + windowSize;
    }

    private void emit(State s, int g) {
        if (out == null) {
            out = pool.acquire();
            if (gate != null) {
                out.ensureChangeColumns();
            }
        }
        int o = out.size;
        int k = 0;
        for (; k < s.table.keyCount(); k++) {
            s.table.writeKey(k, g, out.columns[k], o, scratch);
        }
        for (int a = 0; a < s.aggs.length; a++) {
            Aggregator.Slot slot = slots[a];
            s.aggs[a].result(g, slot);
            slot.writeTo(out.columns[k++], o);
        }
        if (windowSize > 0) {
            out.columns[k++].setLong(o, s.start);
            out.columns[k].setLong(o, s.start + windowSize);
            out.eventTime[o] = s.start + windowSize - 1;
        } else {
            out.eventTime[o] = maxEventTime;
        }
        out.timestamp[o] = System.currentTimeMillis();
        out.offset[o] = ++resultRows; // result rows are numbered in error reports
        out.raw[o] = null;
        out.key[o] = null;
        out.headers[o] = null;
        if (gate != null) {
            out.group[o] = ((long) s.sid << 32) | g;
        }
        out.size++;
        if (out.isFull()) {
            flushOut();
        }
    }

    private void flushOut() {
        if (out == null) {
            return;
        }
        try {
            if (out.size > 0) {
                out.sourceName = "result";
                next.push(out);
            }
        } finally {
            out.release();
            out = null;
        }
    }

    @Override
    public void finish() {
        if (windowSize > 0) {
            watermark = Long.MAX_VALUE;
            closeWindows();
        } else if (emitFinal) {
            State s = windows.get(0L);
            if (s == null && keys.length == 0) {
                // a global aggregate over an empty input still has its one row, as in SQL (COUNT 0, SUM NULL)
                s = state(0);
                s.table.findOrInsert(null, 0, isNew);
                for (Aggregator a : s.aggs) {
                    a.ensure(1);
                    a.reset(0);
                }
            }
            if (s != null) {
                for (int g = 0; g < s.table.size(); g++) {
                    emit(s, g);
                }
            }
        }
        flushOut();
        next.finish();
    }

    @Override
    public boolean done() {
        return next.done();
    }

    /** Makes the result a changelog: {@code gate} tracks which groups it shows (EMIT CHANGES only). */
    public void retractThrough(ChangeGate gate) {
        this.gate = gate;
    }

    public long watermark() {
        return watermark;
    }

    // ------------------------------------------------------------------ checkpoints

    private static final byte META_ENTRY = 0;
    private static final byte GROUP_ENTRY = 1;

    @Override
    public void enableCheckpoints() {
        checkpoints = true;
    }

    /** Changelog key of a group: the entry kind, its window's start, then its key parts. */
    private byte[] stateKey(State s, int g) {
        stateOut.reset().writeByte(GROUP_ENTRY).writeLong(s.start);
        s.table.writeKeyState(g, stateOut);
        return stateOut.toBytes();
    }

    /**
     * Writes each group changed since the last checkpoint (key → every aggregate's state and whether
     * the changelog shows it), deletes the groups of windows closed since, and writes the watermark.
     */
    @Override
    public void checkpoint(io.velo.exec.state.StateLog log) {
        for (byte[] k : closedKeys) {
            log.put(k, null);
        }
        closedKeys.clear();
        for (State s : windows.values()) {
            for (int i = 0; i < s.dirtyCount; i++) {
                int g = s.dirty[i];
                byte[] key = stateKey(s, g);
                stateOut.reset();
                for (Aggregator a : s.aggs) {
                    a.writeState(g, stateOut);
                }
                stateOut.writeBoolean(gate != null && gate.shows(s.sid, g));
                log.put(key, stateOut.toBytes());
            }
            s.clearDirty();
        }
        stateOut.reset().writeLong(watermark).writeLong(maxEventTime).writeLong(resultRows);
        log.put(new byte[] {META_ENTRY}, stateOut.toBytes());
    }

    @Override
    public void restore(Map<io.velo.exec.state.StateKey, byte[]> entries) {
        for (Map.Entry<io.velo.exec.state.StateKey, byte[]> e : entries.entrySet()) {
            byte[] key = e.getKey().bytes();
            byte[] value = e.getValue();
            if (value == null || key.length == 0) {
                continue;
            }
            io.velo.exec.state.StateIn vin = new io.velo.exec.state.StateIn(value);
            if (key[0] == META_ENTRY) {
                watermark = vin.readLong();
                maxEventTime = vin.readLong();
                resultRows = vin.readLong();
                continue;
            }
            io.velo.exec.state.StateIn kin = new io.velo.exec.state.StateIn(key);
            kin.readByte();
            State s = state(kin.readLong());
            int g = s.table.insertRestored(kin);
            for (Aggregator a : s.aggs) {
                a.ensure(g + 1);
                a.reset(g);
                a.readState(g, vin);
            }
            if (vin.readBoolean() && gate != null) {
                gate.show(s.sid, g);
            }
        }
        lastState = null;
    }
}
