package io.velo.codec.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.velo.codec.FormatContext;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How each column maps to a field of the message (by name), made and checked once per connector. The
 * decimal conventions: a {@code string} field holding the decimal text, or a message field whose type
 * has {@code int64 unscaled} (or sint64) and {@code int32 scale} (or sint32) — value = unscaled ×
 * 10^-scale, both read and written exactly. Timestamps: an int64 of epoch milliseconds,
 * {@code google.protobuf.Timestamp}, or ISO-8601 text; dates: an int32 of days since 1970-01-01 or text.
 */
final class ProtoPlan {
    static final byte LONG = 1;
    static final byte DOUBLE = 2;
    static final byte FLOAT = 3;
    static final byte BOOL = 4;
    static final byte STRING = 5;
    static final byte ENUM = 6;
    static final byte DECIMAL_MSG = 7;
    static final byte TIMESTAMP_MSG = 8;
    static final byte TEXT = 9;
    static final byte LONG_AS_DECIMAL = 10;
    static final byte DELETED = 11;

    /** Mapped fields in field-number order. */
    final FieldDescriptor[] fields;
    final int[] numbers;
    final int[] column;
    final byte[] kind;
    final int[] wireType;
    final String[] names;
    /** Decimal messages: the field numbers of unscaled and scale and whether they are zig-zag (sint). */
    final int[] unscaledNumber;
    final int[] scaleNumber;
    final boolean[] unscaledZigzag;
    final boolean[] scaleZigzag;

