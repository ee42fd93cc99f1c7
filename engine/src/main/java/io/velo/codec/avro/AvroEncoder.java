package io.velo.codec.avro;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.codec.BytesEncoder;
import io.velo.codec.FormatContext;
import io.velo.codec.OutputBuffer;
import io.velo.failure.JobFailedException;
import io.velo.types.DataType;
import io.velo.types.Values;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;

/**
 * Writes each row as one Avro record datum of the sink's schema (given, or derived from the columns
 * with nullable fields and the columns' decimal precision and scale), framed as configured. Fields
 * map to columns by name; the plan is made and checked once: a field no column fills and that is not
 * nullable, a column no field takes, or a type that cannot be written is a check-time error. Decimals
 * are written exactly at the field's scale (never rounded: a column with more decimal places is
 * refused at check time).
 */
final class AvroEncoder implements BytesEncoder {
    private static final byte NULL_ONLY = 0;
    private static final byte LONG = 1;
    private static final byte INT = 2;
    private static final byte DOUBLE = 3;
    private static final byte FLOAT = 4;
    private static final byte BOOLEAN = 5;
    private static final byte STRING = 6;
    private static final byte TEXT = 7;
    private static final byte DECIMAL_BYTES = 8;
    private static final byte DECIMAL_FIXED = 9;
    private static final byte ENUM = 10;
    private static final byte MICROS = 11;
    private static final byte DELETED = 12;

    private final String sink;
    private final AvroFraming framing;
    private final long fingerprint;
    private final int n;
    private final int[] column;
    private final byte[] kind;
    private final int[] nullBranch;
    private final int[] valueBranch;
    private final int[] scale;
    private final int[] fixedSize;
    private final String[] names;
    private final List<String>[] symbols;
    private final Dec scratch = new Dec();
    private final StringBuilder text = new StringBuilder();

    @SuppressWarnings("unchecked")
    AvroEncoder(FormatContext c, org.apache.avro.Schema schema, AvroFraming framing) {
        this.sink = c.connector();
        this.framing = framing;
        this.fingerprint = AvroFraming.fingerprint(schema);
        io.velo.types.Schema cols = c.schema();
        List<org.apache.avro.Schema.Field> fs = schema.getFields();
        n = fs.size();
        column = new int[n];
        kind = new byte[n];
        nullBranch = new int[n];
        valueBranch = new int[n];
        scale = new int[n];
        fixedSize = new int[n];
        names = new String[n];
        symbols = new List[n];
        boolean[] used = new boolean[cols.size()];
        for (int i = 0; i < n; i++) {
            org.apache.avro.Schema.Field f = fs.get(i);
            names[i] = f.name();
            column[i] = cols.indexOf(f.name());
            nullBranch[i] = AvroSchemas.nullIndex(f.schema());
            org.apache.avro.Schema v = AvroSchemas.valueBranch(f.schema());
            if (v == null) {
                throw c.error(AvroSchemas.SCHEMA_KEY, "Avro field '" + f.name() + "' is a union of several types (" + f.schema()
                        + "); the sink writes only a type T or a nullable [\"null\", T]");
            }
            valueBranch[i] = f.schema().getType() == org.apache.avro.Schema.Type.UNION ? f.schema().getTypes().indexOf(v) : -1;
            if (f.name().equals("_deleted") && c.retractions() && column[i] < 0) {
                if (v.getType() != org.apache.avro.Schema.Type.BOOLEAN) {
                    throw c.error(AvroSchemas.SCHEMA_KEY, "Avro field '_deleted' marks retractions and must be a boolean");
                }
                kind[i] = DELETED;
                continue;
            }
            if (column[i] < 0) {
                if (v.getType() == org.apache.avro.Schema.Type.NULL) {
                    nullBranch[i] = 0; // a field of type null: nothing to write
                } else if (nullBranch[i] < 0) {
                    throw c.error(AvroSchemas.SCHEMA_KEY, "Avro field '" + f.name() + "' is not nullable and no column of the output fills it ("
                            + cols + ")");
                }
                kind[i] = NULL_ONLY;
                continue;
            }
            used[column[i]] = true;
            kind[i] = plan(c, f, v, cols.field(column[i]), i);
        }
        for (int col = 0; col < cols.size(); col++) {
            if (!used[col]) {
                throw c.error(AvroSchemas.SCHEMA_KEY, "column '" + cols.field(col).name() + "' of the output is not a field of Avro record '"
                        + schema.getFullName() + "': add the field or leave the column out of the SELECT");
            }
        }
        if (c.retractions() && !java.util.Arrays.asList(names).contains("_deleted")) {
            throw c.error(AvroSchemas.SCHEMA_KEY, "this changelog can retract rows: the Avro record needs a boolean field '_deleted'");
        }
    }

