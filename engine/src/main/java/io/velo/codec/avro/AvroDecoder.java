package io.velo.codec.avro;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.codec.BytesDecoder;
import io.velo.codec.FormatContext;
import io.velo.codec.TextFieldDecoder;
import io.velo.codec.Utf8;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;

/**
 * Reads one Avro record datum per message into the declared columns, matching fields by name. The
 * plan — per writer field: its column (or skip), how to read it, its null branch — is made once from
 * the schema; a field that cannot become its column's type is refused then ({@code velo check}). At
 * run time a message is read field by field with bounds checks: decimals (bytes or fixed) exactly
 * from their two's-complement bytes (beyond 64 bits on the promoted path), timestamp-millis and date
 * as such. Columns whose field is null or absent are NULL.
 */
final class AvroDecoder implements BytesDecoder {
    private static final byte SKIP = 0;
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte FLOAT = 3;
    private static final byte LONG_AS_DOUBLE = 4;
    private static final byte BOOLEAN = 5;
    private static final byte STRING = 6;
    private static final byte ENUM = 7;
    private static final byte DECIMAL_BYTES = 8;
    private static final byte DECIMAL_FIXED = 9;
    private static final byte LONG_AS_DECIMAL = 10;
    private static final byte STRING_AS_VALUE = 11;
    private static final byte MICROS = 12;

    private final io.velo.types.Schema columns;
    private final org.apache.avro.Schema schema;
    private final AvroFraming framing;
    private final long fingerprint;
    private final TextFieldDecoder fields;
    private final int n;
    private final int[] column;
    private final byte[] kind;
    /** Per field: the union branch that is null (-1: not a union), the value branch, the branch count. */
    private final int[] nullBranch;
    private final int[] valueBranch;
    private final int[] branches;
    private final int[] scale;
    private final int[] fixedSize;
    private final String[] names;
    private final org.apache.avro.Schema[] fieldSchema;
    private final List<String>[] symbols;
    private final AvroInput in = new AvroInput();
    private final Dec scratch = new Dec();

    @SuppressWarnings("unchecked")
    AvroDecoder(FormatContext c, org.apache.avro.Schema schema, AvroFraming framing) {
        this.columns = c.schema();
        this.schema = schema;
        this.framing = framing;
        this.fingerprint = AvroFraming.fingerprint(schema);
        this.fields = c.fields();
        List<org.apache.avro.Schema.Field> fs = schema.getFields();
        n = fs.size();
        column = new int[n];
        kind = new byte[n];
        nullBranch = new int[n];
        valueBranch = new int[n];
        branches = new int[n];
        scale = new int[n];
        fixedSize = new int[n];
        names = new String[n];
        fieldSchema = new org.apache.avro.Schema[n];
        symbols = new List[n];
        boolean[] mapped = new boolean[columns.size()];
        for (int i = 0; i < n; i++) {
            org.apache.avro.Schema.Field f = fs.get(i);
            names[i] = f.name();
            fieldSchema[i] = f.schema();
            column[i] = columnOf(f.name(), mapped);
            if (column[i] < 0) {
                kind[i] = SKIP;
                continue;
            }
            mapped[column[i]] = true;
            org.apache.avro.Schema value = AvroSchemas.valueBranch(f.schema());
            DataType type = columns.field(column[i]).type();
            if (value == null) {
                throw c.error(AvroSchemas.SCHEMA_KEY, "Avro field '" + f.name() + "' is a union of several types (" + f.schema()
                        + "); only a nullable type [\"null\", T] maps to column '" + columns.field(column[i]).name() + "' " + type);
            }
            nullBranch[i] = AvroSchemas.nullIndex(f.schema());
            if (f.schema().getType() == org.apache.avro.Schema.Type.UNION) {
                branches[i] = f.schema().getTypes().size();
                valueBranch[i] = f.schema().getTypes().indexOf(value);
            } else {
                valueBranch[i] = -1;
            }
            kind[i] = plan(c, f, value, type, i);
        }
        for (int col = 0; col < columns.size(); col++) {
            if (!mapped[col]) {
                throw c.error(AvroSchemas.SCHEMA_KEY, "column '" + columns.field(col).name() + "' is not a field of Avro record '"
                        + schema.getFullName() + "' (fields: " + fieldNames() + ")");
            }
        }
    }