    ProtoPlan(FormatContext c, Descriptor message, boolean sink) {
        Schema cols = c.schema();
        List<FieldDescriptor> mapped = new ArrayList<>();
        List<Integer> colOf = new ArrayList<>();
        boolean[] used = new boolean[cols.size()];
        for (FieldDescriptor f : message.getFields()) {
            int col = cols.indexOf(f.getName());
            boolean deleted = sink && c.retractions() && f.getName().equals("_deleted") && col < 0;
            if (col < 0 && !deleted) {
                if (sink && f.isRequired()) {
                    throw c.error(ProtobufFormat.FILE_KEY, "Protobuf field '" + f.getName() + "' of " + message.getFullName()
                            + " is required and no column of the output fills it (" + cols + ")");
                }
                continue;
            }
            if (col >= 0) {
                used[col] = true;
            }
            mapped.add(f);
            colOf.add(col);
        }
        for (int col = 0; col < cols.size(); col++) {
            if (!used[col]) {
                throw c.error(ProtobufFormat.FILE_KEY, "column '" + cols.field(col).name() + "' is not a field of Protobuf message "
                        + message.getFullName() + " (fields: " + names(message) + ")");
            }
        }
        if (sink && c.retractions() && message.findFieldByName("_deleted") == null) {
            throw c.error(ProtobufFormat.FILE_KEY, "this changelog can retract rows: message " + message.getFullName()
                    + " needs a bool field '_deleted'");
        }
        Integer[] order = new Integer[mapped.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> mapped.get(i).getNumber()));
        int n = order.length;
        fields = new FieldDescriptor[n];
        numbers = new int[n];
        column = new int[n];
        kind = new byte[n];
        wireType = new int[n];
        names = new String[n];
        unscaledNumber = new int[n];
        scaleNumber = new int[n];
        unscaledZigzag = new boolean[n];
        scaleZigzag = new boolean[n];
        for (int i = 0; i < n; i++) {
            FieldDescriptor f = mapped.get(order[i]);
            fields[i] = f;
            numbers[i] = f.getNumber();
            column[i] = colOf.get(order[i]);
            names[i] = f.getName();
            if (f.isRepeated()) {
                throw c.error(ProtobufFormat.FILE_KEY, "Protobuf field '" + f.getName() + "' is repeated; a column holds one value");
            }
            wireType[i] = wireType(f);
            if (column[i] < 0) {
                if (f.getType() != FieldDescriptor.Type.BOOL) {
                    throw c.error(ProtobufFormat.FILE_KEY, "Protobuf field '_deleted' marks retractions and must be a bool");
                }
                kind[i] = DELETED;
                continue;
            }
            kind[i] = plan(c, f, cols.field(column[i]), i);
        }
    }

    private static String names(Descriptor m) {
        List<String> out = new ArrayList<>();
        m.getFields().forEach(f -> out.add(f.getName()));
        return String.join(", ", out);
    }

    static int wireType(FieldDescriptor f) {
        switch (f.getType()) {
            case FIXED32: case SFIXED32: case FLOAT: return ProtoInput.FIXED32;
            case FIXED64: case SFIXED64: case DOUBLE: return ProtoInput.FIXED64;
            case STRING: case BYTES: case MESSAGE: case GROUP: return ProtoInput.LEN;
            default: return ProtoInput.VARINT;
        }
    }

    static boolean integer(FieldDescriptor.Type t) {
        switch (t) {
            case INT32: case INT64: case UINT32: case UINT64: case SINT32: case SINT64:
            case FIXED32: case FIXED64: case SFIXED32: case SFIXED64:
                return true;
            default:
                return false;
        }
    }

    static boolean is64(FieldDescriptor.Type t) {
        return t == FieldDescriptor.Type.INT64 || t == FieldDescriptor.Type.UINT64 || t == FieldDescriptor.Type.SINT64
                || t == FieldDescriptor.Type.FIXED64 || t == FieldDescriptor.Type.SFIXED64;
    }

    private byte plan(FormatContext c, FieldDescriptor f, Field col, int i) {
        FieldDescriptor.Type t = f.getType();
        DataType type = col.type();
        switch (type.kind) {
            case BIGINT:
                if (integer(t)) {
                    return LONG;
                }
                break;
            case DOUBLE:
                if (t == FieldDescriptor.Type.DOUBLE) {
                    return DOUBLE;
                }
                if (t == FieldDescriptor.Type.FLOAT) {
                    return FLOAT;
                }
                break;
            case BOOLEAN:
                if (t == FieldDescriptor.Type.BOOL) {
                    return BOOL;
                }
                break;
            case STRING:
                if (t == FieldDescriptor.Type.STRING) {
                    return STRING;
                }
                if (t == FieldDescriptor.Type.ENUM) {
                    return ENUM;
                }
                break;
            case DECIMAL:
                if (t == FieldDescriptor.Type.STRING) {
                    return TEXT;
                }
                if (integer(t)) {
                    return LONG_AS_DECIMAL;
                }
                if (t == FieldDescriptor.Type.MESSAGE && decimalMessage(f.getMessageType(), i)) {
                    return DECIMAL_MSG;
                }
                break;
            case TIMESTAMP:
                if (integer(t) && is64(t)) {
                    return LONG;
                }
                if (t == FieldDescriptor.Type.MESSAGE && f.getMessageType().getFullName().equals("google.protobuf.Timestamp")) {
                    return TIMESTAMP_MSG;
                }
                if (t == FieldDescriptor.Type.STRING) {
                    return TEXT;
                }
                break;
            case DATE:
                if (integer(t)) {
                    return LONG;
                }
                if (t == FieldDescriptor.Type.STRING) {
                    return TEXT;
                }
                break;
            default:
                break;
        }
        String what = t == FieldDescriptor.Type.MESSAGE ? "message " + f.getMessageType().getFullName() : t.name().toLowerCase();
        throw c.error(ProtobufFormat.FILE_KEY, "Protobuf field '" + f.getName() + "' of type " + what + " cannot hold column '" + col.name()
                + "' " + type + (type.kind == DataType.Kind.DECIMAL
                ? " (decimals: a string field, or a message with int64 unscaled and int32 scale)" : ""));
    }

    private boolean decimalMessage(Descriptor m, int i) {
        FieldDescriptor u = m.findFieldByName("unscaled");
        FieldDescriptor s = m.findFieldByName("scale");
        if (u == null || s == null || u.isRepeated() || s.isRepeated()) {
            return false;
        }
        boolean uOk = u.getType() == FieldDescriptor.Type.INT64 || u.getType() == FieldDescriptor.Type.SINT64;
        boolean sOk = s.getType() == FieldDescriptor.Type.INT32 || s.getType() == FieldDescriptor.Type.SINT32;
        if (!uOk || !sOk) {
            return false;
        }
        unscaledNumber[i] = u.getNumber();
        scaleNumber[i] = s.getNumber();
        unscaledZigzag[i] = u.getType() == FieldDescriptor.Type.SINT64;
        scaleZigzag[i] = s.getType() == FieldDescriptor.Type.SINT32;
        return true;
    }

    /** The columns of a source with no declared columns: every singular field a column type holds. */
    static Schema columns(Descriptor m) {
        List<Field> out = new ArrayList<>();
        for (FieldDescriptor f : m.getFields()) {
            if (f.isRepeated()) {
                continue;
            }
            FieldDescriptor.Type t = f.getType();
            DataType type = null;
            if (integer(t)) {
                type = DataType.BIGINT;
            } else if (t == FieldDescriptor.Type.DOUBLE || t == FieldDescriptor.Type.FLOAT) {
                type = DataType.DOUBLE;
            } else if (t == FieldDescriptor.Type.BOOL) {
                type = DataType.BOOLEAN;
            } else if (t == FieldDescriptor.Type.STRING || t == FieldDescriptor.Type.ENUM) {
                type = DataType.STRING;
            } else if (t == FieldDescriptor.Type.MESSAGE && f.getMessageType().getFullName().equals("google.protobuf.Timestamp")) {
                type = DataType.TIMESTAMP;
            } else if (t == FieldDescriptor.Type.MESSAGE && f.getMessageType().findFieldByName("unscaled") != null
                    && f.getMessageType().findFieldByName("scale") != null) {
                type = DataType.DECIMAL;
            }
            if (type != null) {
                out.add(new Field(f.getName(), type));
            }
        }
        return new Schema(out);
    }
}
