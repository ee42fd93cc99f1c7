package io.velo.codec.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.codec.BytesDecoder;
import io.velo.codec.FormatContext;
import io.velo.codec.TextFieldDecoder;
import io.velo.codec.Utf8;
import io.velo.failure.RecordError;
import io.velo.types.decimal.Dec;
import java.util.Arrays;

/**
 * Reads one Protobuf message per Kafka message into the columns, field numbers looked up in the plan
 * (unknown fields skipped, as Protobuf readers do). A field with another wire type than the schema
 * says is a record error naming it (the writer used another schema); absent fields are NULL where
 * the field has presence (proto2, proto3 {@code optional}, messages, oneofs) and the type's default
 * (0, false, "") where it has not.
 */
final class ProtobufDecoder implements BytesDecoder {
    private final ProtoPlan plan;
    private final String message;
    private final FieldDescriptor.Type[] types;
    private final String[] enumDefault;
    private final TextFieldDecoder fields;
    private final io.velo.types.Schema columns;
    private final ProtoInput in = new ProtoInput();
    private final Dec scratch = new Dec();
    private final int[] seen;
    private int stamp;

    ProtobufDecoder(FormatContext c, Descriptor message) {
        this.plan = new ProtoPlan(c, message, false);
        this.message = message.getFullName();
        this.fields = c.fields();
        this.columns = c.schema();
        int n = plan.fields.length;
        types = new FieldDescriptor.Type[n];
        enumDefault = new String[n];
        for (int i = 0; i < n; i++) {
            types[i] = plan.fields[i].getType();
            if (types[i] == FieldDescriptor.Type.ENUM) {
                enumDefault[i] = plan.fields[i].getEnumType().getValues().get(0).getName();
            }
        }
        seen = new int[n];
    }

