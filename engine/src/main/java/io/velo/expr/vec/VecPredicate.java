package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.BatchPredicate;

/**
 * Any BOOLEAN condition as a batch predicate: its vector is computed for the selection, then a
 * branch-free selection loop writes every row and advances past the TRUE ones. Failed rows go to
 * {@link BatchPredicate.Errors} in row order and are left out.
 */
public final class VecPredicate extends BatchPredicate {
    private final VecExpr condition;
    private final Failures failures = new Failures();

    public VecPredicate(VecExpr condition) {
        if (condition.type.kind != io.velo.types.DataType.Kind.BOOLEAN) {
            throw new IllegalArgumentException("a condition is BOOLEAN, got " + condition.type);
        }
        this.condition = condition;
    }

    @Override
    public int select(RecordBatch b, int[] in, int n, int[] out, Errors errors) {
        final Failures f = failures;
        f.reset(VecExpr.capacity(b));
        Column c = condition.eval(b, in, n, f);
        final long[] v = c.longs;
        final boolean[] nulls = c.nulls;
        int k = 0;
        if (f.count() == 0) {
            if (in == null) {
                for (int r = 0; r < n; r++) {
                    out[k] = r;
                    k += !nulls[r] & v[r] != 0 ? 1 : 0;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int r = in[i];
                    out[k] = r;
                    k += !nulls[r] & v[r] != 0 ? 1 : 0;
                }
            }
            return k;
        }
        for (int i = 0; i < n; i++) {
            int r = in == null ? i : in[i];
            if (f.failed(r)) {
                errors.fail(b, r, f.error(r));
                continue;
            }
            out[k] = r;
            k += !nulls[r] & v[r] != 0 ? 1 : 0;
        }
        return k;
    }
}
