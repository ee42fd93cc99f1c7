package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.Aggregator;
import io.velo.exec.agg.BatchGroups;
import io.velo.exec.agg.RowKeys;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.decimal.Dec;
import java.util.Arrays;

/**
 * GROUP BY over SLIDING (hopping) or SESSION windows: windows that belong to a key, each an
 * aggregation slot of its own. Output rows have the layout of {@link AggregateOperator}: group keys,
 * aggregate results, {@code _window_start}, {@code _window_end}.
 *
 * <p>SLIDING(size, advance): a record at {@code t} belongs to every window {@code [s, s + size)} with
 * {@code s} a multiple of {@code advance} (aligned to the epoch) and {@code s <= t < s + size}; each
 * (key, window) has its own state, so a record updates up to size/advance of them and the state held is
 * bounded by the windows open. SESSION(gap): a record at {@code t} spans {@code [t, t + gap)}; a key's
 * session is the union of its records' overlapping spans, the window {@code [first, last + gap)}; a
 * record overlapping two sessions of its key merges them ({@link Aggregator#merge}).
 *
 * <p>The watermark (max event time − allowed out-of-orderness) moves after every record, in input
 * order, and every window whose end it reaches closes at once (EMIT FINAL: emits; EMIT CHANGES: its
 * state is freed), so neither lateness nor closing ever depends on how the input was batched. A record
 * is late when every window it would join has closed: a sliding record whose last window has ended, a
 * session record that overlaps no open session of its key and whose own span has ended. A sliding
 * record some of whose windows have closed goes into the others only. A late record is dropped and
 * counted, or dead-lettered; it does not move the watermark. A record is taken by all of its windows or
 * by none: every aggregate checks the value against every window first (a merge into a fresh slot, so a
 * refused record leaves the sessions it bridges as they were).
 *
 * <p>Windows close in order of end, then start, then the order they were opened in (a merged session
 * keeps the place of its earliest part). EMIT CHANGES writes, after each record, the updated row of each
 * window it joined, in order of start; when the changelog can retract, the sessions a merge absorbed
 * are retracted first.
 */
public final class KeyedWindowOperator implements Operator, io.velo.exec.state.Checkpointed {
    private final boolean session;
    /** SLIDING: window size and advance; SESSION: the gap (size) and 0. */
    private final long size;
    private final long advance;
    private final Eval timeColumn;
    private final Aggregator[] aggs;
    private final Eval[] args;
    private final int[] refusing;
    private final boolean emitFinal;
    private final long outOfOrderness;
    private final boolean lateToDeadLetter;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;
    private final Eval[] keyEvals;

    private BatchGroups keyTable;
    private final RowKeys rowKeys;
    /** Per key: its first open window (ordered by start), or -1. */
    private int[] keyHead = new int[16];
    private int liveKeys;

    // per slot (window)
    private long[] start = new long[16];
    private long[] end = new long[16];
    private long[] seq = new long[16];
    private int[] keyOf = new int[16];
    private int[] nextOfKey = new int[16];
    private int[] version = new int[16];
    private int slotCount;
    private int[] free = new int[16];
    private int freeCount;
    /** A slot kept empty, to check a value against a window that is not open yet. */
    private final int blank;
    private long opened;

    /**
     * Windows to close, ordered by (end, start, opening order): a binary heap in primitive arrays, so
     * opening a window allocates nothing. An entry whose slot was reused or merged away (another
     * version) is skipped when it surfaces; one whose session grew is pushed again with its new bounds.
     */
    private static final class CloseHeap {
        private long[] ends = new long[64];
        private long[] starts = new long[64];
        private long[] seqs = new long[64];
        private int[] slots = new int[64];
        private int[] versions = new int[64];
        int size;

        private boolean less(int i, long e, long st, long sq) {
            return ends[i] != e ? ends[i] < e : starts[i] != st ? starts[i] < st : seqs[i] < sq;
        }

        private void set(int i, long e, long st, long sq, int sl, int v) {
            ends[i] = e;
            starts[i] = st;
            seqs[i] = sq;
            slots[i] = sl;
            versions[i] = v;
        }

        private void move(int to, int from) {
            set(to, ends[from], starts[from], seqs[from], slots[from], versions[from]);
        }