    @Override
    public void decode(byte[] buf, int off, int len, RecordBatch batch, int row) {
        for (int c = 0; c < batch.columns.length; c++) {
            batch.columns[c].setNull(row);
        }
        if (++stamp == 0) {
            Arrays.fill(seen, 0);
            stamp = 1;
        }
        ProtoInput in = this.in;
        in.reset(buf, off, len);
        while (in.pos < in.end) {
            long tag = in.readVarint();
            int number = (int) (tag >>> 3);
            int wt = (int) (tag & 7);
            if (number <= 0 || tag >>> 3 > Integer.MAX_VALUE) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "malformed Protobuf message: field number " + (tag >>> 3));
            }
            int i = Arrays.binarySearch(plan.numbers, number);
            if (i < 0) {
                in.skip(wt);
                continue;
            }
            if (wt != plan.wireType[i]) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "field '" + plan.names[i] + "' (number " + number + ") has wire type "
                        + wt + " but " + message + " declares it " + types[i].name().toLowerCase()
                        + ": the message was written with another schema");
            }
            seen[i] = stamp;
            read(i, batch.columns[plan.column[i]], row);
        }
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] != stamp && !plan.fields[i].hasPresence()) {
                defaultValue(i, batch.columns[plan.column[i]], row);
            }
        }
    }

    private long integer(int i) {
        ProtoInput in = this.in;
        switch (types[i]) {
            case INT32: return (int) in.readVarint();
            case UINT32: return in.readVarint() & 0xFFFFFFFFL;
            case SINT32: case SINT64: {
                long v = in.readVarint();
                return (v >>> 1) ^ -(v & 1);
            }
            case FIXED32: return in.readFixed32() & 0xFFFFFFFFL;
            case SFIXED32: return in.readFixed32();
            case SFIXED64: return in.readFixed64();
            case FIXED64: case UINT64: {
                long v = types[i] == FieldDescriptor.Type.FIXED64 ? in.readFixed64() : in.readVarint();
                if (v < 0) {
                    throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "field '" + plan.names[i] + "': "
                            + Long.toUnsignedString(v) + " is out of range for BIGINT");
                }
                return v;
            }
            default: return in.readVarint(); // INT64, BOOL, ENUM
        }
    }

    private void read(int i, Column col, int row) {
        ProtoInput in = this.in;
        switch (plan.kind[i]) {
            case ProtoPlan.LONG: col.setLong(row, integer(i)); return;
            case ProtoPlan.LONG_AS_DECIMAL: fields.decimal(plan.names[i], scratch.set(integer(i), 0), col.type, col, row); return;
            case ProtoPlan.DOUBLE: col.setDouble(row, finite(Double.longBitsToDouble(in.readFixed64()), i)); return;
            case ProtoPlan.FLOAT: col.setDouble(row, finite(Float.intBitsToFloat(in.readFixed32()), i)); return;
            case ProtoPlan.BOOL: col.setLong(row, in.readVarint() != 0 ? 1 : 0); return;
            case ProtoPlan.STRING: {
                int len = in.readLength();
                col.setObject(row, Utf8.decode(in.buf, in.pos, len, plan.names[i]));
                in.pos += len;
                return;
            }
            case ProtoPlan.ENUM: {
                long v = in.readVarint();
                com.google.protobuf.Descriptors.EnumValueDescriptor e = plan.fields[i].getEnumType().findValueByNumber((int) v);
                if (e == null) {
                    throw new RecordError(RecordError.MALFORMED_INPUT, "field '" + plan.names[i] + "': " + v + " is no value of enum "
                            + plan.fields[i].getEnumType().getFullName());
                }
                col.setObject(row, e.getName());
                return;
            }
            case ProtoPlan.TEXT: {
                int len = in.readLength();
                String text = Utf8.decode(in.buf, in.pos, len, plan.names[i]);
                in.pos += len;
                if (!text.isEmpty()) {
                    fields.decode(plan.names[i], text, col.type, col, row);
                }
                return;
            }
            case ProtoPlan.DECIMAL_MSG: {
                int end = in.readLength() + in.pos;
                long unscaled = 0;
                long scale = 0;
                int outer = in.end;
                in.end = end;
                while (in.pos < end) {
                    long tag = in.readVarint();
                    long number = tag >>> 3;
                    int wt = (int) (tag & 7);
                    if (number == plan.unscaledNumber[i] && wt == ProtoInput.VARINT) {
                        long v = in.readVarint();
                        unscaled = plan.unscaledZigzag[i] ? (v >>> 1) ^ -(v & 1) : v;
                    } else if (number == plan.scaleNumber[i] && wt == ProtoInput.VARINT) {
                        long v = in.readVarint();
                        scale = plan.scaleZigzag[i] ? (v >>> 1) ^ -(v & 1) : (int) v;
                    } else {
                        in.skip(wt);
                    }
                }
                in.end = outer;
                if (scale < 0 || scale > io.velo.types.decimal.DecimalMath.MAX_SCALE) {
                    throw new RecordError(RecordError.MALFORMED_INPUT, "field '" + plan.names[i] + "': decimal scale " + scale
                            + " (0 to " + io.velo.types.decimal.DecimalMath.MAX_SCALE + ")");
                }
                fields.decimal(plan.names[i], scratch.set(unscaled, (int) scale), col.type, col, row);
                return;
            }
            case ProtoPlan.TIMESTAMP_MSG: {
                int end = in.readLength() + in.pos;
                long seconds = 0;
                long nanos = 0;
                int outer = in.end;
                in.end = end;
                while (in.pos < end) {
                    long tag = in.readVarint();
                    int wt = (int) (tag & 7);
                    if (tag >>> 3 == 1 && wt == ProtoInput.VARINT) {
                        seconds = in.readVarint();
                    } else if (tag >>> 3 == 2 && wt == ProtoInput.VARINT) {
                        nanos = (int) in.readVarint();
                    } else {
                        in.skip(wt);
                    }
                }
                in.end = outer;
                if (nanos < 0 || nanos > 999_999_999 || Math.abs(seconds) > 315_537_897_599L) {
                    throw new RecordError(RecordError.DATETIME_OVERFLOW, "field '" + plan.names[i] + "': Timestamp {seconds: " + seconds
                            + ", nanos: " + nanos + "} is out of range");
                }
                col.setLong(row, seconds * 1000 + nanos / 1_000_000);
                return;
            }
            default:
                throw new IllegalStateException("no reader for kind " + plan.kind[i]);
        }
    }

    private void defaultValue(int i, Column col, int row) {
        switch (plan.kind[i]) {
            case ProtoPlan.LONG: case ProtoPlan.BOOL: col.setLong(row, 0); return;
            case ProtoPlan.LONG_AS_DECIMAL: fields.decimal(plan.names[i], scratch.set(0, 0), col.type, col, row); return;
            case ProtoPlan.DOUBLE: case ProtoPlan.FLOAT: col.setDouble(row, 0); return;
            case ProtoPlan.STRING: col.setObject(row, ""); return;
            case ProtoPlan.ENUM: col.setObject(row, enumDefault[i]); return;
            default: return; // text holding a value: absent is NULL
        }
    }

    private double finite(double d, int i) {
        if (!Double.isFinite(d)) {
            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "field '" + plan.names[i] + "': " + d
                    + " is out of range for DOUBLE (a DOUBLE is a finite number)");
        }
        return d;
    }
}
