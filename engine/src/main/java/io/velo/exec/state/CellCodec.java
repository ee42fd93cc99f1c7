package io.velo.exec.state;

import io.velo.batch.Column;
import io.velo.types.DataType;
import java.math.BigDecimal;

/**
 * One value of a {@link Column} into a checkpoint and back, by the column's storage: longs (BIGINT,
 * BOOLEAN, TIMESTAMP, DATE), doubles, decimals (unscaled and scale, or the promoted value), objects
 * (text, arrays, maps) through {@link StateOut#writeValue}. NULL is a flag of its own.
 */
public final class CellCodec {
    private CellCodec() {
    }

    public static void write(Column c, int row, StateOut out) {
        if (c.isNull(row)) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        DataType.Kind k = c.type.kind;
        if (k == DataType.Kind.DECIMAL) {
            BigDecimal big = c.anyBig ? c.bigs[row] : null;
            out.writeBig(big);
            if (big == null) {
                out.writeLong(c.longs[row]).writeByte(c.scales[row]);
            }
        } else if (k == DataType.Kind.DOUBLE) {
            out.writeDouble(c.doubles[row]);
        } else if (c.longs != null) {
            out.writeLong(c.longs[row]);
        } else {
            out.writeValue(c.objects[row]);
        }
    }

    public static void read(StateIn in, Column c, int row) {
        if (!in.readBoolean()) {
            c.setNull(row);
            return;
        }
        DataType.Kind k = c.type.kind;
        if (k == DataType.Kind.DECIMAL) {
            BigDecimal big = in.readBig();
            if (big != null) {
                io.velo.types.decimal.Dec d = new io.velo.types.decimal.Dec();
                d.big = big;
                d.scale = big.scale();
                c.setDecimal(row, d);
            } else {
                long unscaled = in.readLong();
                c.setDecimal(row, unscaled, (byte) in.readByte());
            }
        } else if (k == DataType.Kind.DOUBLE) {
            c.setDouble(row, in.readDouble());
        } else if (c.longs != null) {
            c.setLong(row, in.readLong());
        } else {
            c.setObject(row, in.readValue());
        }
    }
}
