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

    // ------------------------------------------------------------------ a batch at a time

    /**
     * Adds live rows of a batch: row {@code rows[i]} (row {@code i} when {@code rows} is null) of
     * {@code arg} (null for COUNT(*)) to group {@code gids[i]}, for {@code i < n}, in row order; the
     * groups have been {@link #ensure}d and new ones {@link #reset}. The default goes one row at a time
     * through {@link #add}; the basic aggregates override it with a loop over the group-id vector. Only
     * called on aggregators that cannot refuse a value, or that promised not to for this batch
     * ({@link #canTakeBatch}).
     */
    public void addBatch(int[] gids, io.velo.batch.Column arg, int[] rows, int n, ColumnRead reader) {
        for (int i = 0; i < n; i++) {
            if (arg != null) {
                reader.at(arg, rows == null ? i : rows[i]);
            }
            add(gids[i], reader);
        }
    }

    /**
     * For an aggregator that {@link #mayRefuse}: whether it can take this batch at all, decided without
     * changing state. An {@link #undoable} aggregator then adds with {@link #tryAddBatch}; any other
     * is promising that {@link #addBatch} will refuse nothing. The default (false) sends the batch a
     * row at a time, so exactly the refused rows fail.
     */
    public boolean canTakeBatch(int[] gids, io.velo.batch.Column arg, int[] rows, int n) {
        return !mayRefuse();
    }

    /** Whether {@link #tryAddBatch} can find a refused row itself and take the batch back. */
    public boolean undoable() {
        return false;
    }

    /**
     * For an {@link #undoable} aggregator: adds the rows as {@link #addBatch} does and returns true,
     * or, when some row would be refused, leaves the state as it was and returns false.
     */
    public boolean tryAddBatch(int[] gids, io.velo.batch.Column arg, int[] rows, int n, ColumnRead reader) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot try a batch");
    }

    /** Takes back a {@link #tryAddBatch} that returned true (another aggregate of the query refused a row of the batch). */
    public void undoBatch(int[] gids, io.velo.batch.Column arg, int[] rows, int n) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot undo a batch");
    }

    /**
     * Writes the results of groups {@code from .. from+n-1} into rows {@code row .. row+n-1} of
     * {@code out}; the default goes through {@link #result} one group at a time.
     */
    public void resultsInto(int from, int n, io.velo.batch.Column out, int row, Slot slot) {
        for (int i = 0; i < n; i++) {
            result(from + i, slot);
            slot.writeTo(out, row + i);
        }
    }

    /** Bytes of per-group state held (capacity, not just the groups in use). */
    public long stateBytes() {
        return 0;
    }

    /** Puts the value of row {@code row} of a column into registers: how a batch reaches {@link #add}. */
    public static final class ColumnRead extends Eval {
        public ColumnRead(DataType type) {
            super(type);
        }

        @Override
        public void eval(io.velo.batch.RecordBatch batch, int row) {
            throw new UnsupportedOperationException("a ColumnRead is set with at(column, row)");
        }

        /** Reads {@code c}'s value at {@code row} into this register set. */
        public void at(io.velo.batch.Column c, int row) {
            if (c.nulls[row]) {
                isNull = true;
                return;
            }
            isNull = false;
            switch (c.type.kind) {
                case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: l = c.longs[row]; break;
                case DOUBLE: d = c.doubles[row]; break;
                case DECIMAL: c.getDecimal(row, dec); break;
                default: o = c.objects[row]; break;
            }
        }
    }

    // ------------------------------------------------------------------ retracting (aggregations over a keyed table)

    /**
     * Whether {@link #remove} is implemented: an aggregation over a keyed table takes a key's replaced
     * row back out of its group, which needs it of every aggregate of the query.
     */
    public boolean canRemove() {
        return false;
    }

    /**
     * This aggregate in a form that can {@link #remove} (an aggregation over a keyed table plans it so),
     * or this one when it can already or never will.
     */
    public Aggregator removable() {
        return this;
    }

    /**
     * Takes a value {@link #add} took before (evaluated into {@code arg}) back out of group {@code g},
     * exactly: the state is then the one the group's other values alone would give.
     */
    public void remove(int g, Eval arg) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot take a value back");
    }

    // ------------------------------------------------------------------ merging (session windows)

    /**
     * Whether {@link #merge} is implemented: a session window that a record bridges to the next one
     * combines the two sessions' states, which needs it of every aggregate of the query.
     */
    public boolean canMerge() {
        return false;
    }

    /**
     * Adds group {@code fg} of {@code from} (an aggregator of the same kind and argument type, possibly
     * this one) into group {@code g}, exactly as if {@code g} had also taken every value {@code fg}
     * took: the result is the one a single group fed both inputs would give (a DECIMAL sum exact, an
     * AVG the exact sum over the summed counts). {@code fg}'s state is left as it was. A merge that
     * cannot be represented (a BIGINT SUM past 64 bits) throws a RecordError before changing anything.
     */
    public void merge(int g, Aggregator from, int fg) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot merge");
    }

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
