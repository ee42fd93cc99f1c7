package io.velo.exec;

/**
 * The watermark of an operator with two inputs: the earlier of its inputs' watermarks, since a row
 * of the slower side may still join rows the faster one has moved past. Unknown (Long.MIN_VALUE)
 * until both sides have one.
 */
public final class TwoInputWatermark {
    private final long[] sides = {Long.MIN_VALUE, Long.MIN_VALUE};
    private long combined = Long.MIN_VALUE;

    /**
     * {@code side}'s watermark reached {@code wm} (a side's watermark never goes back): returns the
     * combined watermark if this moved it, else Long.MIN_VALUE.
     */
    public long advance(int side, long wm) {
        if (wm > sides[side]) {
            sides[side] = wm;
        }
        long min = Math.min(sides[TwoInputOperator.LEFT], sides[TwoInputOperator.RIGHT]);
        if (min > combined) {
            combined = min;
            return min;
        }
        return Long.MIN_VALUE;
    }

    /** The combined watermark, Long.MIN_VALUE until both sides have one. */
    public long current() {
        return combined;
    }

    /** Side {@code side}'s own watermark (Long.MIN_VALUE until it has one), for a checkpoint. */
    public long side(int side) {
        return sides[side];
    }

    /** Takes back a checkpointed state: each side's watermark and the combined one. */
    public void restore(long left, long right, long current) {
        sides[TwoInputOperator.LEFT] = left;
        sides[TwoInputOperator.RIGHT] = right;
        combined = current;
    }
}
