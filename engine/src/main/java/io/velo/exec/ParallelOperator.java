package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.metrics.JobMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the middle of a query (filter, aggregation, projection) on several worker threads, each with
 * its own copy of those operators, its own counters and its own output buffer ({@link Collector}); the
 * end of the query (distinct, sort, limit, sink) stays on the calling thread.
 *
 * <p>A stateless stage given a batch its owner lets it hold ({@link RecordBatch#retainable}) runs it
 * whole on one of its lanes (copies of the stage; see the lanes field): push returns at once for a worker's lane, the output
 * reaches the end of the query one cycle later in input order, and {@link #settle} (before a commit)
 * passes on everything pushed so far. Otherwise each pushed batch is shared out and processed by every
 * worker at once (the caller is worker 0), then the workers' outputs go to the end of the query in
 * worker order, so the batch is the caller's again when push returns and a transactional job's commit
 * covers every worker's output of the batches before it.
 * <ul>
 *   <li>Stateless stages: the live rows are cut into contiguous ranges, one per worker; drained in
 *   worker order, the output is exactly one thread's, in the same order. A batch too small to be
 *   worth the hand-over runs on the caller alone.</li>
 *   <li>Stateful stages: each row goes to the worker owning its key's hash ({@link KeyPartitioner}),
 *   so every worker owns its keys' state and no lock is taken on the hot path; each key's rows keep
 *   their order, and the workers' results are merged back into one thread's order by the stream
 *   positions their aggregations tag them with ({@link RecordBatch#order}), so the output is row for
 *   row one thread's. Windowed aggregations get the watermark with the rows ({@link WindowAssigner} runs
 *   here, once, in input order), so every worker closes its windows at the records one thread would.</li>
 * </ul>
 * Workers wait for work by spinning briefly, then parking.
 */
public final class ParallelOperator implements Operator, InFlight {
    /** Live rows below which a stateless batch runs on the caller alone. */
    public static final int MIN_SPLIT = 1024;
    private static final int SPIN = 100_000;

    private final Operator[] heads;
    private final Collector[] collectors;
    private final Operator tail;
    /** One per worker (their key evaluators are the worker's own), or null for a stateless stage. */
    private final KeyPartitioner[] partitioners;
    private final WindowAssigner assigner;
    private final JobMetrics metrics;
    private final JobMetrics[] shards;
    private final int n;
    private final RecordBatch[] views;
    /** Each worker's selection, allocated (and so first written) by that worker. */
    private final int[][] sels;
    private final int[] counts;
    private final Worker[] workers;
    private final Throwable[] failures;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Thread waiter;
    private volatile boolean finishing;
    private volatile boolean closed;
    private volatile boolean started;
    /** Stream position of the next batch's row 0 (see {@link RecordBatch#seqBase}). */
    private long nextSeq;
    /**
     * Whole-batch mode of a stateless stage (a batch whose owner lets it be retained): the stage has
     * {@code m} lanes, each a copy of its operators; batch k since the last {@link #settle} goes whole to
     * lane k % m. Lane 0 is the caller's (it runs the batch within push), the others belong to the worker
     * threads (a worker has two lanes, so it can run one batch while the caller drains the other's
     * output: the caller also runs the end of the query for every batch). A lane's output stays until
     * the lane is next used, and is drained then, after every earlier batch's, so the end of the query
     * sees the batches in input order, one cycle late; push returns at once for a worker's batch.
     */
    private final Lane[] lanes;
    private final int m;
    /** Whole batches handed out so far: never reset, as each worker takes its lanes in turn. */
    private long handed;
    private int outstanding;

    /** One lane's batch in flight: handed/done count its batches (the caller writes one, the lane's thread the other). */
    private static final class Lane {
        volatile long handed;
        volatile long done;
        /** The retained input whose output is not drained yet, and its number; null when none. */
        RecordBatch batch;
        long seq;
        /** The worker thread that runs the lane (null: the caller's lane 0). */
        Worker owner;
    }
    /** Live rows from which a retainable batch of a stateless stage is handed to a worker whole. */
    public static final int MIN_WHOLE = 256;
    /** Batches of the merged output of a partitioned stage. */
    private io.velo.batch.BatchPool mergePool;
    private final int[] cursorBatch;
    private final int[] cursorRow;

    /**
     * @param heads       the first operator of each copy of the stage (a partitioned stage: one per thread; a stateless
     *                    one: its lanes, 2 * threads - 1), ending in {@code collectors[w]}
     * @param threads     the threads running the stage, the caller's included
     * @param partitioners one per worker, or null for a stateless stage (rows are cut into ranges)
     * @param assigner    the window assigner of a windowed aggregation in the workers, or null
     * @param shards      the counters each worker's operators write, folded into {@code metrics} after each batch
     */
    public ParallelOperator(Operator[] heads, Collector[] collectors, Operator tail, KeyPartitioner[] partitioners,
                            WindowAssigner assigner, JobMetrics metrics, JobMetrics[] shards, String jobName, int threads) {
        this.heads = heads;
        this.collectors = collectors;
        this.tail = tail;
        this.partitioners = partitioners;
        this.assigner = assigner;
        this.metrics = metrics;
        this.shards = shards;
        this.m = heads.length;
        this.n = Math.min(m, threads);
        this.views = new RecordBatch[m];
        this.counts = new int[m];
        this.failures = new Throwable[m];
        this.workers = new Worker[n];
        this.sels = new int[m][];
        this.cursorBatch = new int[n];
        this.cursorRow = new int[n];
        for (int w = 1; w < n; w++) {
            workers[w] = new Worker(w, jobName);
        }
        this.lanes = new Lane[m];
        for (int l = 0; l < m; l++) {
            lanes[l] = new Lane();
        }
        if (n > 1) {
            for (int l = 1; l < m; l++) { // lane w (w < n) is worker w's, so the split mode's part w runs on its own lane's operators
                int w = l < n ? l : 1 + (l - n) % (n - 1);
                lanes[l].owner = workers[w];
                workers[w].addLane(l);
            }
        }
    }

    private boolean wholeBatches = true;

    /**
     * Whether retainable batches of a stateless stage may go to the lanes whole (default yes). A job
     * failing a batch (FailBatch) must not: the failure of a batch still on a lane would stop the
     * output of the batches before it, which one thread would have written.
     */
    public ParallelOperator wholeBatches(boolean allowed) {
        this.wholeBatches = allowed;
        return this;
    }

    /** Starts the worker threads now rather than at the first batch (a benchmark meters them from the start). */
    public void startWorkers() {
        if (!started) {
            synchronized (this) {
                if (!started) {
                    for (int w = 1; w < n; w++) {
                        workers[w].start();
                    }
                    started = true;
                }
            }
        }
    }

    /** The ids of the worker threads (the caller's thread is worker 0 and not among them). */
    public long[] workerThreadIds() {
        long[] ids = new long[n - 1];
        for (int w = 1; w < n; w++) {
            ids[w - 1] = workers[w].getId();
        }
        return ids;
    }

    public int workers() {
        return n;
    }

    /** One worker thread: waits for a generation (runs its part, counts down) or for a batch on one of its lanes. */
    private final class Worker extends Thread {
        private final int index;
        /** Its lanes, taken in turn (the caller hands them batches in that order). */
        private int[] myLanes = new int[0];
        private int nextLane;

        void addLane(int l) {
            myLanes = java.util.Arrays.copyOf(myLanes, myLanes.length + 1);
            myLanes[myLanes.length - 1] = l;
        }

        private boolean laneReady() {
            if (myLanes.length == 0) {
                return false;
            }
            Lane ln = lanes[myLanes[nextLane]];
            return ln.handed != ln.done;
        }
        private volatile long generation;
        private long done;
        /**
         * Set by {@link #close}. The spin loop reads only its own worker's fields: a flag on the shared
         * operator, which the calling thread writes every batch, would pull that cache line back and forth.
         */
        private volatile boolean stop;
        /** Set while the worker is (about to be) parked, so the caller unparks only then. */
        private volatile boolean parked;

        Worker(int index, String jobName) {
            super("velo-" + jobName + "-worker-" + index);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                int spins = 0;
                while (generation == done && !laneReady()) {
                    if (stop) {
                        return;
                    }
                    if (++spins < SPIN) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (generation == done && !laneReady() && !stop) { // checked again after the flag: the caller reads the flag after handing over
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (generation != done) {
                    done = generation;
                    work(index);
                    if (remaining.decrementAndGet() == 0) {
                        Thread t = waiter;
                        if (t != null) {
                            LockSupport.unpark(t);
                        }
                    }
                    continue;
                }
                int l = myLanes[nextLane];
                nextLane = (nextLane + 1) % myLanes.length;
                Lane ln = lanes[l];
                try {
                    heads[l].push(views[l]); // prepared by the caller: a view of the whole batch with a copy of its selection
                } catch (Throwable t) {
                    failures[l] = t;
                }
                ln.done = ln.done + 1;
                Thread t = waiter;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }

    /** The batch being shared out, its live rows and their count (partitioned stages: each worker picks its own). */
    private RecordBatch current;
    private int[] liveRows;
    private int liveCount;

    /** Worker {@code w}'s part of the current batch (or of finish). */
    private void work(int w) {
        try {
            if (finishing) {
                heads[w].finish();
            } else {
                RecordBatch v = views[w];
                if (sels[w] == null || sels[w].length < current.capacity) {
                    sels[w] = new int[current.capacity];
                }
                if (partitioners != null) {
                    counts[w] = partitioners[w].select(current, liveRows, liveCount, n, w, sels[w]);
                } else {
                    counts[w] = range(w);
                }
                v.sel = sels[w];
                v.selCount = counts[w];
                heads[w].push(v);
            }
        } catch (Throwable t) {
            failures[w] = t;
        }
    }

    /**
     * Worker {@code w}'s contiguous range of a stateless batch's live rows, written into its own
     * selection by the worker itself: filled by the caller, the selections would cross to the other
     * cores' caches on every batch (tens of KB of freshly written lines).
     */
    private int range(int w) {
        int live = liveCount;
        int chunk = (live + n - 1) / n;
        int from = Math.min(live, w * chunk);
        int to = Math.min(live, from + chunk);
        int[] s = sels[w];
        int[] rows = liveRows;
        if (rows == null) {
            for (int i = from; i < to; i++) {
                s[i - from] = i;
            }
        } else {
            System.arraycopy(rows, from, s, 0, to - from);
        }
        return to - from;
    }

    /** Runs every worker's part (the caller does worker 0's) and waits for all. */
    private void runAll() {
        startWorkers();
        remaining.set(n - 1);
        for (int w = 1; w < n; w++) {
            Worker k = workers[w];
            k.generation++;
            if (k.parked) { // a spinning worker sees the generation itself; only a parked one needs waking
                LockSupport.unpark(k);
            }
        }
        work(0);
        int spins = 0;
        while (remaining.get() > 0) {
            if (++spins < SPIN) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (remaining.get() > 0) {
                    LockSupport.parkNanos(this, 100_000);
                }
                waiter = null;
            }
        }
    }

    @Override
    public void push(RecordBatch b) {
        int live = b.liveCount();
        if (wholeBatches && partitioners == null && b.retainable && live >= MIN_WHOLE && n > 1) {
            pushWhole(b);
            return;
        }
        if (outstanding > 0) {
            drainBefore(b, Long.MAX_VALUE);
        }
        if (partitioners == null && live < MIN_SPLIT) {
            heads[0].push(b);
            drain(1);
            return;
        }
        ensure(b);
        int[] rows = b.sel;
        if (assigner != null) {
            live = assigner.assign(b, rows, live);
            rows = assigner.rows();
        }
        for (int w = 0; w < n; w++) {
            views[w].showColumns(b, identity(b));
            views[w].seqBase = nextSeq;
            if (assigner != null) {
                views[w].windowTimes = assigner.times();
                views[w].watermarks = assigner.after();
                views[w].watermark = assigner.watermark();
                views[w].maxEventTime = assigner.maxEventTime();
            }
            counts[w] = 0;
        }
        current = b;
        liveRows = rows;
        liveCount = live;
        nextSeq += b.capacity;
        runAll();
        current = null;
        liveRows = null;
        drain(n);
    }

    /** A stateless stage's batch, whole, on its lane: after the lane's previous output (and everything before it) is drained. */
    private void pushWhole(RecordBatch b) {
        long seq = handed;
        int l = (int) (seq % m);
        Lane ln = lanes[l];
        if (ln.batch != null) {
            drainBefore(b, ln.seq);
        }
        handed++; // only now: a worker serves its lanes in turn, so a number taken by a batch that never got its lane would stall it
        ensure(b);
        b.retain();
        ln.batch = b;
        ln.seq = seq;
        outstanding++;
        if (l == 0) {
            try {
                heads[0].push(b);
            } catch (Throwable t) {
                failures[0] = t;
            }
            return;
        }
        RecordBatch v = views[l];
        v.showColumns(b, identity(b));
        if (b.sel != null) { // the selection may be an upstream operator's, restored when push returns: copied
            if (sels[l] == null || sels[l].length < b.capacity) {
                sels[l] = new int[b.capacity];
            }
            System.arraycopy(b.sel, 0, sels[l], 0, b.selCount);
            v.sel = sels[l];
            v.selCount = b.selCount;
        }
        startWorkers();
        ln.handed = ln.handed + 1;
        Worker k = ln.owner;
        if (k.parked) {
            LockSupport.unpark(k);
        }
    }

    /**
     * Passes on, in input order, the output of every lane's batch numbered up to {@code last} (waiting
     * for the workers' lanes), releasing those batches. A failure is thrown after the outputs before it;
     * then (as on any exception here) every batch still in flight is waited for and dropped unpassed.
     */
    private void drainThrough(long last) {
        boolean ok = false;
        try {
            while (true) {
                int l = -1;
                for (int i = 0; i < m; i++) {
                    Lane c = lanes[i];
                    if (c.batch != null && c.seq <= last && (l < 0 || c.seq < lanes[l].seq)) {
                        l = i;
                    }
                }
                if (l < 0) {
                    break;
                }
                Lane ln = lanes[l];
                awaitLane(ln);
                metrics.absorb(shards[l]);
                Throwable f = failures[l];
                failures[l] = null;
                rethrow(f);
                pass(collectors[l]);
                releaseLane(l);
            }
            ok = true;
        } finally {
            if (!ok) {
                dropInFlight();
            }
        }
    }

    /**
     * Passes on the lanes' outputs up to {@code last} before batch {@code b} runs. When the rest of the
     * query refuses one of them (a sink outage), {@code b} never runs: its rows count as unwritten, as a
     * refused batch's do (a replay reads them again).
     */
    private void drainBefore(RecordBatch b, long last) {
        try {
            drainThrough(last);
        } catch (RuntimeException | Error e) {
            metrics.addUnwritten(b.liveCount());
            throw e;
        }
    }

    /** Waits for every lane's batch, then drops its output (after an exception: nothing after it is passed on). */
    private void dropInFlight() {
        for (int l = 0; l < m; l++) {
            if (lanes[l].batch != null) {
                awaitLane(lanes[l]);
                metrics.absorb(shards[l]);
                failures[l] = null;
                metrics.addUnwritten(collectors[l].rowsFrom(0)); // read, processed, never passed on: a replay reads them again
                collectors[l].discard();
                releaseLane(l);
            }
        }
    }

    /** Passes a collector's rows on; those after a batch the rest of the query refused (a sink outage) count as unwritten. */
    private void pass(Collector c) {
        try {
            c.drainTo(tail);
        } finally {
            long lost = c.takeLost();
            if (lost > 0) {
                metrics.addUnwritten(lost);
            }
        }
    }

    private void releaseLane(int l) {
        Lane ln = lanes[l];
        RecordBatch b = ln.batch;
        if (b != null) {
            ln.batch = null;
            outstanding--;
            collectors[l].discard();
            b.release();
        }
    }

    private void awaitLane(Lane ln) {
        if (ln.owner == null) {
            return;
        }
        int spins = 0;
        while (ln.done != ln.handed) {
            if (++spins < SPIN) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (ln.done != ln.handed) {
                    LockSupport.parkNanos(this, 100_000);
                }
                waiter = null;
            }
        }
    }

    /**
     * Passes on the output of every batch still on a lane (whole-batch mode), so everything pushed so
     * far has reached the end of the query: before a commit, a watermark, the end of input, or a batch
     * that runs otherwise.
     */
    @Override
    public void settle() {
        if (outstanding > 0) {
            drainThrough(Long.MAX_VALUE);
        }
    }

    /**
     * Drops the output of every batch still on a lane (whole-batch mode), counting its rows as
     * unwritten: before a replay from the last commit, which reads those records again.
     */
    @Override
    public void drop() {
        if (outstanding > 0) {
            dropInFlight();
        }
    }

    private static void rethrow(Throwable first) {
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    private int[] identityMap = new int[0];

    private int[] identity(RecordBatch b) {
        int c = b.columns.length;
        if (identityMap.length != c) {
            identityMap = new int[c];
            for (int i = 0; i < c; i++) {
                identityMap[i] = i;
            }
        }
        return identityMap;
    }

    private void ensure(RecordBatch b) {
        if (views[0] == null) {
            for (int w = 0; w < m; w++) {
                views[w] = RecordBatch.view(b.schema);
            }
        }
    }

    /** Workers' failures first (the first one, as one thread would have stopped there), then their output in worker order. */
    private void drain(int used) {
        for (int w = 0; w < used; w++) {
            metrics.absorb(shards[w]);
        }
        Throwable first = null;
        for (int w = 0; w < m; w++) {
            if (failures[w] != null && first == null) {
                first = failures[w];
            }
            failures[w] = null;
        }
        boolean ok = false;
        try {
            if (partitioners != null) {
                merge(used);
            } else {
                for (int w = 0; w < used; w++) {
                    pass(collectors[w]);
                }
            }
            ok = true;
        } finally {
            for (int w = 0; w < m; w++) {
                if (!ok && partitioners == null) {
                    metrics.addUnwritten(collectors[w].rowsFrom(0)); // the workers' after the one refused: never passed on
                }
                collectors[w].discard();
            }
        }
        rethrow(first);
    }

    /**
     * The workers' outputs of a partitioned stage, merged into one thread's order: each worker's rows
     * are already in that order among themselves (it sees its keys' rows in input order), so a k-way
     * merge by ({@link RecordBatch#orderMajor}, {@link RecordBatch#order}) interleaves them exactly as
     * one thread would have emitted them.
     */
    private void merge(int used) {
        RecordBatch out = null;
        try {
            for (int w = 0; w < used; w++) {
                cursorBatch[w] = 0;
                cursorRow[w] = 0;
            }
            while (true) {
                int best = -1;
                long bestMajor = 0;
                long bestOrder = 0;
                for (int w = 0; w < used; w++) {
                    List<RecordBatch> full = collectors[w].full;
                    while (cursorBatch[w] < full.size() && cursorRow[w] >= full.get(cursorBatch[w]).size) {
                        cursorBatch[w]++;
                        cursorRow[w] = 0;
                    }
                    if (cursorBatch[w] == full.size()) {
                        continue;
                    }
                    RecordBatch src = full.get(cursorBatch[w]);
                    if (!src.ordered) {
                        throw new IllegalStateException("a partitioned stage produced rows without their merge order");
                    }
                    int r = cursorRow[w];
                    long major = src.orderMajor[r];
                    long order = src.order[r];
                    if (best < 0 || major < bestMajor || (major == bestMajor && order < bestOrder)) {
                        best = w;
                        bestMajor = major;
                        bestOrder = order;
                    }
                }
                if (best < 0) {
                    break;
                }
                RecordBatch src = collectors[best].full.get(cursorBatch[best]);
                int r = cursorRow[best]++;
                if (out == null) {
                    if (mergePool == null) {
                        mergePool = new io.velo.batch.BatchPool(src.schema, src.capacity, 4);
                    }
                    out = mergePool.acquire();
                }
                int o = out.size;
                for (int c = 0; c < out.columns.length; c++) {
                    out.columns[c].copyFrom(src.columns[c], r, o);
                }
                out.copySystemColumns(src, r, o);
                out.sourceName = src.sourceName;
                out.partitioned = src.partitioned;
                out.size = o + 1;
                if (out.isFull()) {
                    RecordBatch full = out;
                    out = null;
                    pushMerged(full);
                }
            }
            if (out != null) {
                RecordBatch last = out;
                out = null;
                pushMerged(last);
            }
        } finally {
            if (out != null) {
                out.reset();
                out.release();
            }
        }
    }

    private void pushMerged(RecordBatch b) {
        try {
            tail.push(b);
        } finally {
            b.reset();
            b.release();
        }
    }

    @Override
    public void finish() {
        try {
            settle();
            finishing = true;
            runAll();
            for (int l = n; l < m; l++) { // the lanes beyond the split mode's parts (the workers are idle now)
                try {
                    heads[l].finish();
                } catch (Throwable t) {
                    if (failures[l] == null) {
                        failures[l] = t;
                    }
                }
            }
            drain(m);
            tail.finish();
        } finally {
            close();
        }
    }

    /**
     * A watermark signal: advances the window assigner, passes the signal to every worker's copy of
     * the stage (on the calling thread: between batches the workers are idle), sends on what closing
     * windows emitted, in worker order, then the signal itself.
     */
    @Override
    public void watermark(long wm) {
        settle();
        if (assigner != null) {
            assigner.advance(wm);
        }
        Throwable first = null;
        for (int w = 0; w < m; w++) {
            try {
                heads[w].watermark(wm);
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
            }
        }
        if (first != null) {
            failures[0] = first;
        }
        drain(m);
        tail.watermark(wm);
    }

    /** Stops the worker threads (finish does; a job that fails before finishing may call it too). */
    public void close() {
        closed = true;
        for (int w = 1; w < n; w++) {
            workers[w].stop = true;
            LockSupport.unpark(workers[w]);
        }
    }

    @Override
    public boolean done() {
        return tail.done();
    }

    /**
     * The end of a worker's copy of the stage: copies the rows it is given into batches of its own
     * pool, which {@link #drainTo} later passes on from the calling thread.
     */
    public static final class Collector implements Operator {
        private final BatchPool pool;
        final List<RecordBatch> full = new ArrayList<>();
        private int[] slice = new int[0];
        /**
         * Stateless stages: what a worker passes on is a view of the shared input batch and of its own
         * computed columns, both valid until the stage's push returns — so the collector keeps views
         * (column references and a copy of the selection) instead of copying rows.
         */
        private final boolean views;
        private final List<RecordBatch> kept = new ArrayList<>();
        private final List<int[]> keptSel = new ArrayList<>();
        private int keptCount;

        public Collector(BatchPool pool) {
            this(pool, false);
        }

        /** @param views keep views rather than copies (only for stages whose output outlives the push: stateless ones) */
        public Collector(BatchPool pool, boolean views) {
            this.pool = pool;
            this.views = views;
        }

        private void keepView(RecordBatch b) {
            if (keptCount == kept.size()) {
                kept.add(RecordBatch.view(b.schema));
                keptSel.add(new int[0]);
            }
            RecordBatch v = kept.get(keptCount);
            int[] identity = identityOf(b.columns.length);
            v.showColumns(b, identity);
            if (b.sel != null) {
                int[] s = keptSel.get(keptCount);
                if (s.length < b.selCount) {
                    s = new int[Math.max(b.selCount, b.capacity)];
                    keptSel.set(keptCount, s);
                }
                System.arraycopy(b.sel, 0, s, 0, b.selCount);
                v.sel = s;
                v.selCount = b.selCount;
            }
            keptCount++;
        }

        private int[] identity = new int[0];

        private int[] identityOf(int c) {
            if (identity.length != c) {
                identity = new int[c];
                for (int i = 0; i < c; i++) {
                    identity[i] = i;
                }
            }
            return identity;
        }

        @Override
        public void push(RecordBatch b) {
            if (views) {
                if (b.liveCount() > 0) {
                    keepView(b);
                }
                return;
            }
            int live = b.liveCount();
            int[] rows = b.sel;
            int done = 0;
            while (done < live) {
                RecordBatch o = pool.acquire();
                full.add(o);
                int k = Math.min(live - done, o.capacity);
                int[] part = null;
                if (rows != null || done > 0) {
                    if (slice.length < k) {
                        slice = new int[Math.max(k, b.capacity)];
                    }
                    for (int i = 0; i < k; i++) {
                        slice[i] = rows == null ? done + i : rows[done + i];
                    }
                    part = slice;
                }
                for (int c = 0; c < o.columns.length; c++) {
                    o.columns[c].gatherFrom(b.columns[c], part, k);
                }
                o.gatherSystemColumns(b, part, k);
                if (b.deleted != null) {
                    o.ensureChangeColumns();
                    for (int i = 0; i < k; i++) {
                        int r = part == null ? i : part[i];
                        o.deleted[i] = b.deleted[r];
                        o.group[i] = b.group[r];
                    }
                }
                o.size = k;
                o.sourceName = b.sourceName;
                o.partitioned = b.partitioned;
                done += k;
            }
        }

        /** Passes what was collected on, in order, and returns the batches to the pool. */
        void drainTo(Operator next) {
            int item = 0;
            boolean ok = false;
            try {
                for (; item < keptCount; item++) {
                    next.push(kept.get(item));
                }
                for (RecordBatch b : full) {
                    if (b.size > 0) {
                        next.push(b);
                    }
                    item++;
                }
                ok = true;
            } finally {
                if (!ok) {
                    lost += rowsFrom(item + 1); // the batch that threw is the next operator's to count
                }
                discard();
            }
        }

        /** Rows of a drain that failed, after the batch it failed on (never passed on); reset by the call. */
        long takeLost() {
            long l = lost;
            lost = 0;
            return l;
        }

        private long lost;

        /** The live rows collected, from the {@code item}-th batch on (views first, then copies). */
        long rowsFrom(int item) {
            long rows = 0;
            for (int i = item; i < keptCount; i++) {
                rows += kept.get(i).liveCount();
            }
            for (int i = Math.max(0, item - keptCount); i < full.size(); i++) {
                rows += full.get(i).size;
            }
            return rows;
        }

        void discard() {
            keptCount = 0; // the views are pointed elsewhere when next used
            for (RecordBatch b : full) {
                b.reset();
                b.release();
            }
            full.clear();
        }

        @Override
        public void finish() {
        }
    }
}
