package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.Aggregator;
import io.velo.exec.agg.BatchAggregator;
import io.velo.exec.agg.BatchGroups;
import io.velo.exec.agg.Groups;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;

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
 *
 * <p>EMIT FINAL goes a batch at a time. Computed keys and arguments are evaluated into columns first
 * (plain column references are read in place); one pass over the event times assigns each live row
 * its window (a division only when a row leaves the window of the row before), decides lateness
 * against the watermark in effect at that row, and collects each window's rows; the batch is cut
 * where the watermark reaches the end of the earliest open window, so windows close at exactly the
 * record they would close at one record at a time. For each window's rows, {@link BatchGroups}
 * assigns group ids in one pass and every aggregate updates its state in one loop over the group-id
 * vector ({@link Aggregator#addBatch}). An aggregate that refuses a value (a BIGINT SUM that would
 * overflow) makes that window's rows go through the row path instead, so exactly the refused records
 * fail. Open windows sit in arrays ordered by start (no boxed keys), and a closed window's state is
 * reused. EMIT CHANGES, which writes a row per input row, stays a row at a time.
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
    /** Batch mode: the aggregators that may refuse, and those that cannot. */
    private final int[] refusing;
    private final int[] accepting;
    private final long windowSize;
    private final Eval timeColumn;
    private final boolean emitFinal;
    private final long outOfOrderness;
    private final boolean lateToDeadLetter;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;
    /** EMIT FINAL: a batch at a time (see the class comment). */
    private boolean batchMode;
    /** Input rows marked deleted take their values back out of their group (an aggregation over a keyed table). */
    private boolean removals;
    private final DataType[] keyTypes;
    /** Batch mode over windows: lateness and the watermark, unless the input carries them already. */
    private final WindowAssigner assigner;
    private int[] liveRows = new int[0];

    /** Open windows ordered by start (one, start 0, without a window). */
    private long[] openStarts = new long[4];
    private State[] open = new State[4];
    private int openCount;
    private final ArrayDeque<State> free = new ArrayDeque<>();
    private boolean tagOrder;
    /** Processing time written into the rows {@link #emit} writes, read once per batch. */
    private long rowNow;
    private final io.velo.exec.agg.RowKeys rowKeys;
    private final Aggregator.Slot[] slots;
    private final boolean columnar;
    private final Column[] argColumns;
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
    /** The state used by the previous row: consecutive rows usually share a window. */
    private State lastState;

    // batch mode scratch, sized to the batch capacity
    private final Column[] keyCols;
    private final Column[] argCols;
    /** Computed keys and arguments are evaluated into these (indexed by input row); null for plain columns. */
    private final Column[] keyScratch;
    private final Column[] argScratch;
    private final Aggregator.ColumnRead[] readers;
    private RuntimeException[] failure = new RuntimeException[0];
    private int[] gids = new int[0];
    private State[] touched = new State[4];
    private int touchedCount;
    private boolean anyFailure;

    /** Groups of one window (or of the whole stream when there is no window). */
    private final class State {
        final Groups groups;
        final BatchGroups batch;
        final Aggregator[] aggs = new Aggregator[prototypes.length];
        long start;
        /** Names this window in result rows' {@code group} ids; stays bounded because states are reused. */
        final int sid = states++;
        /** Groups changed since the last checkpoint (only with checkpoints): a bit per group and their ids. */
        long[] dirtyBits = new long[1];
        int[] dirty = new int[16];
        int dirtyCount;
        /** With {@link #removals}: the rows each group holds now. */
        long[] members = new long[0];
        /** With {@link #tagOrder}: each group's first row's stream position, by group id. */
        long[] firstSeen = new long[0];
        /** Batch mode: the rows of the current batch segment that belong to this window. */
        int[] pending = new int[0];
        int pendingCount;

        State() {
            batch = BatchGroups.create(keyTypes);
            groups = batch;
            for (int i = 0; i < aggs.length; i++) {
                aggs[i] = prototypes[i].copyEmpty();
            }
        }

        void markDirty(int g) {
            int w = g >>> 6;
            if (w >= dirtyBits.length) {
                dirtyBits = Arrays.copyOf(dirtyBits, Math.max(w + 1, dirtyBits.length * 2));
            }
            long bit = 1L << g;
            if ((dirtyBits[w] & bit) == 0) {
                dirtyBits[w] |= bit;
                if (dirtyCount == dirty.length) {
                    dirty = Arrays.copyOf(dirty, dirty.length * 2);
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

        /** Makes aggregate state for groups created since {@code before}. */
        void initGroups(int before) {
            int after = groups.size();
            if (after > before) {
                for (Aggregator a : aggs) {
                    a.ensure(after);
                    for (int g = before; g < after; g++) {
                        a.reset(g);
                    }
                }
            }
        }

        long stateBytes() {
            long b = groups.stateBytes();
            for (Aggregator a : aggs) {
                b += a.stateBytes();
            }
            return b;
        }
    }

    public AggregateOperator(Eval[] keys, Aggregator[] aggregators, Eval[] args, long windowSize, Eval timeColumn,
                             boolean emitFinal, long outOfOrderness, boolean lateToDeadLetter, BatchPool pool,
                             Operator next, RowErrors errors, JobMetrics metrics) {
        this.keys = keys;
        this.prototypes = aggregators;
        this.args = args;
        int[] refusingAll = java.util.stream.IntStream.range(0, aggregators.length).filter(k -> aggregators[k].mayRefuse()).toArray();
        int last = refusingAll.length == 0 ? -1 : refusingAll[refusingAll.length - 1];
        this.prechecked = refusingAll.length == 0 ? refusingAll : Arrays.copyOf(refusingAll, refusingAll.length - 1);
        this.addOrder = java.util.stream.IntStream.concat(last < 0 ? java.util.stream.IntStream.empty() : java.util.stream.IntStream.of(last),
                java.util.stream.IntStream.range(0, aggregators.length).filter(k -> k != last)).toArray();
        this.refusing = refusingAll;
        this.accepting = java.util.stream.IntStream.range(0, aggregators.length).filter(k -> !aggregators[k].mayRefuse()).toArray();
        this.windowSize = windowSize;
        this.timeColumn = timeColumn;
        this.emitFinal = emitFinal;
        this.outOfOrderness = outOfOrderness;
        this.lateToDeadLetter = lateToDeadLetter;
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
        this.batchMode = emitFinal;
        this.assigner = emitFinal && windowSize > 0
                ? new WindowAssigner(windowSize, outOfOrderness, timeColumn, lateToDeadLetter, errors, metrics) : null;
        this.rowKeys = new io.velo.exec.agg.RowKeys(keys);
        this.keyTypes = new DataType[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keyTypes[i] = keys[i].type;
        }
        boolean col = keys.length == 0 && windowSize == 0 && emitFinal && aggregators.length > 0;
        for (int k = 0; k < aggregators.length && col; k++) {
            col = aggregators[k] instanceof BatchAggregator && (args[k] == null || args[k] instanceof ColumnEval);
        }
        this.columnar = col;
        this.argColumns = new Column[args.length];
        this.slots = new Aggregator.Slot[aggregators.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Aggregator.Slot(aggregators[i].resultType);
        }
        this.keyCols = new Column[keys.length];
        this.argCols = new Column[args.length];
        this.keyScratch = new Column[keys.length];
        this.argScratch = new Column[args.length];
        this.readers = new Aggregator.ColumnRead[args.length];
        for (int k = 0; k < args.length; k++) {
            readers[k] = new Aggregator.ColumnRead(args[k] == null ? DataType.BIGINT : args[k].type);
        }
    }

    // ------------------------------------------------------------------ windows

    /** The state of the window starting at {@code start}, opened (from the free list) when new. */
    private State state(long start) {
        State last = lastState;
        if (last != null && last.start == start) {
            return last;
        }
        int i = openCount - 1;
        while (i >= 0 && openStarts[i] > start) {
            i--;
        }
        State s;
        if (i >= 0 && openStarts[i] == start) {
            s = open[i];
        } else {
            s = free.pollFirst();
            if (s == null) {
                s = new State();
            }
            s.start = start;
            if (openCount == openStarts.length) {
                openStarts = Arrays.copyOf(openStarts, openCount * 2);
                open = Arrays.copyOf(open, openCount * 2);
            }
            int at = i + 1;
            System.arraycopy(openStarts, at, openStarts, at + 1, openCount - at);
            System.arraycopy(open, at, open, at + 1, openCount - at);
            openStarts[at] = start;
            open[at] = s;
            openCount++;
            if (windowSize > 0 && start + windowSize < nextClose) {
                nextClose = start + windowSize;
            }
        }
        lastState = s;
        return s;
    }

    /** The open state of start {@code start}, or null. */
    private State openState(long start) {
        for (int i = 0; i < openCount; i++) {
            if (openStarts[i] == start) {
                return open[i];
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ input

    /**
     * A global aggregate (no keys, no window, EMIT FINAL) over plain columns takes a batch a column at
     * a time when every aggregate can (see {@link BatchAggregator}).
     */
    private boolean pushColumns(RecordBatch b) {
        if (!columnar) {
            return false;
        }
        int n = b.liveCount();
        Column[] cols = argColumns;
        for (int k = 0; k < args.length; k++) {
            cols[k] = args[k] == null ? null : b.columns[((ColumnEval) args[k]).index];
            if (!((BatchAggregator) prototypes[k]).canAddColumn(cols[k], b.sel, n)) {
                return false;
            }
        }
        State s = state(0);
        if (s.groups.size() == 0) {
            s.batch.assign(keyCols, null, 1, ensureGids(1));
            s.initGroups(0);
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
        if (batchMode) {
            if (!pushColumns(b)) {
                pushBatch(b);
            }
            return;
        }
        pushRows(b);
    }

    // ------------------------------------------------------------------ batch mode

    private int[] ensureGids(int n) {
        if (gids.length < n) {
            gids = new int[Math.max(n, 1024)];
        }
        return gids;
    }

    private void ensureScratch(RecordBatch b) {
        int cap = b.capacity;
        if (failure.length < cap) {
            failure = new RuntimeException[cap];
            ensureGids(cap);
        }
        for (int k = 0; k < keys.length; k++) {
            if (!(keys[k] instanceof ColumnEval) && (keyScratch[k] == null || keyScratch[k].nulls.length < cap)) {
                keyScratch[k] = new Column(keys[k].type, cap);
            }
        }
        for (int k = 0; k < args.length; k++) {
            if (args[k] != null && !(args[k] instanceof ColumnEval) && (argScratch[k] == null || argScratch[k].nulls.length < cap)) {
                argScratch[k] = new Column(args[k].type, cap);
            }
        }
    }

    /** Points {@code into[k]} at the column of each evaluator, computing the non-column ones for the live rows. */
    private void columnsOf(Eval[] evals, Column[] scratchCols, Column[] into, RecordBatch b, int[] sel, int n) {
        for (int k = 0; k < evals.length; k++) {
            Eval e = evals[k];
            if (e == null) {
                into[k] = null;
            } else if (e instanceof ColumnEval ce) {
                into[k] = b.columns[ce.index];
            } else {
                Column c = scratchCols[k];
                for (int i = 0; i < n; i++) {
                    int row = sel == null ? i : sel[i];
                    if (failure[i] != null) {
                        c.setNull(row);
                        continue;
                    }
                    try {
                        e.eval(b, row);
                        e.writeTo(c, row);
                    } catch (RecordError | ArithmeticException ex) {
                        failure[i] = ex;
                        anyFailure = true;
                        c.setNull(row);
                    }
                }
                into[k] = c;
            }
        }
    }

    private void pushBatch(RecordBatch b) {
        int n = b.liveCount();
        if (n == 0 && b.watermarks == null) {
            return;
        }
        ensureScratch(b);
        int[] rows = b.sel;
        long[] times = null;
        long[] after = null;
        long batchWatermark = Long.MIN_VALUE;
        long batchMaxTime = Long.MIN_VALUE;
        if (windowSize > 0) {
            if (b.watermarks != null) {
                times = b.windowTimes;
                after = b.watermarks;
                batchWatermark = b.watermark;
                batchMaxTime = b.maxEventTime;
            } else {
                n = assigner.assign(b, rows, n);
                rows = assigner.rows();
                times = assigner.times();
                after = assigner.after();
                batchWatermark = assigner.watermark();
                batchMaxTime = assigner.maxEventTime();
            }
        }
        if (anyFailure) {
            Arrays.fill(failure, null); // a failure handler that threw left some behind
        }
        anyFailure = false;
        // arguments first, then keys: a row's first failure is the one the row path reports
        columnsOf(args, argScratch, argCols, b, rows, n);
        columnsOf(keys, keyScratch, keyCols, b, rows, n);
        if (windowSize > 0) {
            pushWindowed(b, rows, n, times, after);
            if (batchWatermark > watermark) {
                watermark = batchWatermark;
                if (watermark >= nextClose) {
                    closeWindows();
                }
            }
            maxEventTime = Math.max(maxEventTime, batchMaxTime);
        } else {
            State s = state(0);
            if (!anyFailure) {
                aggregate(s, b, rows, n);
            } else {
                if (liveRows.length < b.capacity) {
                    liveRows = new int[b.capacity];
                }
                int k = 0;
                for (int i = 0; i < n; i++) {
                    int row = rows == null ? i : rows[i];
                    if (failure[i] != null) {
                        errors.fail(b, row, failure[i]);
                        failure[i] = null;
                    } else {
                        liveRows[k++] = row;
                    }
                }
                aggregate(s, b, liveRows, k);
            }
        }
        flushOut();
    }

    /**
     * Rows that passed the {@link WindowAssigner} into their windows, cut where the watermark after a
     * row reaches the end of the earliest open window: the rows before are aggregated, the windows
     * closed, and the pass goes on.
     */
    private void pushWindowed(RecordBatch b, int[] rows, int n, long[] times, long[] after) {
        final long size = windowSize;
        long curStart = 0;
        long curEnd = Long.MIN_VALUE;
        State cur = null;
        for (int i = 0; i < n; i++) {
            int row = rows == null ? i : rows[i];
            long t = times[row];
            if (t < curStart || t >= curEnd || cur == null) {
                long start = Math.floorDiv(t, size) * size;
                cur = state(start);
                curStart = start;
                curEnd = start + size;
            }
            if (failure[i] != null) {
                RuntimeException e = failure[i];
                failure[i] = null;
                errors.fail(b, row, e);
            } else {
                if (cur.pendingCount == 0) {
                    if (cur.pending.length < b.capacity) {
                        cur.pending = new int[b.capacity];
                    }
                    if (touchedCount == touched.length) {
                        touched = Arrays.copyOf(touched, touchedCount * 2);
                    }
                    touched[touchedCount++] = cur;
                }
                cur.pending[cur.pendingCount++] = row;
            }
            long wm = after[row];
            if (wm >= nextClose) {
                flushPending(b);
                watermark = wm;
                closeWindows();
                cur = null;
            }
        }
        flushPending(b);
    }

    /** Aggregates the rows each touched window collected in this segment. */
    private void flushPending(RecordBatch b) {
        for (int i = 0; i < touchedCount; i++) {
            State s = touched[i];
            aggregate(s, b, s.pending, s.pendingCount);
            s.pendingCount = 0;
            touched[i] = null;
        }
        touchedCount = 0;
    }

    /** Rows {@code rows[0..n)} (or 0..n-1) into state {@code s}: group ids, then each aggregate's loop. */
    private void aggregate(State s, RecordBatch b, int[] rows, int n) {
        if (n == 0) {
            return;
        }
        int[] g = ensureGids(n);
        int before = s.groups.size();
        s.batch.assign(keyCols, rows, n, g);
        s.initGroups(before);
        if (tagOrder && s.groups.size() > before) {
            noteFirstSeen(s, b, rows, n, g, before);
        }
        Aggregator[] aggs = s.aggs;
        if (refusing.length > 0 && !takeRefusing(s, b, rows, n, g)) {
            return;
        }
        for (int k : accepting) {
            aggs[k].addBatch(g, argCols[k], rows, n, readers[k]);
        }
        if (checkpoints) {
            for (int i = 0; i < n; i++) {
                s.markDirty(g[i]);
            }
        }
        metrics.addAggregated(n);
    }

    /** Records the stream position of the first row of each group created by this assignment (ids from {@code before}). */
    private static void noteFirstSeen(State s, RecordBatch b, int[] rows, int n, int[] g, int before) {
        int after = s.groups.size();
        if (s.firstSeen.length < after) {
            s.firstSeen = Arrays.copyOf(s.firstSeen, Math.max(after, s.firstSeen.length * 2));
        }
        long[] fs = s.firstSeen;
        Arrays.fill(fs, before, after, -1L);
        int left = after - before;
        for (int i = 0; i < n && left > 0; i++) {
            int gid = g[i];
            if (gid >= before && fs[gid] < 0) {
                fs[gid] = b.seqBase + (rows == null ? i : rows[i]);
                left--;
            }
        }
    }

    /**
     * The aggregates that may refuse a value: each first says whether it can take the batch; the
     * undoable ones then add and check as they go (and the earlier ones are taken back when a later one
     * refuses); the others, which promised, add. False when the rows went the row path instead.
     */
    private boolean takeRefusing(State s, RecordBatch b, int[] rows, int n, int[] g) {
        Aggregator[] aggs = s.aggs;
        for (int k : refusing) {
            if (!aggs[k].canTakeBatch(g, argCols[k], rows, n)) {
                rowByRow(s, b, rows, n, g);
                return false;
            }
        }
        for (int k : refusing) {
            if (!aggs[k].undoable()) {
                continue;
            }
            if (!aggs[k].tryAddBatch(g, argCols[k], rows, n, readers[k])) {
                for (int j : refusing) {
                    if (j == k) {
                        break;
                    }
                    if (aggs[j].undoable()) {
                        aggs[j].undoBatch(g, argCols[j], rows, n);
                    }
                }
                rowByRow(s, b, rows, n, g);
                return false;
            }
        }
        for (int k : refusing) {
            if (!aggs[k].undoable()) {
                aggs[k].addBatch(g, argCols[k], rows, n, readers[k]);
            }
        }
        return true;
    }

    /** The exact path for rows an aggregate may refuse: every aggregate checks a row before any takes it. */
    private void rowByRow(State s, RecordBatch b, int[] rows, int n, int[] g) {
        Aggregator[] aggs = s.aggs;
        long taken = 0;
        for (int i = 0; i < n; i++) {
            int row = rows == null ? i : rows[i];
            for (int k = 0; k < args.length; k++) {
                if (argCols[k] != null) {
                    readers[k].at(argCols[k], row);
                }
            }
            try {
                for (int k : prechecked) {
                    aggs[k].check(g[i], readers[k]);
                }
                for (int k : addOrder) {
                    aggs[k].add(g[i], readers[k]);
                }
                taken++;
                if (checkpoints) {
                    s.markDirty(g[i]);
                }
            } catch (RecordError | ArithmeticException e) {
                errors.fail(b, row, e);
            }
        }
        metrics.addAggregated(taken);
    }

    // ------------------------------------------------------------------ row mode (EMIT CHANGES)

    private void pushRows(RecordBatch b) {
        rowNow = System.currentTimeMillis(); // the changed rows' processing time: once per batch, not per row
        ensureScratch(b);
        int n = b.liveCount();
        int[] sel = b.sel;
        boolean windowed = windowSize > 0;
        boolean carried = windowed && b.watermarks != null;
        State single = windowed ? null : state(0);
        long taken = 0; // published once per batch: a release store per record costs the loop its registers
        for (int i = 0; i < n; i++) {
            int row = sel == null ? i : sel[i];
            long seen = Long.MIN_VALUE;
            try {
                State s = single;
                if (windowed && carried) {
                    // assigned upstream, in input order (late rows already out): take its time and watermark
                    s = state(Math.floorDiv(b.windowTimes[row], windowSize) * windowSize);
                } else if (windowed) {
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
                int before = s.groups.size();
                int g = rowKeys.findOrInsert(s.batch, b, row);
                Aggregator[] aggs = s.aggs;
                if (s.groups.size() > before) {
                    for (Aggregator a : aggs) {
                        a.ensure(g + 1);
                        a.reset(g);
                    }
                    if (removals) {
                        if (g >= s.members.length) {
                            s.members = Arrays.copyOf(s.members, Math.max(16, Math.max(g + 1, s.members.length * 2)));
                        }
                        s.members[g] = 0;
                    }
                }
                if (removals && b.deleted != null && b.deleted[row]) {
                    for (int k = 0; k < aggs.length; k++) {
                        aggs[k].remove(g, args[k]);
                    }
                    s.members[g]--;
                    if (!emitFinal) {
                        emit(s, g, b.seqBase + row);
                    }
                    continue;
                }
                for (int k : prechecked) {
                    aggs[k].check(g, args[k]);
                }
                for (int k : addOrder) {
                    aggs[k].add(g, args[k]);
                }
                if (removals) {
                    s.members[g]++;
                }
                taken++;
                if (checkpoints) {
                    s.markDirty(g);
                }
                if (!emitFinal) {
                    emit(s, g, b.seqBase + row);
                }
            } catch (RecordError | ArithmeticException e) {
                errors.fail(b, row, e);
            }
            if (carried) {
                long wm = b.watermarks[row];
                if (wm > watermark) {
                    watermark = wm;
                    if (wm >= nextClose) {
                        closeWindows();
                    }
                }
            } else if (seen > maxEventTime) {
                observe(seen);
            }
        }
        if (carried) {
            maxEventTime = Math.max(maxEventTime, b.maxEventTime);
            if (b.watermark > watermark) {
                watermark = b.watermark;
                if (watermark >= nextClose) {
                    closeWindows();
                }
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

    // ------------------------------------------------------------------ output

    /** Emits (EMIT FINAL) and frees every window whose end the watermark has reached. */
    private void closeWindows() {
        int closed = 0;
        while (closed < openCount) {
            State s = open[closed];
            if (s.start + windowSize > watermark) {
                break;
            }
            if (emitFinal) {
                emitAll(s);
            } else if (gate != null) {
                // rows of this window still in the output batch name it: pass them before it is reused
                flushOut();
                gate.forget(s.sid);
            }
            if (s == lastState) {
                lastState = null;
            }
            if (checkpoints) {
                for (int g = 0; g < s.groups.size(); g++) {
                    closedKeys.add(stateKey(s, g));
                }
                s.clearDirty();
            }
            s.groups.clear();
            free.addFirst(s);
            closed++;
        }
        if (closed > 0) {
            System.arraycopy(openStarts, closed, openStarts, 0, openCount - closed);
            System.arraycopy(open, closed, open, 0, openCount - closed);
            openCount -= closed;
            Arrays.fill(open, openCount, openCount + closed, null);
        }
        nextClose = openCount == 0 ? Long.MAX_VALUE : openStarts[0] + windowSize;
    }

    /** Every group of a state, into output batches a column at a time. */
    private void emitAll(State s) {
        int total = s.groups.size();
        int g = 0;
        while (g < total) {
            if (out == null) {
                out = pool.acquire();
                if (gate != null) {
                    out.ensureChangeColumns();
                }
                if (tagOrder) {
                    out.ensureOrder();
                }
            }
            int o = out.size;
            int n = Math.min(total - g, out.capacity - o);
            if (tagOrder) {
                System.arraycopy(s.firstSeen, g, out.order, o, n);
                Arrays.fill(out.orderMajor, o, o + n, s.start);
            }
            Column[] cols = out.columns;
            int k = 0;
            for (; k < s.groups.keyCount(); k++) {
                s.groups.writeKeys(k, g, n, cols[k], o);
            }
            for (int a = 0; a < s.aggs.length; a++) {
                s.aggs[a].resultsInto(g, n, cols[k++], o, slots[a]);
            }
            long now = System.currentTimeMillis();
            if (windowSize > 0) {
                long end = s.start + windowSize;
                Column ws = cols[k++];
                Column we = cols[k];
                Arrays.fill(ws.longs, o, o + n, s.start);
                Arrays.fill(ws.nulls, o, o + n, false);
                Arrays.fill(we.longs, o, o + n, end);
                Arrays.fill(we.nulls, o, o + n, false);
                Arrays.fill(out.eventTime, o, o + n, end - 1);
            } else {
                Arrays.fill(out.eventTime, o, o + n, maxEventTime);
            }
            Arrays.fill(out.timestamp, o, o + n, now);
            for (int i = 0; i < n; i++) {
                out.offset[o + i] = ++resultRows; // result rows are numbered in error reports
            }
            Arrays.fill(out.raw, o, o + n, null);
            Arrays.fill(out.key, o, o + n, null);
            Arrays.fill(out.headers, o, o + n, null);
            if (gate != null) {
                for (int i = 0; i < n; i++) {
                    out.group[o + i] = ((long) s.sid << 32) | (g + i);
                }
            }
            out.size += n;
            g += n;
            if (out.isFull()) {
                flushOut();
            }
        }
    }

    private void emit(State s, int g, long position) {
        if (out == null) {
            out = pool.acquire();
            if (gate != null) {
                out.ensureChangeColumns();
            }
            if (tagOrder) {
                out.ensureOrder();
            }
        }
        int o = out.size;
        if (tagOrder) {
            out.order[o] = position;
            out.orderMajor[o] = 0;
        }
        int k = 0;
        for (; k < s.groups.keyCount(); k++) {
            s.groups.writeKey(k, g, out.columns[k], o, scratch);
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
        out.timestamp[o] = rowNow;
        out.offset[o] = ++resultRows; // result rows are numbered in error reports
        out.raw[o] = null;
        out.key[o] = null;
        out.headers[o] = null;
        if (gate != null) {
            out.group[o] = ((long) s.sid << 32) | g;
            out.deleted[o] = removals && s.members[g] == 0; // the group's last row left: its row leaves the result
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
        rowNow = System.currentTimeMillis();
        if (windowSize > 0) {
            watermark = Long.MAX_VALUE;
            closeWindows();
        } else if (emitFinal) {
            State s = openState(0L);
            if (s == null && keys.length == 0) {
                // a global aggregate over an empty input still has its one row, as in SQL (COUNT 0, SUM NULL)
                s = state(0);
                s.batch.assign(keyCols, null, 1, ensureGids(1));
                s.initGroups(0);
            }
            if (s != null && removals) {
                for (int g = 0; g < s.groups.size(); g++) {
                    if (s.members[g] > 0) { // a group whose rows all left has no final row
                        emit(s, g, 0);
                    }
                }
            } else if (s != null) {
                emitAll(s);
            }
        }
        flushOut();
        next.finish();
    }

    /**
     * A watermark signal between batches: a windowed aggregation moves its watermark (and its
     * assigner's) to {@code wm} if that is later, closing the windows it completes exactly as a row
     * with that watermark would; then the signal goes on downstream.
     */
    @Override
    public void watermark(long wm) {
        if (windowSize > 0 && wm > watermark) {
            watermark = wm;
            if (assigner != null) {
                assigner.advance(wm);
            }
            if (wm >= nextClose) {
                closeWindows();
            }
            flushOut();
        }
        next.watermark(wm);
    }

    @Override
    public boolean done() {
        return next.done();
    }

    /**
     * Tags result rows with their place in one thread's output ({@link RecordBatch#order}): the
     * stream position of a group's first row (EMIT FINAL) or of the row a change is for (EMIT
     * CHANGES), and the window's start. A parallel stage whose workers each own some keys merges their
     * outputs by it, so the result is row for row the one a single thread gives.
     */
    public void tagOrder() {
        this.tagOrder = true;
    }

    /**
     * Makes rows marked {@link RecordBatch#deleted} retractions of rows taken before: their values
     * leave their group ({@link Aggregator#remove}), and a group left without rows is gone from the
     * result — a retraction of its row (EMIT CHANGES through a retracting changelog), no final row
     * (EMIT FINAL). Runs a row at a time. Every aggregate must {@link Aggregator#canRemove}.
     */
    public void enableRemovals() {
        this.removals = true;
        this.batchMode = false;
    }

    /** Makes the result a changelog: {@code gate} tracks which groups it shows (EMIT CHANGES only). */
    public void retractThrough(ChangeGate gate) {
        this.gate = gate;
    }

    public long watermark() {
        return watermark;
    }

    /** Bytes of state held by the open windows: group tables and aggregate arrays, at their capacity. */
    public long stateBytes() {
        long b = 0;
        for (int i = 0; i < openCount; i++) {
            b += open[i].stateBytes();
        }
        return b;
    }

    /** Groups held by the open windows. */
    public long groups() {
        long g = 0;
        for (int i = 0; i < openCount; i++) {
            g += open[i].groups.size();
        }
        return g;
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
        s.groups.writeKeyState(g, stateOut);
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
        for (int w = 0; w < openCount; w++) {
            State s = open[w];
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
                if (assigner != null) {
                    assigner.restore(watermark, maxEventTime);
                }
                continue;
            }
            io.velo.exec.state.StateIn kin = new io.velo.exec.state.StateIn(key);
            kin.readByte();
            State s = state(kin.readLong());
            int before = s.groups.size();
            int g = s.groups.insertRestored(kin);
            for (Aggregator a : s.aggs) {
                a.ensure(Math.max(g + 1, s.groups.size()));
                for (int r = before; r < s.groups.size(); r++) {
                    a.reset(r);
                }
                a.readState(g, vin);
            }
            if (vin.readBoolean() && gate != null) {
                gate.show(s.sid, g);
            }
        }
        lastState = null;
        nextClose = openCount == 0 ? Long.MAX_VALUE : openStarts[0] + windowSize;
    }
}
