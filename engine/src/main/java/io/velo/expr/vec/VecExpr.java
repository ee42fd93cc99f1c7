package io.velo.expr.vec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.util.Arrays;

/**
 * An expression evaluated a column at a time. {@link #eval} computes the value of every row in a
 * selection and returns a {@link Column} holding them at the rows' own (input) positions, so the
 * selection stays valid for the result and a column reference returns the input column itself; the
 * other rows of the result are undefined. A node owns its result column and never writes into a
 * column it was handed (an input column, or another node's result).
 *
 * <p>A row whose evaluation fails (a record error) is marked in the {@link Failures} and is not
 * evaluated further by any node; its result is undefined. Every node evaluates its operands for
 * exactly the rows the row evaluator would (CASE, AND and OR skip what the row path skips), in the
 * same order, so the rows that fail, and their errors, are the row path's.
 *
 * <p>Each node keeps the row evaluator of the same expression ({@link #source}) as its exact path:
 * the fast loop handles the common values without a branch per row and hands the rare rows (BIGINT
 * overflow, decimals promoted past 64 bits, zero divisors, values of an unexpected scale) to
 * {@link #exact}, which evaluates that one row as the row path does, error included. A vector tree
 * belongs to one operator on one thread; the steady state allocates nothing.
 */
public abstract class VecExpr {
    public final DataType type;
    /** The row evaluator of this expression: the exact path for rows the fast loop does not take. */
    protected final Eval source;
    private Column out;
    private int[] live = new int[0];

    protected VecExpr(DataType type, Eval source) {
        this.type = type;
        this.source = source;
    }

    /**
     * Evaluates rows {@code sel[0..n)} (rows 0..n-1 when {@code sel} is null) of {@code b}.
     *
     * @return the values, at the rows' own positions; valid until this node is evaluated again
     */
    public abstract Column eval(RecordBatch b, int[] sel, int n, Failures f);

    /**
     * Whether evaluating this node can fail a row. A node that cannot may be evaluated for more rows
     * than the row path would evaluate it for (its values there are simply not used).
     */
    boolean canFail() {
        return true;
    }

    /** The row evaluator this node was built from. */
    public Eval source() {
        return source;
    }

    /** The rows a batch may address. */
    protected static int capacity(RecordBatch b) {
        return Math.max(b.capacity, b.size);
    }

    /** This node's result column, large enough for {@code b}, with no promoted decimal left from the last batch. */
    protected final Column result(RecordBatch b) {
        int cap = capacity(b);
        Column o = out;
        if (o == null || o.nulls.length < cap) {
            out = o = new Column(type, cap);
        } else if (o.anyBig) {
            Arrays.fill(o.bigs, null);
            o.anyBig = false;
        }
        return o;
    }

    /** A selection buffer of this node (for the rows left after failures). */
    protected final int[] liveBuffer(RecordBatch b) {
        int cap = capacity(b);
        if (live.length < cap) {
            live = new int[cap];
        }
        return live;
    }

    /**
     * Evaluates one row through the row evaluator into {@code o}: the exact path. A record error
     * marks the row failed, with the error the row path raises.
     */
    protected final void exact(RecordBatch b, int row, Column o, Failures f) {
        try {
            source.eval(b, row);
            source.writeTo(o, row);
        } catch (RecordError | ArithmeticException e) {
            f.fail(row, e);
        }
    }

    /** {@link #exact} for rows {@code rows[0..k)}. */
    protected final void exact(RecordBatch b, int[] rows, int k, Column o, Failures f) {
        for (int j = 0; j < k; j++) {
            exact(b, rows[j], o, f);
        }
    }

    /** The per-row scales of a decimal operand; a BIGINT column read as a decimal has scale 0 everywhere. */
    protected static byte[] scalesOf(Column c, RecordBatch b) {
        return c.scales != null ? c.scales : Vectors.zeroScales(capacity(b));
    }

    /** Reads a decimal operand's value (a BIGINT column's value at scale 0). */
    protected static void read(Column c, int row, Dec into) {
        if (c.scales == null) {
            into.set(c.longs[row], 0);
        } else {
            c.getDecimal(row, into);
        }
    }
}
