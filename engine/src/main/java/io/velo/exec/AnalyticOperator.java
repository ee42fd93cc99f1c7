package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.Aggregator;
import io.velo.exec.agg.BatchGroups;
import io.velo.exec.agg.RowKeys;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import java.util.ArrayList;
import java.util.List;

/**
 * Analytic functions ({@code f(…) OVER (PARTITION BY … ORDER BY … frame)}) over a stream: every input
 * row gets the values of the query's analytic functions, computed over the rows of its partition in
 * arrival order, and goes on with them appended as extra columns.
 *
 * <p>Arrival order is the order: the rows of a partition must arrive in ascending order of the ORDER
 * BY key (ties in arrival order). A row whose key is below its partition's previous row is out of
 * order and is handled as late ({@code 'late.data.strategy'}: dropped and counted, or dead-lettered);
 * a NULL key fails its row. So the answer is exact for the rows taken and never depends on batching:
 * everything happens a row at a time in input order.
 *
 * <p>A row goes on as soon as its values are known: at once when no function looks ahead; LEAD(x, k)
 * and a ROWS frame ending k FOLLOWING hold it until k more rows of its partition arrived; a RANGE
 * frame ending at the CURRENT ROW (the default with ORDER BY) or n FOLLOWING holds it until a row of
 * its partition with a larger key (larger by more than n) arrived, since later rows may be its peers.
 * When the input ends every held row goes on with what has arrived (LEAD's default where there is no
 * following row). Rows of one partition go on in their order; held rows of different partitions go
 * on in the order they become complete, and at the end in the order their partitions were first seen.
 *
 * <p>State per partition is bounded by the frames: a ring of the rows still needed (the largest
 * look-back of LAG or a frame start, the rows held for look-ahead, the previous row for RANK), and the
 * running aggregates of frames from UNBOUNDED PRECEDING (the existing {@link Aggregator}s, one group
 * per partition). A frame with a bounded start is recomputed from the ring for each row with a
 * scratch copy of its aggregator, so SUM over DECIMAL stays exact and no value is ever subtracted.
 */
public final class AnalyticOperator implements Operator {
    /** What an analytic function computes. */
    public enum Kind { ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, LAG, LEAD, AGGREGATE }

    /**
     * A frame, in rows of the partition (ROWS) or in values of the order key (RANGE). An offset is
     * signed: negative precedes the current row, 0 is the current row (for RANGE: its peers), positive
     * follows it; {@code startUnbounded} is UNBOUNDED PRECEDING. The planner rejects UNBOUNDED
     * FOLLOWING and frames that start after they end.
     */
    public record Frame(boolean range, boolean startUnbounded, long start, long end) {
    }

    /**
     * One analytic function. {@code arg} and {@code dflt} are ring columns ({@link #valueEvals}) of its
     * argument and of LAG/LEAD's default, -1 when it has none; {@code offset} is LAG/LEAD's;
     * {@code aggregator} computes an AGGREGATE over {@code frame}.
     */
    public record Fn(Kind kind, DataType type, int arg, int dflt, long offset, Aggregator aggregator, Frame frame) {
    }

    private final Eval[] partitionKeys;
    private final Eval orderKey;
    private final Eval[] valueEvals;
    private final Fn[] fns;
    private final Schema ringSchema;
    private final int inCols;
    /** Ring column of the order key, or -1 without ORDER BY. */
    private final int keyCol;
    private final DataType.Kind keyKind;
    private final boolean lateToDeadLetter;
    private final BatchPool pool;
    private final Operator next;
    private final RowErrors errors;
    private final JobMetrics metrics;

    private final BatchGroups partitionTable;
    private final RowKeys partitionLookup;
    private final List<Part> parts = new ArrayList<>();
    private final Aggregator[] scratch;
    private final Aggregator.ColumnRead[] readers;
    private final Aggregator.Slot[] slots;
    private final long rowsAhead;
    private final boolean rangeAhead;
    private final long rangeAheadBy;
    private final String orderText;
    private final boolean descending;
    private final boolean ordered;
    /** Ring slots of a buffer's rows ranked before the current one, sorted for DENSE_RANK (and the merge's scratch). */
    private int[] rankSlots = new int[16];
    private int[] rankTmp = new int[16];

