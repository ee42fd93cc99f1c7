package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.BatchGroups;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.Schema;
import java.util.Arrays;

/**
 * A stream–stream interval join ({@code FROM a [INNER|LEFT|RIGHT|FULL] JOIN b ON a.k = b.k AND
 * b.ts BETWEEN a.ts + lo AND a.ts + hi}, or {@code … WITHIN d}, which is lo = −d, hi = d): a row
 * {@code l} of the {@link #LEFT} side and a row {@code r} of the {@link #RIGHT} side match when their
 * keys are equal (NULL equals nothing) and {@code lo ≤ t(r) − t(l) ≤ hi}.
 *
 * <p>Rows are taken one at a time, in the order they arrive (both sides interleaved by the caller):
 * a row first meets the rows of the other side kept so far — each match is an output row at once —
 * then is kept itself, then moves its side's watermark (max event time seen − the allowed
 * out-of-orderness). The join's watermark W is the earlier of the two sides' (a side that ended is
 * past everything). A row behind W is late: no match with it is certain any more, so it is dropped,
 * counted, or dead-lettered. A kept row leaves the state once no row of the other side that is not
 * late can match it: a left row when {@code t + hi < W}, a right row when {@code t − lo < W}; an
 * unmatched row of an outer side (LEFT: the left's, RIGHT: the right's, FULL: both) is then written
 * with NULLs for the other side's columns — so, as its interval closes, or at the end of input. The
 * output therefore depends only on the order of the rows, never on how they were cut into batches.
 *
 * <p>Output rows: the left side's columns, then the right's; the event time of a matched row is the
 * later of the two rows' times, of an unmatched row its own. Every input row ends as joined (taken by
 * the join, whatever it produced), late, or failed (its key or time did not evaluate; a NULL time is
 * a record error). Rows with a NULL key match nothing; an outer side's such row is written with NULLs
 * at once.
 *
 * <p>State: each side's rows column-wise in slots (a freed slot is reused), with their times, keys,
 * whether they matched, and a list per key in arrival order; one {@link BatchGroups} maps the keys of
 * both sides to group ids a batch at a time (and is rebuilt from the kept rows when most of its keys
 * have no row left), and a heap per side orders the rows by the time they leave. One thread.
 *
 * <p>Checkpoints ({@code 'mode' = 'transactional'}) are incremental: one state entry per kept row
 * (its side, time, offset, whether it matched, and the held columns' values), written when the row
 * comes or first matches and deleted when it leaves, plus one entry with the watermarks and the
 * arrival counter. A restore keeps the rows again in arrival order, so a restarted job goes on as if
 * it had never stopped.
 */
public final class IntervalJoinOperator implements TwoInputOperator, io.velo.exec.state.Checkpointed {
    private final long lo;
    private final long hi;
    private final long outOfOrderness;
    private final boolean lateToDeadLetter;
    private final Side[] sides = new Side[2];
    private final BatchGroups groups;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;
    private final BatchPool pool;
    private final TwoInputWatermark watermark = new TwoInputWatermark();
    private final boolean[] ended = new boolean[2];
    private boolean finished;
    /** Arrival number of the next row (either side), which orders rows that leave at the same time. */
    private long seq;
    private RecordBatch out;
    private int[] gidScratch = new int[0];
    private int[] rowsScratch = new int[0];
    private boolean[] failedScratch = new boolean[0];

