package io.velo.exec;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.metrics.JobMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * ORDER BY over a bounded input: copies every row, sorts when the input ends (NULLs last ascending,
 * first descending, as in PostgreSQL), then emits in order. The planner rejects it on unbounded input.
 */
public final class SortOperator implements Operator {
    private final Eval[] keys;
    private final boolean[] descending;
    private final BatchPool pool;
    private final Operator next;
    private final JobMetrics metrics;
    private final List<RecordBatch> stored = new ArrayList<>();
    private final List<Object[]> sortKeys = new ArrayList<>();

    public SortOperator(Eval[] keys, boolean[] descending, BatchPool pool, Operator next, JobMetrics metrics) {
        this.metrics = metrics;
        this.keys = keys;
        this.descending = descending;
        this.pool = pool;
        this.next = next;
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            RecordBatch last = stored.isEmpty() ? null : stored.get(stored.size() - 1);
            if (last == null || last.isFull()) {
                last = new RecordBatch(b.schema, pool.batchCapacity(), null);
                stored.add(last);
            }
            int o = last.size++;
            for (int c = 0; c < b.columns.length; c++) {
                last.columns[c].copyFrom(b.columns[c], row, o);
            }
            last.copySystemColumns(b, row, o);
            Object[] k = new Object[keys.length];
            for (int j = 0; j < keys.length; j++) {
                keys[j].eval(b, row);
                k[j] = keys[j].toObject();
            }
            sortKeys.add(k);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void finish() {
        int total = sortKeys.size();
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Comparator<Integer> cmp = (x, y) -> {
            Object[] a = sortKeys.get(x);
            Object[] b = sortKeys.get(y);
            for (int j = 0; j < keys.length; j++) {
                Object u = a[j];
                Object v = b[j];
                int c;
                if (u == null || v == null) {
                    c = u == v ? 0 : (u == null ? 1 : -1);
                    if (descending[j]) {
                        c = -c;
                    }
                } else if (u instanceof BigDecimal) {
                    c = ((BigDecimal) u).compareTo((BigDecimal) v);
                } else {
                    c = ((Comparable) u).compareTo(v);
                }
                if (c != 0) {
                    return descending[j] ? -c : c;
                }
            }
            return Integer.compare(x, y);
        };
        Arrays.sort(order, cmp);
        int cap = pool.batchCapacity();
        RecordBatch out = pool.acquire();
        try {
            for (int i = 0; i < total; i++) {
                int idx = order[i];
                RecordBatch src = stored.get(idx / cap);
                int row = idx % cap;
                int o = out.size++;
                for (int c = 0; c < src.columns.length; c++) {
                    out.columns[c].copyFrom(src.columns[c], row, o);
                }
                out.copySystemColumns(src, row, o);
                if (out.isFull()) {
                    next.push(out);
                    out.reset();
                }
                if (next.done()) {
                    // LIMIT is reached: the rows not emitted yet are beyond it, and counted so
                    metrics.addSkippedAfterLimit(total - i - 1);
                    break;
                }
            }
            if (out.size > 0) {
                next.push(out);
            }
        } finally {
            out.release();
        }
        stored.clear();
        sortKeys.clear();
        next.finish();
    }
}