    private String fieldNames() {
        return String.join(", ", names);
    }

    private int columnOf(String field, boolean[] mapped) {
        for (int col = 0; col < columns.size(); col++) {
            if (columns.field(col).name().equals(field)) {
                return col;
            }
        }
        for (int col = 0; col < columns.size(); col++) {
            if (!mapped[col] && columns.field(col).name().equalsIgnoreCase(field)) {
                return col;
            }
        }
        return -1;
    }

    private byte plan(FormatContext c, org.apache.avro.Schema.Field f, org.apache.avro.Schema v, DataType type, int i) {
        LogicalType lt = v.getLogicalType();
        org.apache.avro.Schema.Type at = v.getType();
        switch (type.kind) {
            case BIGINT:
                if (at == org.apache.avro.Schema.Type.INT || at == org.apache.avro.Schema.Type.LONG) {
                    return LONG;
                }
                break;
            case DOUBLE:
                if (at == org.apache.avro.Schema.Type.DOUBLE) {
                    return DOUBLE;
                }
                if (at == org.apache.avro.Schema.Type.FLOAT) {
                    return FLOAT;
                }
                if ((at == org.apache.avro.Schema.Type.INT || at == org.apache.avro.Schema.Type.LONG) && lt == null) {
                    return LONG_AS_DOUBLE;
                }
                break;
            case DECIMAL:
                if (lt instanceof LogicalTypes.Decimal d) {
                    if (type.scale != DataType.ANY_SCALE && type.scale < d.getScale()) {
                        throw c.error(AvroSchemas.SCHEMA_KEY, "Avro field '" + f.name() + "' is decimal(" + d.getPrecision() + "," + d.getScale()
                                + "): column '" + columns.field(column[i]).name() + "' " + type + " has fewer decimal places and would round it");
                    }
                    scale[i] = d.getScale();
                    if (at == org.apache.avro.Schema.Type.FIXED) {
                        fixedSize[i] = v.getFixedSize();
                        return DECIMAL_FIXED;
                    }
                    return DECIMAL_BYTES;
                }
                if ((at == org.apache.avro.Schema.Type.INT || at == org.apache.avro.Schema.Type.LONG) && lt == null) {
                    return LONG_AS_DECIMAL;
                }
                if (at == org.apache.avro.Schema.Type.STRING) {
                    return STRING_AS_VALUE;
                }
                break;
            case STRING:
                if (at == org.apache.avro.Schema.Type.STRING) {
                    return STRING;
                }
                if (at == org.apache.avro.Schema.Type.ENUM) {
                    symbols[i] = v.getEnumSymbols();
                    return ENUM;
                }
                break;
            case BOOLEAN:
                if (at == org.apache.avro.Schema.Type.BOOLEAN) {
                    return BOOLEAN;
                }
                break;
            case TIMESTAMP:
                if (at == org.apache.avro.Schema.Type.LONG && lt instanceof LogicalTypes.TimestampMicros) {
                    return MICROS;
                }
                if (at == org.apache.avro.Schema.Type.LONG && (lt == null || lt instanceof LogicalTypes.TimestampMillis)) {
                    return LONG;
                }
                if (at == org.apache.avro.Schema.Type.STRING) {
                    return STRING_AS_VALUE;
                }
                break;
            case DATE:
                if (at == org.apache.avro.Schema.Type.INT && (lt == null || lt instanceof LogicalTypes.Date)) {
                    return LONG;
                }
                if (at == org.apache.avro.Schema.Type.STRING) {
                    return STRING_AS_VALUE;
                }
                break;
            default:
                break;
        }
        throw c.error(AvroSchemas.SCHEMA_KEY, "Avro field '" + f.name() + "' of type " + AvroSchemas.describe(v)
                + " cannot be read as column '" + columns.field(column[i]).name() + "' " + type);
    }

