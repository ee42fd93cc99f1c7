package io.velo.exec.agg;

import io.velo.expr.eval.Eval;
import io.velo.types.DataType;

/**
 * The state of one aggregate function for every group, stored column-wise by group id. The argument
 * evaluator has been evaluated for the current row before {@link #add} is called ({@code null} for
 * COUNT(*)). Results are written into a register evaluator of {@link #resultType}.
 */
public abstract class Aggregator {
    public final DataType resultType;
    protected int capacity;

    protected Aggregator(DataType resultType) {
        this.resultType = resultType;
    }

    /** Makes room for group ids below {@code groups}. */
    public final void ensure(int groups) {
        if (groups > capacity) {
            int cap = Math.max(16, capacity * 2);
            while (cap < groups) {
                cap *= 2;
            }
            grow(cap);
            capacity = cap;
        }
    }

    protected abstract void grow(int newCapacity);

    /** Initialises the state of a new (or recycled) group. */
    public abstract void reset(int group);

    /**
     * Throws the RecordError that {@link #add} would throw for this value (an overflowing sum, a
     * string beyond the size limit) without changing any state. The operator asks every aggregate
     * before it adds to any, so a record one aggregate refuses counts in none of them.
     */
    public void check(int group, Eval arg) {
    }

    /**
     * Whether {@link #check} can refuse anything: the operator calls it only on those that can. An
     * aggregator that can refuse must throw from {@link #add} before it changes any state, so that one
     * of them may be added first without a separate check.
     */
    public boolean mayRefuse() {
        return false;
    }

    public abstract void add(int group, Eval arg);

    public abstract void result(int group, Eval out);

    /**
     * Writes group {@code group}'s state for a checkpoint ({@code 'mode' = 'transactional'}): exactly
     * what {@link #readState} needs to continue as if the job had never stopped.
     */
    public abstract void writeState(int group, io.velo.exec.state.StateOut out);

    /** Restores a group's state written by {@link #writeState} (the group has been {@link #ensure}d). */
    public abstract void readState(int group, io.velo.exec.state.StateIn in);

    /** A fresh aggregator of the same kind with empty state (one per window). */
    public abstract Aggregator copyEmpty();

    /** An evaluator that only holds registers; used to carry aggregate results. */
    public static final class Slot extends Eval {
        public Slot(DataType type) {
            super(type);
        }

        @Override
        public void eval(io.velo.batch.RecordBatch batch, int row) {
            // registers are set by the owner
        }
    }
}