    private byte plan(FormatContext c, org.apache.avro.Schema.Field f, org.apache.avro.Schema v, io.velo.types.Field col, int i) {
        LogicalType lt = v.getLogicalType();
        org.apache.avro.Schema.Type at = v.getType();
        DataType t = col.type();
        if (at == org.apache.avro.Schema.Type.STRING && t.kind != DataType.Kind.STRING && t.kind != DataType.Kind.ARRAY
                && t.kind != DataType.Kind.MAP) {
            return TEXT;
        }
        switch (t.kind) {
            case BIGINT:
                if (at == org.apache.avro.Schema.Type.LONG && lt == null) {
                    return LONG;
                }
                if (at == org.apache.avro.Schema.Type.INT && lt == null) {
                    return INT;
                }
                break;
            case DOUBLE:
                if (at == org.apache.avro.Schema.Type.DOUBLE) {
                    return DOUBLE;
                }
                if (at == org.apache.avro.Schema.Type.FLOAT) {
                    return FLOAT;
                }
                break;
            case BOOLEAN:
                if (at == org.apache.avro.Schema.Type.BOOLEAN) {
                    return BOOLEAN;
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
            case TIMESTAMP:
                if (at == org.apache.avro.Schema.Type.LONG && lt instanceof LogicalTypes.TimestampMicros) {
                    return MICROS;
                }
                if (at == org.apache.avro.Schema.Type.LONG && (lt == null || lt instanceof LogicalTypes.TimestampMillis)) {
                    return LONG;
                }
                break;
            case DATE:
                if (at == org.apache.avro.Schema.Type.INT && (lt == null || lt instanceof LogicalTypes.Date)) {
                    return INT;
                }
                break;
            case DECIMAL:
                if (lt instanceof LogicalTypes.Decimal d) {
                    if (t.scale == DataType.ANY_SCALE || t.scale > d.getScale()) {
                        throw c.error(AvroSchemas.SCHEMA_KEY, "column '" + col.name() + "' " + t + " does not fit Avro field '" + f.name()
                                + "' decimal(" + d.getPrecision() + "," + d.getScale() + ") without rounding");
                    }
                    scale[i] = d.getScale();
                    if (at == org.apache.avro.Schema.Type.FIXED) {
                        fixedSize[i] = v.getFixedSize();
                        return DECIMAL_FIXED;
                    }
                    return DECIMAL_BYTES;
                }
                break;
            default:
                break;
        }
        throw c.error(AvroSchemas.SCHEMA_KEY, "column '" + col.name() + "' " + t + " cannot be written to Avro field '" + f.name()
                + "' of type " + AvroSchemas.describe(v));
    }

    @Override
    public void encode(RecordBatch batch, int row, OutputBuffer out) {
        if (framing == AvroFraming.SINGLE_OBJECT) {
            AvroFraming.writeHeader(out, fingerprint);
        }
        for (int i = 0; i < n; i++) {
            byte k = kind[i];
            if (k == DELETED) {
                if (valueBranch[i] >= 0) {
                    AvroOutput.writeLong(out, valueBranch[i]);
                }
                out.write(batch.isDeleted(row) ? 1 : 0);
                continue;
            }
            Column col = k == NULL_ONLY ? null : batch.columns[column[i]];
            if (col == null || col.nulls[row]) {
                if (nullBranch[i] < 0) {
                    throw new JobFailedException("sink '" + sink + "': column '" + names[i] + "' is NULL but Avro field '" + names[i]
                            + "' is not nullable");
                }
                if (valueBranch[i] >= 0) {
                    AvroOutput.writeLong(out, nullBranch[i]);
                }
                continue;
            }
            if (valueBranch[i] >= 0) {
                AvroOutput.writeLong(out, valueBranch[i]);
            }
            write(i, col, row, out);
        }
    }

    private void write(int i, Column col, int row, OutputBuffer out) {
        switch (kind[i]) {
            case LONG: AvroOutput.writeLong(out, col.longs[row]); return;
            case MICROS: AvroOutput.writeLong(out, Math.multiplyExact(col.longs[row], 1000L)); return;
            case INT: {
                long v = col.longs[row];
                if (v != (int) v) {
                    throw new JobFailedException("sink '" + sink + "': value " + v + " of column '" + names[i] + "' does not fit Avro int field '"
                            + names[i] + "'");
                }
                AvroOutput.writeLong(out, v);
                return;
            }
            case DOUBLE: AvroOutput.writeDouble(out, col.doubles[row]); return;
            case FLOAT: AvroOutput.writeFloat(out, (float) col.doubles[row]); return;
            case BOOLEAN: out.write(col.longs[row] != 0 ? 1 : 0); return;
            case STRING: AvroOutput.writeString(out, (String) col.objects[row]); return;
            case ENUM: {
                int s = symbols[i].indexOf((String) col.objects[row]);
                if (s < 0) {
                    throw new JobFailedException("sink '" + sink + "': '" + col.objects[row] + "' is no symbol of Avro enum field '" + names[i]
                            + "' " + symbols[i]);
                }
                AvroOutput.writeLong(out, s);
                return;
            }
            case TEXT: {
                text.setLength(0);
                appendText(col, row);
                AvroOutput.writeLong(out, io.velo.codec.Utf8.encodedLength(text));
                io.velo.codec.Utf8.encode(text, out);
                return;
            }
            case DECIMAL_BYTES: case DECIMAL_FIXED:
                decimal(i, col, row, out);
                return;
            default:
                throw new IllegalStateException("no writer for kind " + kind[i]);
        }
    }

    private void appendText(Column col, int row) {
        switch (col.type.kind) {
            case DECIMAL: col.getDecimal(row, scratch); DecimalMath.appendTo(text, scratch); break;
            case TIMESTAMP: Values.appendTimestamp(text, col.longs[row]); break;
            case DATE: text.append(Values.formatDate(col.longs[row])); break;
            case BIGINT: text.append(col.longs[row]); break;
            case DOUBLE: text.append(col.doubles[row]); break;
            case BOOLEAN: text.append(col.longs[row] != 0); break;
            default: text.append(col.text(row)); break;
        }
    }

    private void decimal(int i, Column col, int row, OutputBuffer out) {
        col.getDecimal(row, scratch);
        DecimalMath.rescale(scratch, scale[i], DecimalRounding.HALF_UP); // widening only: checked when planned
        if (scratch.big == null) {
            int len = AvroOutput.twosComplementLength(scratch.unscaled);
            if (kind[i] == DECIMAL_FIXED) {
                if (len > fixedSize[i]) {
                    throw tooBig(i);
                }
                len = fixedSize[i];
            } else {
                AvroOutput.writeLong(out, len);
            }
            AvroOutput.writeBigEndian(out, scratch.unscaled, len);
            return;
        }
        byte[] b = scratch.big.unscaledValue().toByteArray();
        if (kind[i] == DECIMAL_FIXED) {
            if (b.length > fixedSize[i]) {
                throw tooBig(i);
            }
            byte pad = (byte) (b[0] < 0 ? 0xFF : 0);
            for (int k = b.length; k < fixedSize[i]; k++) {
                out.write(pad);
            }
        } else {
            AvroOutput.writeLong(out, b.length);
        }
        out.write(b, 0, b.length);
    }

    private JobFailedException tooBig(int i) {
        return new JobFailedException("sink '" + sink + "': decimal " + scratch + " of column '" + names[i] + "' does not fit the "
                + fixedSize[i] + "-byte Avro fixed of field '" + names[i] + "'");
    }
}