    private RecordBatch out;
    private String sourceName;
    private boolean partitioned;
    private long heldRows;

    /**
     * @param partitionKeys PARTITION BY evaluators (none: one partition)
     * @param orderKey      the ORDER BY key's evaluator, or null
     * @param valueEvals    evaluated for each row into ring columns {@code inSchema.size() + i}: the
     *                      functions' arguments and defaults, then the order key last when there is one
     * @param orderText     the ORDER BY key as written, for messages
     * @param pool          batches of the output: the input's columns then one per function
     */
    public AnalyticOperator(Schema inSchema, Eval[] partitionKeys, Eval orderKey, String orderText, Eval[] valueEvals, Fn[] fns,
                            boolean lateToDeadLetter, BatchPool pool, Operator next, RowErrors errors, JobMetrics metrics) {
        this(inSchema, partitionKeys, orderKey, orderText, false, orderKey != null, valueEvals, fns, lateToDeadLetter, pool, next, errors, metrics);
    }

    /**
     * @param descending whether the ORDER BY key ranks descending (only rankings over a buffer may)
     * @param ordered    whether rows must arrive in the key's order (a row out of it is late); false when
     *                   every function ranks over its buffer, which compares keys in any order
     */
    public AnalyticOperator(Schema inSchema, Eval[] partitionKeys, Eval orderKey, String orderText, boolean descending, boolean ordered,
                            Eval[] valueEvals, Fn[] fns, boolean lateToDeadLetter, BatchPool pool, Operator next, RowErrors errors,
                            JobMetrics metrics) {
        this.descending = descending;
        this.ordered = ordered;
        this.partitionKeys = partitionKeys;
        this.orderKey = orderKey;
        this.orderText = orderText;
        this.valueEvals = valueEvals;
        this.fns = fns;
        this.lateToDeadLetter = lateToDeadLetter;
        this.pool = pool;
        this.next = next;
        this.errors = errors;
        this.metrics = metrics;
        this.inCols = inSchema.size();
        List<io.velo.types.Field> wide = new ArrayList<>(inSchema.fields());
        for (int i = 0; i < valueEvals.length; i++) {
            wide.add(new io.velo.types.Field("$value" + i, valueEvals[i].type));
        }
        this.ringSchema = new Schema(wide);
        this.keyCol = orderKey == null ? -1 : inCols + valueEvals.length - 1;
        this.keyKind = orderKey == null ? null : orderKey.type.kind;
        this.partitionLookup = new RowKeys(partitionKeys);
        this.partitionTable = partitionKeys.length == 0 ? null : partitionLookup.newGroups();
        this.scratch = new Aggregator[fns.length];
        this.readers = new Aggregator.ColumnRead[fns.length];
        this.slots = new Aggregator.Slot[fns.length];
        long ahead = 0;
        boolean range = false;
        long rangeBy = Long.MIN_VALUE;
        for (int f = 0; f < fns.length; f++) {
            Fn fn = fns[f];
            slots[f] = new Aggregator.Slot(fn.type());
            if (fn.kind() == Kind.LEAD) {
                ahead = Math.max(ahead, fn.offset());
            }
            if (fn.kind() == Kind.AGGREGATE) {
                readers[f] = new Aggregator.ColumnRead(fn.arg() >= 0 ? valueEvals[fn.arg() - inCols].type : DataType.BIGINT);
                Frame fr = fn.frame();
                if (!fr.startUnbounded()) {
                    scratch[f] = fn.aggregator().copyEmpty();
                    scratch[f].ensure(1);
                }
                if (!fr.range()) {
                    ahead = Math.max(ahead, fr.end());
                } else if (fr.end() >= 0) {
                    range = true;
                    rangeBy = Math.max(rangeBy, fr.end());
                }
            }
        }
        this.rowsAhead = ahead;
        this.rangeAhead = range;
        this.rangeAheadBy = rangeBy;
    }

