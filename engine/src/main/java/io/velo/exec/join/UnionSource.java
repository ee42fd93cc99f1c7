package io.velo.exec.join;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Source;
import io.velo.connector.spi.SourcePositions;
import io.velo.exec.Operator;
import io.velo.types.Schema;

/**
 * The sources of a {@code UNION ALL}, read as one. Each branch is a query of its own (its source,
 * operators and a sink operator on the one shared sink); the runner polls this source like any other
 * and gets the first branch's rows to push into the first branch's operators, which it holds as the
 * job's pipeline. The other branches' rows this source pushes into their own operators itself, as it
 * reads them ({@link #feedsOperators}).
 *
 * <p>Bounded branches (files) are read one after the other, in the order they are written, each to
 * its end — and finished there (its windows closed, its groups emitted) before the next begins — so
 * the output is the first branch's rows, then the second's, whatever the batch size. When any branch
 * is unbounded (a topic) every poll reads each open branch in turn: rows go on as they come.
 */
public final class UnionSource implements Source {
    private final Source[] sources;
    /** Branch {@code k}'s operators ({@code [0]}: the first branch's, which the runner also holds, behind {@link #first}). */
    private final Operator[] pipelines;
    private final FinishOnce first;
    private final BatchPool[] pools;
    private final boolean[] ended;
    private final boolean bounded;
    private int next;

    /**
     * @param first     the first branch's operators as the job runs them (see {@link #wrap})
     * @param pipelines every branch's operators, {@code [0]} ignored
     * @param capacity  rows per read of each further branch
     */
    public UnionSource(Source[] sources, FinishOnce first, Operator[] pipelines, int capacity) {
        this.sources = sources.clone();
        this.first = first;
        this.pipelines = pipelines.clone();
        this.pipelines[0] = first;
        this.pools = new BatchPool[sources.length];
        for (int k = 1; k < sources.length; k++) {
            pools[k] = new BatchPool(sources[k].schema(), capacity, 2);
        }
        this.ended = new boolean[sources.length];
        boolean all = true;
        for (Source s : sources) {
            all &= s.bounded();
        }
        this.bounded = all;
    }

    /** The first branch's operators, finished once: by this source as the branch ends, or by the runner at the end. */
    public static FinishOnce wrap(Operator pipeline) {
        return new FinishOnce(pipeline);
    }

    /** An operator chain whose {@link #finish} runs once, however often it is called. */
    public static final class FinishOnce implements Operator {
        private final Operator inner;
        private boolean finished;

        FinishOnce(Operator inner) {
            this.inner = inner;
        }

        @Override
        public void push(RecordBatch batch) {
            inner.push(batch);
        }

        @Override
        public void finish() {
            if (!finished) {
                finished = true;
                inner.finish();
            }
        }

        @Override
        public void watermark(long wm) {
            inner.watermark(wm);
        }
    }

    @Override
    public boolean feedsOperators() {
        return true;
    }

    @Override
    public String name() {
        return sources[0].name();
    }

    @Override
    public Schema schema() {
        return sources[0].schema();
    }

    @Override
    public boolean bounded() {
        return bounded;
    }

    @Override
    public void open() {
        int opened = 0;
        try {
            for (; opened < sources.length; opened++) {
                sources[opened].open();
            }
        } catch (RuntimeException | Error e) {
            for (int k = opened - 1; k >= 0; k--) {
                try {
                    sources[k].close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    @Override
    public boolean poll(RecordBatch batch) {
        finishFirstIfEnded();
        // bounded: the first open branch until it ends; unbounded: the open branches in turn, from where the last poll stopped
        for (int tries = sources.length; tries > 0; tries--) {
            int k = bounded ? firstOpen() : nextOpen();
            if (k < 0) {
                break;
            }
            if (k == 0) {
                if (!sources[0].poll(batch)) {
                    end(0);
                }
                if (batch.size > 0) {
                    return true; // the runner pushes it (an ended first branch is finished at the next poll)
                }
                finishFirstIfEnded(); // ended with nothing more to push: finished before any other branch's rows
            } else {
                RecordBatch b = pools[k].acquire();
                int read;
                boolean more;
                try {
                    more = sources[k].poll(b);
                    read = b.size;
                    if (read > 0) {
                        pipelines[k].push(b);
                    }
                } finally {
                    b.release();
                }
                if (!more) {
                    end(k);
                }
                if (read > 0) {
                    return true;
                }
            }
        }
        finishFirstIfEnded();
        return firstOpen() >= 0;
    }

    private int firstOpen() {
        for (int k = 0; k < ended.length; k++) {
            if (!ended[k]) {
                return k;
            }
        }
        return -1;
    }

    private int nextOpen() {
        for (int i = 0; i < ended.length; i++) {
            int k = (next + i) % ended.length;
            if (!ended[k]) {
                next = (k + 1) % ended.length;
                return k;
            }
        }
        return -1;
    }

    /**
     * Branch {@code k} has ended: its operators are finished now, so what it holds (windows, groups)
     * comes out before the next branch's rows. The first branch's last rows are in the batch the
     * runner is about to push: its finish waits for the next poll, or for the runner's at the end.
     */
    private void end(int k) {
        ended[k] = true;
        if (k != 0) {
            pipelines[k].finish();
        } else {
            pendingFirstFinish = true;
        }
    }

    private boolean pendingFirstFinish;

    /** Finishes the first branch once its last batch has gone through (called at the start of each poll). */
    private void finishFirstIfEnded() {
        if (pendingFirstFinish) {
            pendingFirstFinish = false;
            first.finish();
        }
    }

    @Override
    public double progress() {
        double sum = 0;
        for (Source s : sources) {
            double p = s.progress();
            if (p < 0) {
                return -1;
            }
            sum += p;
        }
        return sum / sources.length;
    }

    @Override
    public void limitRecords(int n) {
        for (Source s : sources) {
            s.limitRecords(n);
        }
    }

    @Override
    public void limitTotal(long records) {
        for (Source s : sources) {
            s.limitTotal(records);
        }
    }

    @Override
    public boolean behind() {
        for (Source s : sources) {
            if (s.behind()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean releaseHeldBack() {
        boolean any = false;
        for (Source s : sources) {
            any |= s.releaseHeldBack();
        }
        return any;
    }

    @Override
    public void commit() {
        for (Source s : sources) {
            s.commit();
        }
    }

    @Override
    public SourcePositions positions() {
        return SourcePositions.of(sources);
    }

    @Override
    public void committed() {
        for (Source s : sources) {
            s.committed();
        }
    }

    @Override
    public void onHandOver(Runnable commitNow) {
        for (Source s : sources) {
            s.onHandOver(commitNow);
        }
    }

    @Override
    public void readAlone(String why) {
        for (Source s : sources) {
            s.readAlone(why);
        }
    }

    @Override
    public long waitNanos() {
        return sum(Source::waitNanos);
    }

    @Override
    public long decodeNanos() {
        return sum(Source::decodeNanos);
    }

    /** The sources' figures added up, -1 when none of them keeps it. */
    private long sum(java.util.function.ToLongFunction<Source> figure) {
        long sum = -1;
        for (Source s : sources) {
            long w = figure.applyAsLong(s);
            sum = w < 0 ? sum : Math.max(0, sum) + w;
        }
        return sum;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int k = sources.length - 1; k >= 0; k--) {
            try {
                sources[k].close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(sources[0].describe());
        for (int k = 1; k < sources.length; k++) {
            b.append(" UNION ALL ").append(sources[k].describe());
        }
        return b.toString();
    }
}