        void add(long e, long st, long sq, int sl, int v) {
            if (size == ends.length) {
                int c = size * 2;
                ends = Arrays.copyOf(ends, c);
                starts = Arrays.copyOf(starts, c);
                seqs = Arrays.copyOf(seqs, c);
                slots = Arrays.copyOf(slots, c);
                versions = Arrays.copyOf(versions, c);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (less(parent, e, st, sq)) {
                    break;
                }
                move(i, parent);
                i = parent;
            }
            set(i, e, st, sq, sl, v);
        }

        long peekEnd() {
            return ends[0];
        }

        long peekStart() {
            return starts[0];
        }

        int peekSlot() {
            return slots[0];
        }

        int peekVersion() {
            return versions[0];
        }

        void poll() {
            int last = --size;
            long e = ends[last];
            long st = starts[last];
            long sq = seqs[last];
            int sl = slots[last];
            int v = versions[last];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && less(c + 1, ends[c], starts[c], seqs[c])) {
                    c++;
                }
                if (!less(c, e, st, sq)) {
                    break;
                }
                move(i, c);
                i = c;
            }
            set(i, e, st, sq, sl, v);
        }
    }

    private final CloseHeap closes = new CloseHeap();

    /**
     * SLIDING windows to close: every window of a start has the same end, so they close window by
     * window, each window's slots in the order they were opened — the heap's (end, start, opening
     * order) without a heap entry per slot. Open windows are few (size / advance and some late
     * ones), kept sorted by start.
     */
    private static final class WindowLists {
        long[] starts = new long[8];
        int[][] slots = new int[8][];
        int[] counts = new int[8];
        int count;
        private int[][] spare = new int[8][];
        private int spareCount;

        void add(long ws, int slot) {
            int i = count - 1;
            while (i >= 0 && starts[i] > ws) {
                i--;
            }
            if (i < 0 || starts[i] != ws) {
                if (count == starts.length) {
                    int c = count * 2;
                    starts = Arrays.copyOf(starts, c);
                    slots = Arrays.copyOf(slots, c);
                    counts = Arrays.copyOf(counts, c);
                }
                int at = i + 1;
                System.arraycopy(starts, at, starts, at + 1, count - at);
                System.arraycopy(slots, at, slots, at + 1, count - at);
                System.arraycopy(counts, at, counts, at + 1, count - at);
                starts[at] = ws;
                slots[at] = spareCount > 0 ? spare[--spareCount] : new int[64];
                counts[at] = 0;
                count++;
                i = at;
            }
            int[] l = slots[i];
            if (counts[i] == l.length) {
                l = slots[i] = Arrays.copyOf(l, l.length * 2);
            }
            l[counts[i]++] = slot;
        }

        /** Drops the first (earliest) window, keeping its list for reuse. */
        void removeFirst() {
            if (spareCount == spare.length) {
                spare = Arrays.copyOf(spare, spareCount * 2);
            }
            spare[spareCount++] = slots[0];
            count--;
            System.arraycopy(starts, 1, starts, 0, count);
            System.arraycopy(slots, 1, slots, 0, count);
            System.arraycopy(counts, 1, counts, 0, count);
            slots[count] = null;
        }
    }

    private final WindowLists windowLists = new WindowLists();

    /** End of the first window to close; Long.MAX_VALUE when none is open. */
    private long nextCloseEnd() {
        if (session) {
            return closes.size > 0 ? closes.peekEnd() : Long.MAX_VALUE;
        }
        return windowLists.count > 0 ? windowLists.starts[0] + size : Long.MAX_VALUE;
    }

    private long watermark = Long.MIN_VALUE;
    private long maxEventTime = Long.MIN_VALUE;
    private long resultRows;
    private long now;
    private ChangeGate gate;
    private RecordBatch out;
    private final Aggregator.Slot[] slots;
    private final Dec scratch = new Dec();
    private int[] targets = new int[4];
    private long[] targetStarts = new long[4];

    /**
     * @param session true for SESSION(gap) ({@code size} is the gap, {@code advance} unused), false for
     *                SLIDING(size, advance)
     */
    public KeyedWindowOperator(boolean session, long size, long advance, Eval[] keys, Aggregator[] aggregators, Eval[] args,
                               Eval timeColumn, boolean emitFinal, long outOfOrderness, boolean lateToDeadLetter, BatchPool pool,
                               Operator next, RowErrors errors, JobMetrics metrics) {
        if (size <= 0 || (!session && (advance <= 0 || advance > size))) {
            throw new IllegalArgumentException("bad window: size " + size + ", advance " + advance);
        }
        this.session = session;
        this.size = size;
        this.advance = advance;
        this.keyEvals = keys;
        this.rowKeys = new RowKeys(keys);
        this.keyTable = rowKeys.newGroups();
        this.aggs = aggregators;
        this.args = args;
        this.refusing = java.util.stream.IntStream.range(0, aggregators.length).filter(k -> aggregators[k].mayRefuse()).toArray();
        this.timeColumn = timeColumn;
        this.emitFinal = emitFinal;
        this.outOfOrderness = outOfOrderness;
        this.lateToDeadLetter = lateToDeadLetter;
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
        this.slots = new Aggregator.Slot[aggregators.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Aggregator.Slot(aggregators[i].resultType);
        }
        if (session) {
            for (Aggregator a : aggregators) {
                if (!a.canMerge()) {
                    throw new IllegalArgumentException(a.getClass().getSimpleName() + " cannot merge session windows");
                }
            }
        }
        Arrays.fill(keyHead, -1);
        blank = allocate();
    }

    /** Makes the result a changelog that can retract (see {@link ChangeGate}). */
    public void retractThrough(ChangeGate gate) {
        this.gate = gate;
    }

    public long watermark() {
        return watermark;
    }

    /** Windows open now. */
    public int openWindows() {
        return slotCount - freeCount - 1;
    }

    // ------------------------------------------------------------------ slots

    private int allocate() {
        int s;
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            s = slotCount++;
            if (s == start.length) {
                int n = s * 2;
                start = Arrays.copyOf(start, n);
                end = Arrays.copyOf(end, n);
                seq = Arrays.copyOf(seq, n);
                keyOf = Arrays.copyOf(keyOf, n);
                nextOfKey = Arrays.copyOf(nextOfKey, n);
                version = Arrays.copyOf(version, n);
            }
            for (Aggregator a : aggs) {
                a.ensure(s + 1);
            }
        }
        for (Aggregator a : aggs) {
            a.reset(s);
        }
        return s;
    }

    /** Opens window {@code [ws, we)} of {@code key} in a fresh slot, linked after {@code prev} (-1: first). */
    private int open(int key, long ws, long we, int prev, long order) {
        int s = allocate();
        start[s] = ws;
        end[s] = we;
        seq[s] = order;
        keyOf[s] = key;
        if (prev < 0) {
            if (keyHead[key] < 0) {
                liveKeys++;
            }
            nextOfKey[s] = keyHead[key];
            keyHead[key] = s;
        } else {
            nextOfKey[s] = nextOfKey[prev];
            nextOfKey[prev] = s;
        }
        if (session) {
            closes.add(we, ws, order, s, version[s]);
        } else {
            windowLists.add(ws, s);
        }
        return s;
    }

    /** Unlinks and frees a window (its close entry goes stale). */
    private void release(int s) {
        int key = keyOf[s];
        int prev = -1;
        int c = keyHead[key];
        while (c != s) {
            prev = c;
            c = nextOfKey[c];
        }
        if (prev < 0) {
            keyHead[key] = nextOfKey[s];
            if (keyHead[key] < 0) {
                liveKeys--;
            }
        } else {
            nextOfKey[prev] = nextOfKey[s];
        }
        version[s]++;
        if (gate != null) {
            flushOut(); // rows naming this slot pass the gate before the slot names another window
            gate.forget(0, s);
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = s;
    }

    // ------------------------------------------------------------------ input

    @Override
    public void push(RecordBatch b) {
        now = System.currentTimeMillis(); // result rows' processing time: once per call, not per row
        int n = b.liveCount();
        int[] sel = b.sel;
        long taken = 0;
        for (int i = 0; i < n; i++) {
            int row = sel == null ? i : sel[i];
            long seen = Long.MIN_VALUE;
            try {
                long t;
                if (timeColumn != null) {
                    timeColumn.eval(b, row);
                    if (timeColumn.isNull) {
                        throw new RecordError(RecordError.MALFORMED_INPUT, "window time column is NULL");
                    }
                    t = timeColumn.l;
                } else {
                    t = b.eventTime[row];
                }
                boolean ok;
                if (session) {
                    int key = key(b, row);
                    int first = firstOverlap(key, t);
                    if (first < 0 && watermark != Long.MIN_VALUE && t + size <= watermark) {
                        late(b, row, t);
                        continue;
                    }
                    seen = t;
                    evalArgs(b, row);
                    ok = takeSession(key, first, t);
                } else {
                    long last = Math.floorDiv(t, advance) * advance;
                    if (watermark != Long.MIN_VALUE && last + size <= watermark) {
                        late(b, row, t);
                        continue;
                    }
                    seen = t;
                    evalArgs(b, row);
                    int key = key(b, row);
                    ok = takeSliding(key, t, last);
                }
                if (ok) {
                    taken++;
                }
            } catch (RecordError | ArithmeticException e) {
                errors.fail(b, row, e);
            }
            if (seen != Long.MIN_VALUE) {
                observe(seen);
            }
        }
        metrics.addAggregated(taken);
        flushOut();
    }

    private void evalArgs(RecordBatch b, int row) {
        for (Eval a : args) {
            if (a != null) {
                a.eval(b, row);
            }
        }
    }

    private int key(RecordBatch b, int row) {
        int k = rowKeys.findOrInsert(keyTable, b, row);
        if (rowKeys.created()) {
            if (k >= keyHead.length) {
                int old = keyHead.length;
                keyHead = Arrays.copyOf(keyHead, Math.max(k + 1, old * 2));
                Arrays.fill(keyHead, old, keyHead.length, -1);
            }
            keyHead[k] = -1;
        }
        return k;
    }

    // ------------------------------------------------------------------ checkpoints

    /** The one state entry: the open windows are few (bounded by keys × size/advance, or open sessions), so each checkpoint writes them all. */
    private static final byte[] SNAPSHOT_KEY = {2};

    @Override
    public void enableCheckpoints() {
        // nothing to track: a checkpoint is a snapshot of the open windows
    }

    /**
     * Writes the open windows as one entry: the watermark and counters, then each window in the order
     * it was opened — its key, bounds, opening number, every aggregate's state and whether the
     * changelog shows its row — so a restore opens them again in the same order and they close as
     * they would have.
     */
    @Override
    public void checkpoint(io.velo.exec.state.StateLog log) {
        flushOut();
        java.util.List<Integer> openSlots = new java.util.ArrayList<>();
        for (int k = 0; k < keyTable.size(); k++) {
            for (int c = k < keyHead.length ? keyHead[k] : -1; c >= 0; c = nextOfKey[c]) {
                openSlots.add(c);
            }
        }
        // by opening number: each window's own place in its close order (a commit point, not the hot path)
        openSlots.sort((x, y) -> Long.compare(seq[x], seq[y]));
        int n = openSlots.size();
        io.velo.exec.state.StateOut out = new io.velo.exec.state.StateOut();
        io.velo.exec.state.StateOut keyOut = new io.velo.exec.state.StateOut();
        out.writeLong(watermark).writeLong(maxEventTime).writeLong(opened).writeLong(resultRows).writeInt(n);
        for (int c : openSlots) {
            keyOut.reset();
            keyTable.writeKeyState(keyOf[c], keyOut);
            byte[] kb = keyOut.toBytes();
            out.writeInt(kb.length);
            for (byte x : kb) {
                out.writeByte(x);
            }
            out.writeLong(start[c]).writeLong(end[c]).writeLong(seq[c]);
            for (Aggregator a : aggs) {
                a.writeState(c, out);
            }
            out.writeBoolean(gate != null && gate.shows(0, c));
        }
        log.put(SNAPSHOT_KEY.clone(), out.toBytes());
    }

    /** Opens the checkpointed windows again (in a fresh operator, before the first record). */
    @Override
    public void restore(java.util.Map<io.velo.exec.state.StateKey, byte[]> entries) {
        byte[] value = entries.get(new io.velo.exec.state.StateKey(SNAPSHOT_KEY));
        if (value == null) {
            return;
        }
        io.velo.exec.state.StateIn in = new io.velo.exec.state.StateIn(value);
        watermark = in.readLong();
        maxEventTime = in.readLong();
        opened = in.readLong();
        resultRows = in.readLong();
        int n = in.readInt();
        java.util.Map<io.velo.exec.state.StateKey, Integer> keys = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            byte[] kb = new byte[in.readInt()];
            for (int j = 0; j < kb.length; j++) {
                kb[j] = (byte) in.readByte();
            }
            Integer known = keys.get(new io.velo.exec.state.StateKey(kb));
            int key;
            if (known != null) {
                key = known;
            } else {
                key = keyTable.insertRestored(new io.velo.exec.state.StateIn(kb));
                if (key >= keyHead.length) {
                    int old = keyHead.length;
                    keyHead = Arrays.copyOf(keyHead, Math.max(key + 1, old * 2));
                    Arrays.fill(keyHead, old, keyHead.length, -1);
                }
                keyHead[key] = -1;
                keys.put(new io.velo.exec.state.StateKey(kb), key);
            }
            long ws = in.readLong();
            long we = in.readLong();
            long sq = in.readLong();
            int c = open(key, ws, we, before(key, ws), sq);
            for (Aggregator a : aggs) {
                a.readState(c, in);
            }
            if (in.readBoolean() && gate != null) {
                gate.show(0, c);
            }
        }
    }

    /** Throws what any aggregate would refuse of the current value in slot {@code s}. */
    private void check(int s) {
        for (int k : refusing) {
            aggs[k].check(s, args[k]);
        }
    }

    private void add(int s) {
        for (int k = 0; k < aggs.length; k++) {
            aggs[k].add(s, args[k]);
        }
    }

    /** The record's open windows, each checked, then opened where new and updated. */
    private boolean takeSliding(int key, long t, long last) {
        int count = 0;
        for (long s = last; s > t - size && s + size > watermark; s -= advance) {
            if (count == targets.length) {
                targets = Arrays.copyOf(targets, count * 2);
                targetStarts = Arrays.copyOf(targetStarts, count * 2);
            }
            targetStarts[count] = s;
            targets[count++] = find(key, s);
            if (s < Long.MIN_VALUE + advance) {
                break;
            }
        }
        for (int i = 0; i < count; i++) {
            check(targets[i] < 0 ? blank : targets[i]);
        }
        // ascending start: the key's list is ordered by start too
        for (int i = count - 1; i >= 0; i--) {
            int s = targets[i];
            if (s < 0) {
                long ws = targetStarts[i];
                s = open(key, ws, ws + size, before(key, ws), opened++);
            }
            add(s);
            if (!emitFinal) {
                emit(s, false);
            }
        }
        return true;
    }

    /** The key's window starting at {@code ws}, or -1. */
    private int find(int key, long ws) {
        for (int c = keyHead[key]; c >= 0 && start[c] <= ws; c = nextOfKey[c]) {
            if (start[c] == ws) {
                return c;
            }
        }
        return -1;
    }

    /** The key's last window starting before {@code ws}, or -1. */
    private int before(int key, long ws) {
        int prev = -1;
        for (int c = keyHead[key]; c >= 0 && start[c] < ws; c = nextOfKey[c]) {
            prev = c;
        }
        return prev;
    }

    /** The key's first open session overlapping {@code [t, t + gap)}, or -1. */
    private int firstOverlap(int key, long t) {
        for (int c = keyHead[key]; c >= 0 && start[c] < t + size; c = nextOfKey[c]) {
            if (end[c] > t) {
                return c;
            }
        }
        return -1;
    }

    private boolean takeSession(int key, int first, long t) {
        if (first < 0) {
            check(blank);
            int s = open(key, t, t + size, before(key, t), opened++);
            add(s);
            if (!emitFinal) {
                emit(s, false);
            }
            return true;
        }
        int second = nextOfKey[first];
        boolean bridges = second >= 0 && start[second] < t + size;
        if (!bridges) {
            check(first);
            add(first);
            start[first] = Math.min(start[first], t);
            end[first] = Math.max(end[first], t + size);
            if (!emitFinal) {
                emit(first, false);
            }
            return true;
        }
        // the record bridges sessions: merge them into a fresh slot, so a refusal changes none of them
        int m = allocate();
        long ws = Math.min(start[first], t);
        long we = t + size;
        try {
            for (int c = first; c >= 0 && start[c] < t + size; c = nextOfKey[c]) {
                for (int k = 0; k < aggs.length; k++) {
                    aggs[k].merge(m, aggs[k], c);
                }
                we = Math.max(we, end[c]);
            }
            check(m);
        } catch (RuntimeException e) {
            version[m]++;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = m;
            throw e;
        }
        add(m);
        long order = seq[first];
        int prev = before(key, start[first]);
        int c = first;
        while (c >= 0 && start[c] < t + size) {
            int nx = nextOfKey[c];
            if (!emitFinal && gate != null) {
                emit(c, true);
            }
            release(c);
            c = nx;
        }
        // relink the merged slot where its parts were
        start[m] = ws;
        end[m] = we;
        seq[m] = order;
        keyOf[m] = key;
        if (prev < 0) {
            if (keyHead[key] < 0) {
                liveKeys++;
            }
            nextOfKey[m] = keyHead[key];
            keyHead[key] = m;
        } else {
            nextOfKey[m] = nextOfKey[prev];
            nextOfKey[prev] = m;
        }
        closes.add(we, ws, order, m, version[m]);
        if (!emitFinal) {
            emit(m, false);
        }
        return true;
    }

    private void observe(long t) {
        if (t > maxEventTime) {
            maxEventTime = t;
        }
        long wm = t - outOfOrderness;
        if (wm > watermark) {
            watermark = wm;
            if (nextCloseEnd() <= wm) {
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

    // ------------------------------------------------------------------ closing and output

    /** Closes (EMIT FINAL: emits) every window whose end the watermark has reached, in close order. */
    private void closeWindows() {
        while (!session && windowLists.count > 0 && windowLists.starts[0] + size <= watermark) {
            int[] l = windowLists.slots[0];
            int k = windowLists.counts[0];
            for (int i = 0; i < k; i++) {
                if (emitFinal) {
                    emit(l[i], false);
                }
                release(l[i]);
            }
            windowLists.removeFirst();
        }
        while (closes.size > 0 && closes.peekEnd() <= watermark) {
            int s = closes.peekSlot();
            int v = closes.peekVersion();
            long ce = closes.peekEnd();
            long cs = closes.peekStart();
            closes.poll();
            if (version[s] != v) {
                continue; // merged away or closed
            }
            if (end[s] != ce || start[s] != cs) {
                closes.add(end[s], start[s], seq[s], s, version[s]); // the session grew since
                continue;
            }
            if (emitFinal) {
                emit(s, false);
            }
            release(s);
        }
        if (keyTable.size() > 1024 && keyTable.size() > 4L * liveKeys) {
            compactKeys();
        }
    }

    /** Forgets the keys that have no open window (the key table must not grow with the input). */
    private void compactKeys() {
        BatchGroups fresh = rowKeys.newGroups();
        int[] heads = new int[Math.max(16, liveKeys * 2)];
        Arrays.fill(heads, -1);
        io.velo.exec.state.StateOut buf = new io.velo.exec.state.StateOut();
        for (int k = 0; k < keyTable.size(); k++) {
            if (keyHead[k] < 0) {
                continue;
            }
            buf.reset();
            keyTable.writeKeyState(k, buf);
            int nk = fresh.insertRestored(new io.velo.exec.state.StateIn(buf.toBytes()));
            if (nk >= heads.length) {
                int old = heads.length;
                heads = Arrays.copyOf(heads, old * 2);
                Arrays.fill(heads, old, heads.length, -1);
            }
            heads[nk] = keyHead[k];
            for (int c = keyHead[k]; c >= 0; c = nextOfKey[c]) {
                keyOf[c] = nk;
            }
        }
        keyTable = fresh;
        keyHead = heads;
    }

    private void emit(int s, boolean deleted) {
        if (out == null) {
            out = pool.acquire();
            if (gate != null) {
                out.ensureChangeColumns();
            }
        }
        int o = out.size;
        int k = 0;
        for (; k < keyTable.keyCount(); k++) {
            keyTable.writeKey(k, keyOf[s], out.columns[k], o, scratch);
        }
        for (int a = 0; a < aggs.length; a++) {
            Aggregator.Slot slot = slots[a];
            aggs[a].result(s, slot);
            slot.writeTo(out.columns[k++], o);
        }
        out.columns[k++].setLong(o, start[s]);
        out.columns[k].setLong(o, end[s]);
        out.eventTime[o] = end[s] - 1;
        out.timestamp[o] = now;
        out.offset[o] = ++resultRows; // result rows are numbered in error reports
        out.raw[o] = null;
        out.key[o] = null;
        out.headers[o] = null;
        if (gate != null) {
            out.group[o] = s;
            out.deleted[o] = deleted;
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
        now = System.currentTimeMillis(); // result rows' processing time: once per call, not per row
        watermark = Long.MAX_VALUE;
        closeWindows();
        flushOut();
        next.finish();
    }

    /** A watermark signal between batches: closes the windows it completes; later rows for them are late. */
    @Override
    public void watermark(long wm) {
        now = System.currentTimeMillis(); // result rows' processing time: once per call, not per row
        if (wm > watermark) {
            watermark = wm;
            closeWindows();
            flushOut();
        }
        next.watermark(wm);
    }

    @Override
    public boolean done() {
        return next.done();
    }
}
