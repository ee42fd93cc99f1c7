package io.velo.expr.eval;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;

/** Reads one column of the input batch. */
public final class ColumnEval extends Eval {
    public final int index;
    public final String name;

    public ColumnEval(int index, String name, DataType type) {
        super(type);
        this.index = index;
        this.name = name;
    }

    @Override
    public void eval(RecordBatch batch, int row) {
        Column c = batch.columns[index];
        if (c.nulls[row]) {
            isNull = true;
            return;
        }
        isNull = false;
        switch (type.kind) {
            case BIGINT: case BOOLEAN: case TIMESTAMP: case DATE: l = c.longs[row]; break;
            case DOUBLE: d = c.doubles[row]; break;
            case DECIMAL: c.getDecimal(row, dec); break;
            default: o = c.objects[row]; break;
        }
    }
}
