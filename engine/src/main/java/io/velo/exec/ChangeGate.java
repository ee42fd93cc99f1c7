package io.velo.exec;

import io.velo.batch.RecordBatch;
import java.util.Arrays;

/**
 * The end of an EMIT CHANGES aggregation that can retract: remembers which groups the result shows,
 * so a retraction (a row HAVING rejected, or whose result expressions failed, marked
 * {@link RecordBatch#deleted}) goes out only for a group that was shown, once, and a group that
 * passes again reappears. A reader that upserts rows by their key columns and deletes on
 * retractions rebuilds the result table.
 *
 * <p>Groups are named by the aggregation ({@link RecordBatch#group}: window state in the high 32
 * bits, group id in the low), so the state is a bit per group, with no lookup by value.
 */
public final class ChangeGate implements Operator {
    private final Operator next;
    private long[][] shown = new long[1][];
    private int[] sel = new int[0];

    public ChangeGate(Operator next) {
        this.next = next;
    }

    @Override
    public void push(RecordBatch b) {
        int n = b.liveCount();
        if (sel.length < b.capacity) {
            sel = new int[b.capacity];
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            long id = b.group[row];
            long[] bits = bits((int) (id >>> 32), (int) id);
            int g = (int) id;
            long mask = 1L << g;
            boolean was = (bits[g >>> 6] & mask) != 0;
            if (b.deleted[row]) {
                if (!was) {
                    continue; // never shown (or already retracted): nothing to take back
                }
                bits[g >>> 6] &= ~mask;
            } else {
                bits[g >>> 6] |= mask;
            }
            sel[k++] = row;
        }
        if (k == n) {
            next.push(b);
        } else {
            Selections.pushSelected(b, sel, k, next);
        }
    }

    private long[] bits(int window, int g) {
        if (window >= shown.length) {
            shown = Arrays.copyOf(shown, Math.max(window + 1, shown.length * 2));
        }
        long[] bits = shown[window];
        int words = (g >>> 6) + 1;
        if (bits == null || bits.length < words) {
            bits = bits == null ? new long[Math.max(words, 4)] : Arrays.copyOf(bits, Math.max(words, bits.length * 2));
            shown[window] = bits;
        }
        return bits;
    }

    /** Whether the result shows group {@code g} of window state {@code window} (for checkpoints). */
    boolean shows(int window, int g) {
        return window < shown.length && shown[window] != null && (g >>> 6) < shown[window].length
                && (shown[window][g >>> 6] & (1L << g)) != 0;
    }

    /** Marks a group as shown (restored from a checkpoint). */
    void show(int window, int g) {
        long[] bits = bits(window, g);
        bits[g >>> 6] |= 1L << g;
    }

    /** The window's groups are final (it closed) and its state will name other groups next. */
    void forget(int window) {
        if (window < shown.length && shown[window] != null) {
            Arrays.fill(shown[window], 0L);
        }
    }

    /** Group {@code g} of window state {@code window} is gone and its id will name another group next. */
    void forget(int window, int g) {
        if (window < shown.length && shown[window] != null && (g >>> 6) < shown[window].length) {
            shown[window][g >>> 6] &= ~(1L << g);
        }
    }

    @Override
    public void watermark(long wm) {
        next.watermark(wm);
    }

    @Override
    public void finish() {
        next.finish();
    }

    @Override
    public boolean done() {
        return next.done();
    }
}
