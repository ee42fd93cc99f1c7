package io.velo.codec.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.codec.BytesEncoder;
import io.velo.codec.FormatContext;
import io.velo.codec.OutputBuffer;
import io.velo.codec.Utf8;
import io.velo.failure.JobFailedException;
import io.velo.types.Values;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;

/**
 * Writes each row as one Protobuf message of the configured type, fields in number order, NULL
 * columns left out (a field without presence then reads back as its default). A value the field
 * cannot hold (a BIGINT beyond int32, a decimal beyond the int64 {@code unscaled}, an unknown enum
 * name) fails the job naming the column: the sink's schema does not fit the data.
 */
final class ProtobufEncoder implements BytesEncoder {
    private final ProtoPlan plan;
    private final String sink;
    private final FieldDescriptor.Type[] types;
    private final Dec scratch = new Dec();
    private final StringBuilder text = new StringBuilder();

    ProtobufEncoder(FormatContext c, Descriptor message) {
        this.plan = new ProtoPlan(c, message, true);
        this.sink = c.connector();
        types = new FieldDescriptor.Type[plan.fields.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = plan.fields[i].getType();
        }
    }

    @Override
    public void encode(RecordBatch batch, int row, OutputBuffer out) {
        for (int i = 0; i < types.length; i++) {
            if (plan.kind[i] == ProtoPlan.DELETED) {
                tag(out, i);
                varint(out, batch.isDeleted(row) ? 1 : 0);
                continue;
            }
            Column col = batch.columns[plan.column[i]];
            if (col.nulls[row]) {
                if (plan.fields[i].isRequired()) {
                    throw fail(i, "is NULL but the Protobuf field is required");
                }
                continue;
            }
            tag(out, i);
            write(i, col, row, out);
        }
    }

    private void tag(OutputBuffer out, int i) {
        varint(out, (long) plan.numbers[i] << 3 | plan.wireType[i]);
    }

    private void write(int i, Column col, int row, OutputBuffer out) {
        switch (plan.kind[i]) {
            case ProtoPlan.LONG: integer(i, col.longs[row], out); return;
            case ProtoPlan.LONG_AS_DECIMAL: {
                col.getDecimal(row, scratch);
                long p = scratch.scale < 19 ? DecimalMath.pow10(scratch.scale) : 0;
                if (scratch.big != null || p == 0 || scratch.unscaled % p != 0) {
                    throw fail(i, "value " + scratch + " is not a 64-bit integer, which the integer field holds");
                }
                integer(i, scratch.unscaled / p, out);
                return;
            }
            case ProtoPlan.DOUBLE: fixed64(out, Double.doubleToLongBits(col.doubles[row])); return;
            case ProtoPlan.FLOAT: fixed32(out, Float.floatToIntBits((float) col.doubles[row])); return;
            case ProtoPlan.BOOL: varint(out, col.longs[row] != 0 ? 1 : 0); return;
            case ProtoPlan.STRING: string(out, (String) col.objects[row]); return;
            case ProtoPlan.ENUM: {
                EnumValueDescriptor e = plan.fields[i].getEnumType().findValueByName((String) col.objects[row]);
                if (e == null) {
                    throw fail(i, "'" + col.objects[row] + "' is no value of enum " + plan.fields[i].getEnumType().getFullName());
                }
                varint(out, e.getNumber());
                return;
            }
            case ProtoPlan.TEXT: {
                text.setLength(0);
                switch (col.type.kind) {
                    case DECIMAL: col.getDecimal(row, scratch); DecimalMath.appendTo(text, scratch); break;
                    case TIMESTAMP: Values.appendTimestamp(text, col.longs[row]); break;
                    case DATE: text.append(Values.formatDate(col.longs[row])); break;
                    default: text.append(col.text(row)); break;
                }
                varint(out, Utf8.encodedLength(text));
                Utf8.encode(text, out);
                return;
            }
            case ProtoPlan.DECIMAL_MSG: {
                col.getDecimal(row, scratch);
                if (scratch.big != null) {
                    throw fail(i, "value " + scratch + " needs more than the 64 bits of the int64 'unscaled' (use a string field)");
                }
                long u = plan.unscaledZigzag[i] ? zigzag(scratch.unscaled) : scratch.unscaled;
                long s = plan.scaleZigzag[i] ? zigzag(scratch.scale) : scratch.scale;
                long ut = (long) plan.unscaledNumber[i] << 3;
                long st = (long) plan.scaleNumber[i] << 3;
                varint(out, size(ut) + size(u) + size(st) + size(s));
                varint(out, ut);
                varint(out, u);
                varint(out, st);
                varint(out, s);
                return;
            }
            case ProtoPlan.TIMESTAMP_MSG: {
                long ms = col.longs[row];
                long seconds = Math.floorDiv(ms, 1000L);
                long nanos = Math.floorMod(ms, 1000L) * 1_000_000L;
                varint(out, 1 + size(seconds) + 1 + size(nanos));
                varint(out, 1 << 3);
                varint(out, seconds);
                varint(out, 2 << 3);
                varint(out, nanos);
                return;
            }
            default:
                throw new IllegalStateException("no writer for kind " + plan.kind[i]);
        }
    }

    private void integer(int i, long v, OutputBuffer out) {
        switch (types[i]) {
            case INT32: case SFIXED32: case SINT32:
                if (v != (int) v) {
                    throw fail(i, "value " + v + " does not fit the 32-bit field");
                }
                break;
            case UINT32: case FIXED32:
                if (v < 0 || v > 0xFFFFFFFFL) {
                    throw fail(i, "value " + v + " does not fit the unsigned 32-bit field");
                }
                break;
            case UINT64: case FIXED64:
                if (v < 0) {
                    throw fail(i, "value " + v + " does not fit the unsigned field");
                }
                break;
            default:
                break;
        }
        switch (types[i]) {
            case SINT32: case SINT64: varint(out, zigzag(v)); return;
            case FIXED32: case SFIXED32: fixed32(out, (int) v); return;
            case FIXED64: case SFIXED64: fixed64(out, v); return;
            default: varint(out, v); return;
        }
    }

    private JobFailedException fail(int i, String what) {
        return new JobFailedException("sink '" + sink + "': column '" + plan.names[i] + "': " + what);
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** Bytes of {@code v} as an unsigned varint. */
    static int size(long v) {
        return (63 - Long.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    static void varint(OutputBuffer out, long v) {
        out.ensure(10);
        byte[] d = out.data;
        int p = out.length;
        while ((v & ~0x7FL) != 0) {
            d[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        d[p++] = (byte) v;
        out.length = p;
    }

    static void fixed32(OutputBuffer out, int v) {
        out.ensure(4);
        for (int k = 0; k < 4; k++) {
            out.data[out.length++] = (byte) (v >>> (8 * k));
        }
    }

    static void fixed64(OutputBuffer out, long v) {
        out.ensure(8);
        for (int k = 0; k < 8; k++) {
            out.data[out.length++] = (byte) (v >>> (8 * k));
        }
    }

    static void string(OutputBuffer out, String s) {
        varint(out, Utf8.encodedLength(s));
        Utf8.encode(s, out);
    }
}
