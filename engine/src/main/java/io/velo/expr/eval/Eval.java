package io.velo.expr.eval;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;

/**
 * A compiled, typed expression. {@link #eval} computes the value for one row and leaves it in this
 * evaluator's own result registers — {@code l} for BIGINT/BOOLEAN/TIMESTAMP/DATE (and INTERVAL
 * millis), {@code d} for DOUBLE, {@code dec} for DECIMAL, {@code o} for STRING/ARRAY/MAP — with
 * {@code isNull} set for SQL NULL. Parents read their children's registers, so evaluation boxes
 * nothing. An evaluator tree belongs to one operator on one thread.
 */
public abstract class Eval {
    public final DataType type;
    public boolean isNull;
    public long l;
    public double d;
    public Object o;
    public final Dec dec = new Dec();

    protected Eval(DataType type) {
        this.type = type;
    }

    public abstract void eval(RecordBatch batch, int row);

    /** True when the value does not depend on the row (constant folding and LIKE patterns use it). */
    public boolean isConstant() {
        return false;
    }

    /** The current result as a Java object (Long, Double, BigDecimal, Boolean, String, List, Map or null). */
    public Object toObject() {
        if (isNull) {
            return null;
        }
        switch (type.kind) {
            case BIGINT: case TIMESTAMP: case DATE: return l;
            case BOOLEAN: return l != 0;
            case DOUBLE: return d;
            case DECIMAL: return dec.toBigDecimal();
            default: return o;
        }
    }

    /** Stores a Java object of this evaluator's type into the registers. */
    public void setObject(Object v) {
        if (v == null) {
            isNull = true;
            return;
        }
        isNull = false;
        switch (type.kind) {
            case BIGINT: case TIMESTAMP: case DATE: l = ((Number) v).longValue(); break;
            case BOOLEAN: l = ((Boolean) v) ? 1 : 0; break;
            case DOUBLE: d = ((Number) v).doubleValue(); break;
            case DECIMAL:
                if (v instanceof BigDecimal) {
                    dec.set((BigDecimal) v);
                } else {
                    dec.set(((Number) v).longValue(), 0);
                }
                break;
            default: o = v; break;
        }
    }

    /** Writes the current result into a column of the same type. */
    public final void writeTo(Column c, int row) {
        if (isNull) {
            c.setNull(row);
            return;
        }
        switch (type.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: c.setLong(row, l); break;
            case DOUBLE: c.setDouble(row, d); break;
            case DECIMAL: c.setDecimal(row, dec); break;
            case NULL: c.setNull(row); break;
            default: c.setObject(row, o); break;
        }
    }

    /** Copies the registers of another evaluator of the same type. */
    public final void copyFrom(Eval e) {
        isNull = e.isNull;
        l = e.l;
        d = e.d;
        o = e.o;
        dec.set(e.dec);
    }
}