    @Override
    public void decode(byte[] buf, int off, int len, RecordBatch batch, int row) {
        for (int c = 0; c < batch.columns.length; c++) {
            batch.columns[c].setNull(row);
        }
        int start = framing == AvroFraming.SINGLE_OBJECT ? AvroFraming.checkHeader(buf, off, len, fingerprint) : off;
        AvroInput in = this.in;
        in.reset(buf, start, off + len - start);
        for (int i = 0; i < n; i++) {
            in.field = names[i];
            if (kind[i] == SKIP) {
                in.skip(fieldSchema[i]);
                continue;
            }
            if (valueBranch[i] >= 0) {
                long b = in.readLong();
                if (b == nullBranch[i]) {
                    continue;
                }
                if (b != valueBranch[i]) {
                    throw in.malformed("union branch " + b + " (the schema has " + branches[i] + ")");
                }
            }
            read(i, batch.columns[column[i]], row);
        }
        if (in.remaining() != 0) {
            throw new RecordError(RecordError.MALFORMED_INPUT, in.remaining() + " bytes left after the Avro record '" + schema.getName()
                    + "': the message was written with another schema (or is not Avro)");
        }
    }

    private void read(int i, Column col, int row) {
        AvroInput in = this.in;
        switch (kind[i]) {
            case LONG: col.setLong(row, in.readLong()); return;
            case MICROS: col.setLong(row, Math.floorDiv(in.readLong(), 1000L)); return;
            case DOUBLE: col.setDouble(row, finite(in.readDouble(), i)); return;
            case FLOAT: col.setDouble(row, finite(in.readFloat(), i)); return;
            case LONG_AS_DOUBLE: col.setDouble(row, in.readLong()); return;
            case BOOLEAN: col.setLong(row, in.readBoolean() ? 1 : 0); return;
            case STRING: {
                int len = in.readLength();
                col.setObject(row, Utf8.decode(in.buf, in.pos, len, names[i]));
                in.pos += len;
                return;
            }
            case ENUM: {
                long s = in.readLong();
                if (s < 0 || s >= symbols[i].size()) {
                    throw in.malformed("enum symbol " + s + " (the enum has " + symbols[i].size() + ")");
                }
                col.setObject(row, symbols[i].get((int) s));
                return;
            }
            case DECIMAL_BYTES: {
                int len = in.readLength();
                decimal(in.buf, in.pos, len, i, col, row);
                in.pos += len;
                return;
            }
            case DECIMAL_FIXED:
                in.need(fixedSize[i]);
                decimal(in.buf, in.pos, fixedSize[i], i, col, row);
                in.pos += fixedSize[i];
                return;
            case LONG_AS_DECIMAL:
                fields.decimal(names[i], scratch.set(in.readLong(), 0), columns.field(column[i]).type(), col, row);
                return;
            case STRING_AS_VALUE: {
                int len = in.readLength();
                String text = Utf8.decode(in.buf, in.pos, len, names[i]);
                in.pos += len;
                fields.decode(names[i], text, columns.field(column[i]).type(), col, row);
                return;
            }
            default:
                throw new IllegalStateException("no reader for kind " + kind[i]);
        }
    }

    /** The unscaled value is big-endian two's complement: up to 8 bytes in a long, beyond that promoted. */
    private void decimal(byte[] b, int off, int len, int i, Column col, int row) {
        int s = scale[i];
        if (len == 0) {
            scratch.set(0, s);
        } else if (len <= 8) {
            long v = b[off]; // sign-extended
            for (int k = 1; k < len; k++) {
                v = v << 8 | (b[off + k] & 0xFF);
            }
            scratch.set(v, s);
        } else {
            scratch.set(new BigDecimal(new BigInteger(b, off, len), s));
        }
        fields.decimal(names[i], scratch, columns.field(column[i]).type(), col, row);
    }

    private double finite(double d, int i) {
        if (!Double.isFinite(d)) {
            throw new RecordError(RecordError.NUMERIC_OUT_OF_RANGE, "field '" + names[i] + "': " + d
                    + " is out of range for DOUBLE (a DOUBLE is a finite number)");
        }
        return d;
    }
}