    /** One partition: a ring of its rows {@code first .. next-1} (by their number in the partition), of which {@code done ..} are held. */
    private final class Part {
        final int id;
        RecordBatch ring;
        int mask;
        long first;
        long next;
        long done;
        long rank;
        long dense;
        /** Per running aggregate: the next row to add to it. */
        final long[] added = new long[fns.length];
        /** Per bounded frame: where the frame of the last row emitted started. */
        final long[] lastStart = new long[fns.length];

        Part(int id) {
            this.id = id;
            this.ring = new RecordBatch(ringSchema, 4, null);
            this.mask = 3;
        }

        int slot(long row) {
            return (int) (row & mask);
        }

        /** Makes room for one more row, doubling the ring when it is full. */
        void ensureRoom() {
            if (next - first < ring.capacity) {
                return;
            }
            RecordBatch bigger = new RecordBatch(ringSchema, ring.capacity * 2, null);
            int newMask = bigger.capacity - 1;
            for (long r = first; r < next; r++) {
                int from = slot(r);
                int to = (int) (r & newMask);
                for (int c = 0; c < ringSchema.size(); c++) {
                    bigger.columns[c].copyFrom(ring.columns[c], from, to);
                }
                bigger.copySystemColumns(ring, from, to);
            }
            ring = bigger;
            mask = newMask;
        }
    }

