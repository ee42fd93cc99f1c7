package io.velo.exec;

import io.velo.batch.RecordBatch;

/**
 * An operator with two inputs (a join): batches, ends and watermarks arrive per side. The chain of
 * each input ends in {@link #input(int)}, which feeds that side. As an {@link Operator} it is its
 * left input, and finishes when both sides did; its watermark is the earlier of its two inputs'
 * ({@link TwoInputWatermark}).
 */
public interface TwoInputOperator extends Operator {
    int LEFT = 0;
    int RIGHT = 1;

    /** A batch of {@code side}'s rows, owned by the caller as in {@link Operator#push}. */
    void push(int side, RecordBatch batch);

    /** End of {@code side}'s input; the operator flushes its state once both sides ended. */
    void finish(int side);

    /** {@code side}'s watermark reached {@code wm}; the default ignores it. */
    default void watermark(int side, long wm) {
    }

    @Override
    default void push(RecordBatch batch) {
        push(LEFT, batch);
    }

    @Override
    default void finish() {
        finish(LEFT);
        finish(RIGHT);
    }

    @Override
    default void watermark(long wm) {
        watermark(LEFT, wm);
        watermark(RIGHT, wm);
    }

    /** The end of the chain that feeds {@code side}: pushes, ends and watermarks go to that side. */
    default Operator input(int side) {
        if (side != LEFT && side != RIGHT) {
            throw new IllegalArgumentException("side " + side + " (expected LEFT or RIGHT)");
        }
        TwoInputOperator join = this;
        return new Operator() {
            @Override
            public void push(RecordBatch batch) {
                join.push(side, batch);
            }

            @Override
            public void finish() {
                join.finish(side);
            }

            @Override
            public void watermark(long wm) {
                join.watermark(side, wm);
            }

            @Override
            public boolean done() {
                return join.done();
            }
        };
    }
}