    /**
     * @param leftKeys        the key parts over the left side's columns; {@code rightKeys} the matching ones over the right's
     * @param leftTime        the left side's time column, or -1 for its records' event time; {@code rightTime} likewise
     * @param lo              the smallest {@code t(right) − t(left)} that matches; {@code hi} the largest
     * @param leftOuter       unmatched left rows are written with NULL right columns (LEFT, FULL)
     * @param rightOuter      unmatched right rows are written with NULL left columns (RIGHT, FULL)
     * @param pool            batches of output rows: the left's columns, then the right's
     */
    public IntervalJoinOperator(Schema leftSchema, Eval[] leftKeys, int leftTime, Schema rightSchema, Eval[] rightKeys, int rightTime,
                                long lo, long hi, boolean leftOuter, boolean rightOuter, long outOfOrderness, boolean lateToDeadLetter,
                                BatchPool pool, Operator next, RowErrors errors, JobMetrics metrics) {
        if (leftKeys.length != rightKeys.length || leftKeys.length == 0) {
            throw new IllegalArgumentException("an interval join needs key parts of both sides, as many of each");
        }
        if (lo > hi) {
            throw new IllegalArgumentException("empty interval [" + lo + ", " + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
        this.outOfOrderness = outOfOrderness;
        this.lateToDeadLetter = lateToDeadLetter;
        this.sides[LEFT] = new Side(leftSchema, leftKeys, leftTime, leftOuter, 0);
        this.sides[RIGHT] = new Side(rightSchema, rightKeys, rightTime, rightOuter, leftSchema.size());
        DataType[] types = new DataType[leftKeys.length];
        for (int k = 0; k < types.length; k++) {
            types[k] = leftKeys[k].type;
        }
        this.groups = BatchGroups.create(types);
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
    }

    /**
     * Keeps only the columns the rest of the query reads ({@code left[c]}, {@code right[c]} for the
     * sides' columns; null keeps all): the others are not held in the state and are NULL in the
     * output. Call before the first row.
     */
    public IntervalJoinOperator keepColumns(boolean[] left, boolean[] right) {
        if (seq > 0) {
            throw new IllegalStateException("keepColumns after the first row");
        }
        sides[LEFT].keep(left);
        sides[RIGHT].keep(right);
        return this;
    }

    /** Rows kept by both sides now. */
    public int stateRows() {
        return sides[LEFT].live + sides[RIGHT].live;
    }

    /** The join's watermark: the earlier of the two sides' (Long.MIN_VALUE until both have one). */
    public long joinWatermark() {
        return current();
    }

    private long current() {
        return watermark.current();
    }

    // ------------------------------------------------------------------ input

    @Override
    public void push(int side, RecordBatch b) {
        if (finished || ended[side]) {
            throw new IllegalStateException("rows for the " + (side == LEFT ? "left" : "right") + " side of an interval join after its end");
        }
        int n = b.liveCount();
        if (n == 0) {
            return;
        }
        Side s = sides[side];
        Side other = sides[1 - side];
        maybeCompact();
        ensureScratch(b.capacity, n);
        Column[] keyCols = s.keyColumns(b, n, failedScratch, errors);
        // one pass of the key table over the rows that have a key (a failed or NULL key is left out)
        int k = 0;
        if (b.sel == null && s.plainKeys && noNulls(keyCols, n)) {
            for (int i = 0; i < n; i++) { // the common batch: every row keyed
                rowsScratch[i] = i;
            }
            k = n;
        } else {
            for (int i = 0; i < n; i++) {
                int row = b.liveRow(i);
                if (!failedScratch[row] && !anyNull(keyCols, row)) {
                    rowsScratch[k++] = row;
                }
            }
        }
        groups.assign(keyCols, rowsScratch, k, gidScratch);
        int taken = 0;
        final Column tc = s.timeColumn >= 0 ? b.columns[s.timeColumn] : null;
        final long[] times = tc != null ? tc.longs : b.eventTime;
        final boolean[] failed = failedScratch;
        final int[] keyedRows = rowsScratch;
        final int[] gids = gidScratch;
        final Side left = sides[LEFT];
        final Side right = sides[RIGHT];
        for (int i = 0, g = 0; i < n; i++) {
            int row = b.liveRow(i);
            boolean keyed = g < k && keyedRows[g] == row;
            int gid = keyed ? gids[g++] : -1;
            if (failed[row]) {
                continue;
            }
            if (tc != null && tc.nulls[row]) {
                errors.fail(b, row, new RecordError(RecordError.MALFORMED_INPUT, "the interval join's time column '"
                        + b.schema.field(s.timeColumn).name() + "' is NULL"));
                continue;
            }
            long t = times[row];
            long w = current();
            if (t < w) {
                late(b, row, t, w);
                continue;
            }
            taken++;
            if (gid >= 0) {
                boolean matched = probe(side, other, gid, b, row, t);
                s.insert(b, row, keyCols, t, seq++, matched, gid);
            } else if (s.outer) {
                emitAlone(side, b, row, t); // a NULL key matches nothing: nothing to wait for
            }
            watermark.advance(side, t - outOfOrderness);
            w = current();
            if (left.top() < w || right.top() < w) { // (a row with a negative bound may leave as it comes)
                evict();
            }
        }
        metrics.addJoined(taken);
        flush();
    }

    /** Whether rows 0..n-1 of every column are non-NULL (one OR-reduction per column). */
    private static boolean noNulls(Column[] cols, int n) {
        for (Column c : cols) {
            final boolean[] nl = c.nulls;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                any |= nl[i];
            }
            if (any) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyNull(Column[] cols, int row) {
        for (Column c : cols) {
            if (c.isNull(row)) {
                return true;
            }
        }
        return false;
    }

    /** Meets row {@code row} (time {@code t}, group {@code gid}) of side {@code s} with the other side's rows of its key. */
    private boolean probe(int side, Side other, int gid, RecordBatch b, int row, long t) {
        if (gid >= other.head.length) {
            return false;
        }
        boolean matched = false;
        // the bound on t(other) - t(this): [lo, hi] for a left row, [-hi, -lo] for a right one
        long min = side == LEFT ? lo : -hi;
        long max = side == LEFT ? hi : -lo;
        for (int slot = other.head[gid]; slot >= 0; slot = other.next[slot]) {
            long d = other.time[slot] - t;
            if (d >= min && d <= max) {
                matched = true;
                if (!other.matched[slot]) {
                    other.matched[slot] = true;
                    other.changed(slot); // a checkpoint writes the row again: an outer row that matched is not written alone
                }
                emitPair(side, b, row, t, other, slot);
            }
        }
        return matched;
    }

    private void late(RecordBatch b, int row, long t, long w) {
        metrics.addLate(1);
        if (lateToDeadLetter) {
            String why = "late record: event time " + io.velo.types.Values.formatTimestamp(t) + " is behind the interval join's watermark "
                    + io.velo.types.Values.formatTimestamp(w);
            if (b.partitioned) {
                errors.handler().onKafkaLate(b.sourceName, b.partition[row], b.offset[row], b.key[row], b.raw[row], why);
            } else {
                errors.handler().onLate(b.sourceName, b.offset[row], b.raw[row], why);
            }
        }
    }

    /** Frees every kept row that can match nothing more, writing an outer side's unmatched ones: the left's first, then the right's. */
    private void evict() {
        long w = current();
        for (int side = LEFT; side <= RIGHT; side++) {
            Side s = sides[side];
            while (s.top() < w) { // Long.MAX_VALUE when the side keeps no row
                int slot = s.pop();
                if (s.outer && !s.matched[slot]) {
                    emitKept(side, slot);
                }
                s.remove(slot);
            }
        }
    }

    @Override
    public void finish(int side) {
        if (finished || ended[side]) {
            return;
        }
        ended[side] = true;
        // an ended side has no more rows: the join's watermark is the other side's from now on
        watermark.advance(side, Long.MAX_VALUE);
        if (!ended[1 - side]) {
            evict();
            flush();
            return;
        }
        finished = true;
        for (int s = LEFT; s <= RIGHT; s++) {
            Side st = sides[s];
            while (st.any()) {
                int slot = st.pop();
                if (st.outer && !st.matched[slot]) {
                    emitKept(s, slot);
                }
                st.remove(slot);
            }
        }
        flush();
        next.finish();
    }

    @Override
    public void watermark(int side, long wm) {
        if (!finished && !ended[side] && watermark.advance(side, wm) != Long.MIN_VALUE) {
            evict();
            flush();
        }
    }

    @Override
    public boolean done() {
        return next.done();
    }

    // ------------------------------------------------------------------ checkpoints

    private boolean tracking;
    /** Arrival numbers of rows in the log that left since the last checkpoint. */
    private long[] deletedRows = new long[16];
    private int deletedCount;
    private static final byte KEY_PREFIX = 3;

    private void deleted(long arrivalNo) {
        if (deletedCount == deletedRows.length) {
            deletedRows = Arrays.copyOf(deletedRows, deletedRows.length * 2);
        }
        deletedRows[deletedCount++] = arrivalNo;
    }

    private static byte[] rowKey(long arrivalNo) {
        byte[] k = new byte[9];
        k[0] = KEY_PREFIX;
        for (int i = 0; i < 8; i++) {
            k[1 + i] = (byte) (arrivalNo >>> (56 - 8 * i));
        }
        return k;
    }

    private static final byte[] META_KEY = {KEY_PREFIX};

    @Override
    public void enableCheckpoints() {
        if (seq > 0) {
            throw new IllegalStateException("enableCheckpoints after the first row");
        }
        tracking = true;
    }

    /** Writes the rows kept or changed since the last checkpoint, deletes those that left, and the watermarks. */
    @Override
    public void checkpoint(io.velo.exec.state.StateLog log) {
        flush(); // the rows the join wrote so far belong to this commit
        io.velo.exec.state.StateOut out = new io.velo.exec.state.StateOut();
        for (int i = 0; i < deletedCount; i++) {
            log.put(rowKey(deletedRows[i]), null);
        }
        deletedCount = 0;
        for (int side = LEFT; side <= RIGHT; side++) {
            Side s = sides[side];
            for (int i = 0; i < s.dirtyCount; i++) {
                int slot = s.dirtyList[i];
                if (!s.dirty[slot]) {
                    continue; // left since, or listed twice
                }
                s.dirty[slot] = false;
                s.persisted[slot] = true;
                out.reset();
                out.writeByte(side).writeLong(s.time[slot]).writeLong(s.offsets[slot]).writeBoolean(s.matched[slot]);
                for (int k = 0; k < s.keys.length; k++) {
                    if (!s.keyInCols[k]) {
                        io.velo.exec.state.CellCodec.write(s.keys[k], slot, out);
                    }
                }
                for (int c : s.held) {
                    io.velo.exec.state.CellCodec.write(s.cols[c], slot, out);
                }
                log.put(rowKey(s.arrival[slot]), out.toBytes());
            }
            s.dirtyCount = 0;
        }
        out.reset();
        out.writeInt(sides[LEFT].held.length).writeInt(sides[RIGHT].held.length).writeLong(seq)
                .writeLong(watermark.side(LEFT)).writeLong(watermark.side(RIGHT)).writeLong(watermark.current());
        log.put(META_KEY.clone(), out.toBytes());
    }

    /** Keeps the checkpointed rows again, in arrival order (a fresh operator, before the first row). */
    @Override
    public void restore(java.util.Map<io.velo.exec.state.StateKey, byte[]> entries) {
        byte[] meta = entries.get(new io.velo.exec.state.StateKey(META_KEY));
        if (meta == null) {
            return;
        }
        io.velo.exec.state.StateIn m = new io.velo.exec.state.StateIn(meta);
        int heldLeft = m.readInt();
        int heldRight = m.readInt();
        if (heldLeft != sides[LEFT].held.length || heldRight != sides[RIGHT].held.length) {
            throw new IllegalStateException("the checkpointed join state holds " + heldLeft + " and " + heldRight
                    + " columns of the two streams, this query " + sides[LEFT].held.length + " and " + sides[RIGHT].held.length
                    + ": the query changed since the checkpoint (use a new changelog topic)");
        }
        long restoredSeq = m.readLong();
        long wl = m.readLong();
        long wr = m.readLong();
        long wc = m.readLong();
        java.util.List<long[]> rows = new java.util.ArrayList<>(); // arrival, index into values
        java.util.List<byte[]> values = new java.util.ArrayList<>();
        for (var e : entries.entrySet()) {
            byte[] k = e.getKey().bytes();
            if (k.length != 9 || k[0] != KEY_PREFIX || e.getValue() == null) {
                continue;
            }
            long a = 0;
            for (int i = 1; i < 9; i++) {
                a = (a << 8) | (k[i] & 0xFF);
            }
            rows.add(new long[] {a, values.size()});
            values.add(e.getValue());
        }
        rows.sort((x, y) -> Long.compare(x[0], y[0]));
        int[][] slots = {new int[rows.size()], new int[rows.size()]};
        int[] counts = new int[2];
        for (long[] r : rows) {
            io.velo.exec.state.StateIn in = new io.velo.exec.state.StateIn(values.get((int) r[1]));
            int side = in.readByte();
            Side s = sides[side];
            int slot = s.restoreRow(in, r[0]);
            slots[side][counts[side]++] = slot;
        }
        for (int side = LEFT; side <= RIGHT; side++) {
            Side s = sides[side];
            int n = counts[side];
            int[] gids = new int[n];
            groups.assign(s.keys, slots[side], n, gids);
            for (int i = 0; i < n; i++) {
                s.append(slots[side][i], gids[i]);
                s.enqueue(slots[side][i]);
            }
        }
        seq = restoredSeq;
        watermark.restore(wl, wr, wc);
    }

    // ------------------------------------------------------------------ output

    private RecordBatch out() {
        if (out == null) {
            out = acquire();
        } else if (out.isFull()) {
            push();
            out = acquire();
        }
        return out;
    }

    /** An output batch whose columns of the columns not held are NULL throughout (the rows leave them alone). */
    private RecordBatch acquire() {
        RecordBatch o = pool.acquire();
        for (Side s : sides) {
            for (int c : s.dropped) {
                Column col = o.columns[s.offset + c];
                Arrays.fill(col.nulls, true);
                if (col.objects != null) {
                    Arrays.fill(col.objects, null);
                }
                if (col.anyBig) {
                    Arrays.fill(col.bigs, null);
                }
            }
        }
        return o;
    }

    private void push() {
        RecordBatch o = out;
        out = null;
        try {
            next.push(o);
        } finally {
            o.release();
        }
    }

    private void flush() {
        if (out != null && out.size > 0) {
            push();
        }
    }

    /** A matched pair: the arriving row (of {@code side}) and a kept row of the other side. */
    private void emitPair(int side, RecordBatch b, int row, long t, Side other, int slot) {
        RecordBatch o = out();
        int at = o.size++;
        Side s = sides[side];
        s.copyIn(o, b, row, at);
        other.copyOut(o, slot, at);
        system(o, at, Math.max(t, other.time[slot]), b.offset[row]);
        o.sourceName = b.sourceName;
    }

    /** An arriving row of an outer side that can match nothing (its key is NULL). */
    private void emitAlone(int side, RecordBatch b, int row, long t) {
        RecordBatch o = out();
        int at = o.size++;
        Side s = sides[side];
        Side other = sides[1 - side];
        s.copyIn(o, b, row, at);
        other.nulls(o, at);
        system(o, at, t, b.offset[row]);
        o.sourceName = b.sourceName;
    }

    /** A kept row of an outer side that matched nothing while it was kept. */
    private void emitKept(int side, int slot) {
        RecordBatch o = out();
        int at = o.size++;
        Side s = sides[side];
        Side other = sides[1 - side];
        s.copyOut(o, slot, at);
        other.nulls(o, at);
        system(o, at, s.time[slot], s.offsets[slot]);
    }

    private static void system(RecordBatch o, int at, long eventTime, long offset) {
        o.eventTime[at] = eventTime;
        o.timestamp[at] = eventTime;
        o.offset[at] = offset;
        o.partition[at] = 0;
        o.key[at] = null;
        o.raw[at] = null;
        o.headers[at] = null;
    }

    // ------------------------------------------------------------------ state

    private void ensureScratch(int capacity, int n) {
        if (failedScratch.length < capacity) {
            failedScratch = new boolean[capacity];
        }
        if (rowsScratch.length < n) {
            rowsScratch = new int[Math.max(n, 16)];
            gidScratch = new int[Math.max(n, 16)];
        }
    }

    /**
     * Rebuilds the key table from the kept rows when most of its keys have none left (a stream of ever
     * new keys must not grow it for good); each key's rows keep their order.
     */
    private void maybeCompact() {
        int keys = groups.size();
        int kept = stateRows();
        if (keys < 4096 || keys <= 2 * kept) {
            return;
        }
        groups.clear();
        // each side's kept rows in the order of their old lists, keyed again in one pass of the table
        // (one key, one group: a list rebuilt by appending in that order keeps its order)
        int oldKeys = keys;
        for (int side = LEFT; side <= RIGHT; side++) {
            Side s = sides[side];
            if (compactSlots.length < s.live) {
                compactSlots = new int[s.live];
                compactGids = new int[s.live];
            }
            int n = 0;
            int groupsOfSide = Math.min(oldKeys, s.head.length);
            for (int g = 0; g < groupsOfSide; g++) {
                for (int slot = s.head[g]; slot >= 0; slot = s.next[slot]) {
                    compactSlots[n++] = slot;
                }
            }
            s.resetLists();
            groups.assign(s.keys, compactSlots, n, compactGids);
            for (int i = 0; i < n; i++) {
                s.append(compactSlots[i], compactGids[i]);
            }
        }
    }

    private int[] compactSlots = new int[0];
    private int[] compactGids = new int[0];

    /** One side's kept rows. */
    private final class Side {
        final Schema schema;
        final Eval[] keyEvals;
        final int[] keyColumn;
        final int timeColumn;
        final boolean outer;
        /** Where the side's columns start in the output. */
        final int offset;
        final int width;
        final Column[] scratch;
        final Column[] probeCols;
        /** The indices of the columns held (all unless {@link #keep} narrowed them), and of the others. */
        int[] held;
        int[] dropped = new int[0];
        /** The held columns' values, by column index (null for a column not held). */
        Column[] cols;
        /** Whether every key part is a plain column (no key can fail to evaluate). */
        final boolean plainKeys;
        /** Key parts that are a held column, whose values the state reads from {@link #cols}. */
        boolean[] keyInCols;
        Column[] keys;
        long[] time = new long[0];
        long[] arrival = new long[0];
        long[] offsets = new long[0];
        boolean[] matched = new boolean[0];
        int[] next = new int[0];
        int[] prev = new int[0];
        int[] gidOf = new int[0];
        /** First and last slot of each group's list, -1 when none. */
        int[] head = new int[0];
        int[] tail = new int[0];
        int capacity;
        int used;
        int[] free = new int[16];
        int freeCount;
        int live;
        /** A min-heap of slots by (time, arrival). */
        int[] heap = new int[16];
        int heapSize;

        Side(Schema schema, Eval[] keyEvals, int timeColumn, boolean outer, int offset) {
            this.schema = schema;
            this.keyEvals = keyEvals;
            this.keyColumn = new int[keyEvals.length];
            for (int k = 0; k < keyEvals.length; k++) {
                keyColumn[k] = keyEvals[k] instanceof ColumnEval c ? c.index : -1;
            }
            this.timeColumn = timeColumn;
            this.outer = outer;
            this.offset = offset;
            this.width = schema.size();
            this.scratch = new Column[keyEvals.length];
            this.probeCols = new Column[keyEvals.length];
            this.held = new int[width];
            for (int c = 0; c < width; c++) {
                held[c] = c;
            }
            boolean plain = true;
            for (int c : keyColumn) {
                plain &= c >= 0;
            }
            this.plainKeys = plain;
            this.keyInCols = new boolean[keyEvals.length];
            for (int k = 0; k < keyEvals.length; k++) {
                keyInCols[k] = keyColumn[k] >= 0;
            }
            grow(16);
        }

        void keep(boolean[] keep) {
            if (keep == null) {
                return;
            }
            if (keep.length != width) {
                throw new IllegalArgumentException("keep " + keep.length + " columns of " + width);
            }
            int h = 0;
            for (boolean k : keep) {
                h += k ? 1 : 0;
            }
            held = new int[h];
            dropped = new int[width - h];
            for (int c = 0, i = 0, j = 0; c < width; c++) {
                if (keep[c]) {
                    held[i++] = c;
                } else {
                    dropped[j++] = c;
                    cols[c] = null;
                }
            }
            for (int k = 0; k < keyEvals.length; k++) {
                keyInCols[k] = keyColumn[k] >= 0 && keep[keyColumn[k]];
                keys[k] = keyInCols[k] ? cols[keyColumn[k]] : new Column(keyEvals[k].type, capacity);
            }
        }

        /** Writes an arriving row's columns into output row {@code at} (the columns not held as NULL). */
        void copyIn(RecordBatch o, RecordBatch b, int row, int at) {
            final Column[] oc = o.columns;
            final Column[] bc = b.columns;
            for (int c : held) {
                oc[offset + c].copyFrom(bc[c], row, at);
            }
        }

        /** Writes kept row {@code slot}'s columns into output row {@code at}. */
        void copyOut(RecordBatch o, int slot, int at) {
            final Column[] oc = o.columns;
            for (int c : held) {
                oc[offset + c].copyFrom(cols[c], slot, at);
            }
        }

        /** This side's columns of output row {@code at}, all NULL (those not held are NULL already). */
        void nulls(RecordBatch o, int at) {
            for (int c : held) {
                o.columns[offset + c].setNull(at);
            }
        }

        /** The key columns of the batch's live rows: plain columns where they are, computed keys into scratch; failed rows marked. */
        Column[] keyColumns(RecordBatch b, int n, boolean[] failed, RowErrors errors) {
            for (int i = 0; i < n; i++) {
                failed[b.liveRow(i)] = false;
            }
            for (int k = 0; k < keyEvals.length; k++) {
                if (keyColumn[k] >= 0) {
                    probeCols[k] = b.columns[keyColumn[k]];
                    continue;
                }
                Column c = scratch[k];
                if (c == null || c.nulls.length < b.capacity) {
                    c = scratch[k] = new Column(keyEvals[k].type, Math.max(b.capacity, 16));
                }
                Eval e = keyEvals[k];
                for (int i = 0; i < n; i++) {
                    int row = b.liveRow(i);
                    if (failed[row]) {
                        continue;
                    }
                    try {
                        e.eval(b, row);
                        e.writeTo(c, row);
                    } catch (RecordError | ArithmeticException ex) {
                        failed[row] = true;
                        errors.fail(b, row, ex);
                    }
                }
                probeCols[k] = c;
            }
            return probeCols;
        }

        private void grow(int cap) {
            Column[] grown = new Column[width];
            Column[] grownKeys = new Column[keyEvals.length];
            for (int c : held) {
                grown[c] = new Column(schema.field(c).type(), cap);
                if (cols != null) {
                    grown[c].gatherFrom(cols[c], null, used);
                }
            }
            for (int k = 0; k < keyEvals.length; k++) {
                if (keyInCols[k]) {
                    grownKeys[k] = grown[keyColumn[k]]; // a key that is a held column is read from it
                    continue;
                }
                grownKeys[k] = new Column(keyEvals[k].type, cap);
                if (keys != null) {
                    grownKeys[k].gatherFrom(keys[k], null, used);
                }
            }
            cols = grown;
            keys = grownKeys;
            time = Arrays.copyOf(time, cap);
            arrival = Arrays.copyOf(arrival, cap);
            offsets = Arrays.copyOf(offsets, cap);
            matched = Arrays.copyOf(matched, cap);
            next = Arrays.copyOf(next, cap);
            prev = Arrays.copyOf(prev, cap);
            gidOf = Arrays.copyOf(gidOf, cap);
            dirty = Arrays.copyOf(dirty, cap);
            persisted = Arrays.copyOf(persisted, cap);
            capacity = cap;
        }

        void insert(RecordBatch b, int row, Column[] keyCols, long t, long arrivalNo, boolean isMatched, int gid) {
            if (freeCount == 0 && used == capacity) {
                grow(capacity * 2);
            }
            int slot = freeCount > 0 ? free[--freeCount] : used++;
            final Column[] bc = b.columns;
            for (int c : held) {
                cols[c].copyFrom(bc[c], row, slot);
            }
            for (int k = 0; k < keys.length; k++) {
                if (!keyInCols[k]) {
                    keys[k].copyFrom(keyCols[k], row, slot);
                }
            }
            time[slot] = t;
            arrival[slot] = arrivalNo;
            offsets[slot] = b.offset[row];
            matched[slot] = isMatched;
            append(slot, gid);
            live++;
            enqueue(slot);
            if (tracking) {
                persisted[slot] = false;
                changed(slot);
            }
        }

        /** Keeps a checkpointed row in a new slot (listed and queued by the caller, in arrival order); returns its slot. */
        int restoreRow(io.velo.exec.state.StateIn in, long arrivalNo) {
            if (freeCount == 0 && used == capacity) {
                grow(capacity * 2);
            }
            int slot = freeCount > 0 ? free[--freeCount] : used++;
            time[slot] = in.readLong();
            offsets[slot] = in.readLong();
            matched[slot] = in.readBoolean();
            arrival[slot] = arrivalNo;
            for (int k = 0; k < keys.length; k++) {
                if (!keyInCols[k]) {
                    io.velo.exec.state.CellCodec.read(in, keys[k], slot);
                }
            }
            for (int c : held) {
                io.velo.exec.state.CellCodec.read(in, cols[c], slot);
            }
            persisted[slot] = true;
            live++;
            return slot;
        }

        /** Notes that kept row {@code slot} is to be written at the next checkpoint. */
        void changed(int slot) {
            if (!tracking || dirty[slot]) {
                return;
            }
            dirty[slot] = true;
            if (dirtyCount == dirtyList.length) {
                dirtyList = Arrays.copyOf(dirtyList, dirtyList.length * 2);
            }
            dirtyList[dirtyCount++] = slot;
        }

        /** Checkpoint tracking: rows changed since the last checkpoint, and whether a slot's row is in the log. */
        boolean[] dirty = new boolean[0];
        boolean[] persisted = new boolean[0];
        int[] dirtyList = new int[16];
        int dirtyCount;

        /** Appends {@code slot} to the end of group {@code gid}'s list. */
        void append(int slot, int gid) {
            if (gid >= head.length) {
                int cap = Math.max(16, Math.max(gid + 1, head.length * 2));
                int old = head.length;
                head = Arrays.copyOf(head, cap);
                tail = Arrays.copyOf(tail, cap);
                Arrays.fill(head, old, cap, -1);
                Arrays.fill(tail, old, cap, -1);
            }
            gidOf[slot] = gid;
            next[slot] = -1;
            prev[slot] = tail[gid];
            if (tail[gid] >= 0) {
                next[tail[gid]] = slot;
            } else {
                head[gid] = slot;
            }
            tail[gid] = slot;
        }

        void resetLists() {
            Arrays.fill(head, -1);
            Arrays.fill(tail, -1);
        }

        /** Takes {@code slot} out of its key's list and frees it (it is off the heap already). */
        void remove(int slot) {
            if (tracking) {
                if (persisted[slot]) {
                    deleted(arrival[slot]);
                }
                dirty[slot] = false;
                persisted[slot] = false;
            }
            int g = gidOf[slot];
            int p = prev[slot];
            int nx = next[slot];
            if (p >= 0) {
                next[p] = nx;
            } else {
                head[g] = nx;
            }
            if (nx >= 0) {
                prev[nx] = p;
            } else {
                tail[g] = p;
            }
            for (Column c : cols) {
                if (c != null && c.objects != null) {
                    c.setNull(slot); // drops the references (text) the slot held
                }
            }
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = slot;
            live--;
        }

        /** The time at which the first row to leave does (Long.MAX_VALUE when none is kept), kept up to date by enqueue and pop. */
        private long nextLeave = Long.MAX_VALUE;

        /** The time at which the first row leaves: the left's when t + hi passes W, the right's when t − lo does. */
        long top() {
            return nextLeave;
        }

        private long leave(int slot) {
            return this == sides[LEFT] ? saturatedAdd(time[slot], hi) : saturatedAdd(time[slot], -lo);
        }

        private boolean before(int a, int b) {
            return time[a] < time[b] || (time[a] == time[b] && arrival[a] < arrival[b]);
        }

        void heapPush(int slot) {
            if (heapSize == heap.length) {
                heap = Arrays.copyOf(heap, heap.length * 2);
            }
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(slot, heap[parent])) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = slot;
        }

        /**
         * Rows leave in (time, arrival) order. Most arrive in that order already: they queue in a ring
         * in arrival order, and only a row earlier than the ring's last goes into the heap, so the
         * common row costs no heap work; the next to leave is the earlier of the ring's head and the
         * heap's top.
         */
        private int[] ring = new int[16];
        private int ringHead;
        private int ringSize;

        void enqueue(int slot) {
            nextLeave = Math.min(nextLeave, leave(slot)); // a later time never leaves earlier
            if (ringSize > 0 && before(slot, ring[(ringHead + ringSize - 1) & (ring.length - 1)])) {
                heapPush(slot);
                return;
            }
            if (ringSize == ring.length) {
                int[] r = new int[ring.length * 2];
                for (int i = 0; i < ringSize; i++) {
                    r[i] = ring[(ringHead + i) & (ring.length - 1)];
                }
                ring = r;
                ringHead = 0;
            }
            ring[(ringHead + ringSize++) & (ring.length - 1)] = slot;
        }

        boolean any() {
            return ringSize > 0 || heapSize > 0;
        }

        private boolean ringFirst() {
            return heapSize == 0 || (ringSize > 0 && before(ring[ringHead], heap[0]));
        }

        int first() {
            return ringFirst() ? ring[ringHead] : heap[0];
        }

        int pop() {
            int slot;
            if (ringFirst()) {
                slot = ring[ringHead];
                ringHead = (ringHead + 1) & (ring.length - 1);
                ringSize--;
            } else {
                slot = heapPop();
            }
            nextLeave = any() ? leave(first()) : Long.MAX_VALUE;
            return slot;
        }

        private int heapPop() {
            int top = heap[0];
            int last = heap[--heapSize];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= heapSize) {
                    break;
                }
                if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!before(heap[child], last)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            if (heapSize > 0) {
                heap[i] = last;
            }
            return top;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }
}