    @Override
    public void push(RecordBatch b) {
        sourceName = b.sourceName;
        partitioned = b.partitioned;
        int n = b.liveCount();
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            Part p;
            try {
                p = partition(b, row);
                take(p, b, row);
            } catch (RecordError | ArithmeticException e) {
                errors.fail(b, row, e);
                continue;
            }
        }
        flush();
    }

    private Part partition(RecordBatch b, int row) {
        int id = partitionTable == null ? 0 : partitionLookup.findOrInsert(partitionTable, b, row);
        if (id == parts.size()) {
            Part p = new Part(id);
            parts.add(p);
            for (Fn fn : fns) {
                if (fn.kind() == Kind.AGGREGATE && fn.frame().startUnbounded()) {
                    fn.aggregator().ensure(id + 1);
                    fn.aggregator().reset(id);
                }
            }
        }
        return parts.get(id);
    }

    /** Puts row {@code row} of {@code b} into its partition's ring (unless it is out of order) and emits the rows that became complete. */
    private void take(Part p, RecordBatch b, int row) {
        p.ensureRoom();
        int s = p.slot(p.next);
        RecordBatch ring = p.ring;
        for (int v = 0; v < valueEvals.length; v++) {
            Eval e = valueEvals[v];
            e.eval(b, row);
            e.writeTo(ring.columns[inCols + v], s);
        }
        if (keyCol >= 0) {
            if (ring.columns[keyCol].nulls[s]) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "the OVER (ORDER BY " + orderText + ") key is NULL");
            }
            if (ordered && p.next > p.first && compare(ring, s, p.slot(p.next - 1), 0) < 0) {
                outOfOrder(b, row, ring, s, p.slot(p.next - 1));
                return;
            }
        }
        for (int c = 0; c < inCols; c++) {
            ring.columns[c].copyFrom(b.columns[c], row, s);
        }
        ring.copySystemColumns(b, row, s);
        p.next++;
        heldRows++;
        while (p.done < p.next && complete(p, p.done)) {
            emit(p, p.done, false);
        }
        retain(p);
    }

    private void outOfOrder(RecordBatch b, int row, RecordBatch ring, int s, int prev) {
        metrics.addLate(1);
        if (lateToDeadLetter) {
            String why = "out of order for OVER (ORDER BY " + orderText + "): " + ring.columns[keyCol].text(s)
                    + " is before " + ring.columns[keyCol].text(prev) + ", the previous row of its partition";
            if (b.partitioned) {
                errors.handler().onKafkaLate(b.sourceName, b.partition[row], b.offset[row], b.key[row], b.raw[row], why);
            } else {
                errors.handler().onLate(b.sourceName, b.offset[row], b.raw[row], why);
            }
        }
    }

    /** Whether row {@code d} of {@code p} has every row its functions look ahead to. */
    private boolean complete(Part p, long d) {
        long last = p.next - 1;
        if (last - d < rowsAhead) {
            return false;
        }
        return !rangeAhead || compare(p.ring, p.slot(last), p.slot(d), rangeAheadBy) > 0;
    }

    /**
     * Sign of key(a) − (key(b) + offset) for ring slots {@code a} and {@code b}. An offset other than 0
     * only comes with a BIGINT or TIMESTAMP key (the planner sees to it); the sum saturates.
     */
    private int compare(RecordBatch ring, int a, int b, long offset) {
        Column k = ring.columns[keyCol];
        switch (keyKind) {
            case BIGINT: case TIMESTAMP: case DATE: case BOOLEAN: {
                long bound = k.longs[b] + offset;
                if (((k.longs[b] ^ bound) & (offset ^ bound)) < 0) {
                    bound = offset > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
                }
                return Long.compare(k.longs[a], bound);
            }
            case DOUBLE:
                return Double.compare(k.doubles[a], k.doubles[b]);
            case DECIMAL: {
                Dec x = new Dec();
                Dec y = new Dec();
                k.getDecimal(a, x);
                k.getDecimal(b, y);
                return x.toBigDecimal().compareTo(y.toBigDecimal());
            }
            default: {
                @SuppressWarnings({"unchecked", "rawtypes"})
                int c = ((Comparable) k.objects[a]).compareTo(k.objects[b]);
                return Integer.signum(c);
            }
        }
    }

    /** Writes row {@code d} of {@code p} with its functions' values to the output and moves {@code done} past it. */
    private void emit(Part p, long d, boolean ending) {
        if (out == null) {
            out = pool.acquire();
        }
        RecordBatch ring = p.ring;
        int s = p.slot(d);
        int o = out.size;
        for (int c = 0; c < inCols; c++) {
            out.columns[c].copyFrom(ring.columns[c], s, o);
        }
        out.copySystemColumns(ring, s, o);
        p.done = d + 1;
        heldRows--;
        boolean peerOfPrevious = d > 0 && keyCol >= 0 && compare(ring, s, p.slot(d - 1), 0) == 0;
        if (d == 0) {
            p.rank = 1;
            p.dense = 1;
        } else if (!peerOfPrevious) {
            p.rank = d + 1;
            p.dense++;
        }
        try {
            for (int f = 0; f < fns.length; f++) {
                value(p, d, f, ending);
                slots[f].writeTo(out.columns[inCols + f], o);
            }
        } catch (RecordError | ArithmeticException e) {
            out.sourceName = sourceName;
            out.partitioned = partitioned;
            out.size = o + 1;
            errors.fail(out, o, e);
            out.size = o; // the row is reported and left out
            return;
        }
        out.size = o + 1;
        if (out.isFull()) {
            flush();
        }
    }

    /** Computes function {@code f} for row {@code d} of {@code p} into its slot. */
    private void value(Part p, long d, int f, boolean ending) {
        Fn fn = fns[f];
        Aggregator.Slot out = slots[f];
        RecordBatch ring = p.ring;
        if (fn.frame() != null && !fn.frame().startUnbounded() && fn.kind() != Kind.AGGREGATE) {
            bufferRank(p, d, fn, out);
            return;
        }
        switch (fn.kind()) {
            case ROW_NUMBER:
                out.isNull = false;
                out.l = d + 1;
                return;
            case RANK:
                out.isNull = false;
                out.l = p.rank;
                return;
            case DENSE_RANK:
                out.isNull = false;
                out.l = p.dense;
                return;
            case LAG: case LEAD: {
                long r = fn.kind() == Kind.LAG ? d - fn.offset() : d + fn.offset();
                boolean there = r >= 0 && r < p.next;
                if (there) {
                    readInto(out, ring.columns[fn.arg()], p.slot(r));
                } else if (fn.dflt() >= 0) {
                    readInto(out, ring.columns[fn.dflt()], p.slot(d));
                } else {
                    out.isNull = true;
                }
                return;
            }
            default:
                aggregate(p, d, f, ending);
        }
    }

    /**
     * A ranking of row {@code d} among its buffer (the row and the ones before it within the frame's
     * start), by the ORDER BY key ascending or descending: RANK counts the rows ranked before it, ROW_NUMBER
     * also its peers (which all arrived before it), DENSE_RANK the distinct keys ranked before it, and
     * PERCENT_RANK is (RANK − 1) / (rows in the buffer − 1), 0 for a buffer of one row.
     */
    private void bufferRank(Part p, long d, Fn fn, Aggregator.Slot out) {
        long from = Math.max(Math.max(0, p.first), d + fn.frame().start());
        RecordBatch ring = p.ring;
        int cur = p.slot(d);
        long before = 0;
        long peers = 0;
        int kept = 0;
        boolean dense = fn.kind() == Kind.DENSE_RANK;
        if (dense && rankSlots.length < d - from) {
            rankSlots = new int[(int) (d - from)];
            rankTmp = new int[rankSlots.length];
        }
        for (long r = from; r < d; r++) {
            int sr = p.slot(r);
            int c = rankCompare(ring, sr, cur);
            if (c < 0) {
                before++;
                if (dense) {
                    rankSlots[kept++] = sr;
                }
            } else if (c == 0) {
                peers++;
            }
        }
        out.isNull = false;
        switch (fn.kind()) {
            case ROW_NUMBER: out.l = before + peers + 1; return;
            case RANK: out.l = before + 1; return;
            case PERCENT_RANK: {
                long m = d - from + 1;
                out.d = m == 1 ? 0.0 : (double) before / (m - 1);
                return;
            }
            default: {
                sortSlots(ring, 0, kept);
                long distinct = 0;
                for (int i = 0; i < kept; i++) {
                    if (i == 0 || rankCompare(ring, rankSlots[i - 1], rankSlots[i]) != 0) {
                        distinct++;
                    }
                }
                out.l = distinct + 1;
            }
        }
    }

    /** Key order of ring slots {@code a} and {@code b} as the ranking sees it (descending flips it). */
    private int rankCompare(RecordBatch ring, int a, int b) {
        int c = compare(ring, a, b, 0);
        return descending ? -c : c;
    }

    /** Merge sort of {@code rankSlots[from, to)} by key. */
    private void sortSlots(RecordBatch ring, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        sortSlots(ring, from, mid);
        sortSlots(ring, mid, to);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            rankTmp[k++] = rankCompare(ring, rankSlots[i], rankSlots[j]) <= 0 ? rankSlots[i++] : rankSlots[j++];
        }
        while (i < mid) {
            rankTmp[k++] = rankSlots[i++];
        }
        while (j < to) {
            rankTmp[k++] = rankSlots[j++];
        }
        System.arraycopy(rankTmp, from, rankSlots, from, to - from);
    }

    private static void readInto(Eval out, Column c, int row) {
        if (c.nulls[row]) {
            out.isNull = true;
            return;
        }
        out.isNull = false;
        switch (c.type.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: out.l = c.longs[row]; break;
            case DOUBLE: out.d = c.doubles[row]; break;
            case DECIMAL: c.getDecimal(row, out.dec); break;
            default: out.o = c.objects[row]; break;
        }
    }

    /** An aggregate over the frame of row {@code d}: a running one from UNBOUNDED PRECEDING, else recomputed from the ring. */
    private void aggregate(Part p, long d, int f, boolean ending) {
        Fn fn = fns[f];
        Frame fr = fn.frame();
        long end = frameEnd(p, d, fr);
        if (fr.startUnbounded()) {
            Aggregator a = fn.aggregator();
            while (p.added[f] <= end) {
                long r = p.added[f]++;
                add(a, p.id, f, p, r);
            }
            a.result(p.id, slots[f]);
            return;
        }
        long start = frameStart(p, d, f, fr);
        p.lastStart[f] = start;
        Aggregator a = scratch[f];
        a.reset(0);
        for (long r = start; r <= end; r++) {
            add(a, 0, f, p, r);
        }
        a.result(0, slots[f]);
    }

    private void add(Aggregator a, int group, int f, Part p, long r) {
        Aggregator.ColumnRead reader = readers[f];
        int arg = fns[f].arg();
        if (arg >= 0) {
            reader.at(p.ring.columns[arg], p.slot(r));
        }
        a.add(group, reader);
    }

    /** The last row of row {@code d}'s frame among those that arrived (below the first when the frame is empty). */
    private long frameEnd(Part p, long d, Frame fr) {
        long last = p.next - 1;
        if (!fr.range()) {
            return Math.min(d + fr.end(), last);
        }
        int sd = p.slot(d);
        if (fr.end() >= 0) {
            long e = d;
            while (e < last && compare(p.ring, p.slot(e + 1), sd, fr.end()) <= 0) {
                e++;
            }
            return e;
        }
        long e = d;
        while (e >= p.first && compare(p.ring, p.slot(e), sd, fr.end()) > 0) {
            e--;
        }
        return e;
    }

    /** The first row of row {@code d}'s bounded frame. */
    private long frameStart(Part p, long d, int f, Frame fr) {
        if (!fr.range()) {
            return Math.max(0, d + fr.start());
        }
        int sd = p.slot(d);
        long s = Math.max(p.first, p.lastStart[f]); // keys ascend, so a frame never starts before the previous row's
        while (s < p.next && compare(p.ring, p.slot(s), sd, fr.start()) < 0) {
            s++;
        }
        return s;
    }

    /** Forgets the rows of {@code p} that no later row can need. */
    private void retain(Part p) {
        long keep = p.done - 1; // the held rows, the last row (order checks) and the one before the next to emit (its peer?)
        for (int f = 0; f < fns.length; f++) {
            Fn fn = fns[f];
            switch (fn.kind()) {
                case LAG:
                    keep = Math.min(keep, p.done - fn.offset());
                    break;
                case AGGREGATE: {
                    Frame fr = fn.frame();
                    if (fr.startUnbounded()) {
                        keep = Math.min(keep, p.added[f]);
                    } else if (fr.range()) {
                        keep = Math.min(keep, p.lastStart[f]);
                    } else {
                        keep = Math.min(keep, p.done + fr.start());
                    }
                    break;
                }
                default:
                    if (fn.frame() != null && !fn.frame().startUnbounded()) {
                        keep = Math.min(keep, p.done + fn.frame().start()); // a ranking over its buffer
                    }
                    break;
            }
        }
        if (keep > p.first) {
            RecordBatch ring = p.ring;
            for (long r = p.first; r < keep; r++) {
                int s = p.slot(r);
                for (int c = 0; c < ringSchema.size(); c++) {
                    if (ring.columns[c].objects != null) {
                        ring.columns[c].objects[s] = null; // let a forgotten row's text go
                    }
                }
                ring.raw[s] = null;
                ring.key[s] = null;
                ring.headers[s] = null;
            }
            p.first = keep;
        }
    }

    private void flush() {
        if (out == null) {
            return;
        }
        if (out.size > 0) {
            out.sourceName = sourceName;
            out.partitioned = partitioned;
            next.push(out);
        }
        out.release();
        out = null;
    }

    @Override
    public void watermark(long wm) {
        next.watermark(wm);
    }

    /** End of input: every held row goes on, partition by partition in the order they were first seen. */
    @Override
    public void finish() {
        for (Part p : parts) {
            while (p.done < p.next) {
                emit(p, p.done, true);
            }
        }
        flush();
        next.finish();
    }

    @Override
    public boolean done() {
        return next.done();
    }

    /** Rows taken and not yet passed on (held for a look-ahead). */
    public long heldRows() {
        return heldRows;
    }

    /** Rows kept in the partitions' rings (held or still needed by a later row's frame): the state, bounded by the frames. */
    public long keptRows() {
        long n = 0;
        for (Part p : parts) {
            n += p.next - p.first;
        }
        return n;
    }

    /** Partitions seen. */
    public int partitions() {
        return parts.size();
    }
}
