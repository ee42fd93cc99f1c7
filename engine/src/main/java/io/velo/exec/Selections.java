package io.velo.exec;

import io.velo.batch.RecordBatch;

/** Passing a batch downstream with a narrower selection vector, restoring the caller's afterwards. */
final class Selections {
    private Selections() {
    }

    /** Pushes {@code b} showing only rows {@code sel[0..count)}; nothing when {@code count} is 0. */
    static void pushSelected(RecordBatch b, int[] sel, int count, Operator next) {
        if (count == 0) {
            return;
        }
        int[] saved = b.sel;
        int savedCount = b.selCount;
        b.sel = sel;
        b.selCount = count;
        try {
            next.push(b);
        } finally {
            b.sel = saved;
            b.selCount = savedCount;
        }
    }
}
