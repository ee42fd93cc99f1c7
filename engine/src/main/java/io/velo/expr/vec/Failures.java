package io.velo.expr.vec;

/**
 * The rows of one batch whose evaluation failed (a record error), with the error each raised:
 * marked by input row, so a node can drop them from its selection before evaluating the next
 * operand. A row fails at most once — the first error is the one the row path raises, because
 * every node evaluates its operands in the row path's order and never evaluates a failed row again.
 * Reused from batch to batch: {@link #reset} clears only the rows marked last time.
 */
public final class Failures {
    private boolean[] failed = new boolean[0];
    private RuntimeException[] errors = new RuntimeException[0];
    private int[] rows = new int[0];
    private int count;

    /** Forgets the previous batch's failures and makes room for row numbers below {@code capacity}. */
    public void reset(int capacity) {
        for (int i = 0; i < count; i++) {
            int r = rows[i];
            failed[r] = false;
            errors[r] = null;
        }
        count = 0;
        if (failed.length < capacity) {
            failed = new boolean[capacity];
            errors = new RuntimeException[capacity];
            rows = new int[capacity];
        }
    }

    /** Marks {@code row} failed with {@code e} (the first error of a row is kept). */
    public void fail(int row, RuntimeException e) {
        if (failed[row]) {
            return;
        }
        failed[row] = true;
        errors[row] = e;
        rows[count++] = row;
    }

    public int count() {
        return count;
    }

    public boolean failed(int row) {
        return failed[row];
    }

    /** The error of a failed row. */
    public RuntimeException error(int row) {
        return errors[row];
    }

    /**
     * Writes the rows of {@code sel[0..n)} (or 0..n-1) that have not failed into {@code into} (which may
     * be {@code sel} itself), in order; returns how many.
     */
    public int compact(int[] sel, int n, int[] into) {
        final boolean[] f = failed;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int r = sel == null ? i : sel[i];
            into[k] = r;
            k += f[r] ? 0 : 1;
        }
        return k;
    }
}
