package io.velo.codec.avro;

import io.velo.codec.FormatContext;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaParseException;

/**
 * Where a connector's Avro schema comes from ({@code '<n>.avro.schema'}: Avro JSON inline, or the path
 * of an {@code .avsc} file relative to the SQL file), the schema a sink derives from its columns, and
 * the columns a source derives from a schema when none are declared.
 */
final class AvroSchemas {
    static final String SCHEMA_KEY = "avro.schema";

    private AvroSchemas() {
    }

    /** The configured schema, or null when {@code '<n>.avro.schema'} is not set. */
    static org.apache.avro.Schema configured(FormatContext c) {
        String v = c.get(SCHEMA_KEY);
        if (v == null || v.isBlank()) {
            return null;
        }
        String text = v.trim();
        String where = "the inline Avro schema";
        if (!text.startsWith("{") && !text.startsWith("\"") && !text.startsWith("[")) {
            Path p = c.path(text);
            if (!Files.isRegularFile(p)) {
                throw c.error(SCHEMA_KEY, "Avro schema file '" + text + "' not found (" + p + ")");
            }
            try {
                text = Files.readString(p);
            } catch (IOException e) {
                throw c.error(SCHEMA_KEY, "cannot read Avro schema file '" + v + "': " + e.getMessage());
            }
            where = "Avro schema file '" + v + "'";
        }
        org.apache.avro.Schema s;
        try {
            s = new org.apache.avro.Schema.Parser().parse(text);
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw c.error(SCHEMA_KEY, where + " is not a valid Avro schema: " + e.getMessage());
        } catch (RuntimeException e) {
            throw c.error(SCHEMA_KEY, where + " is not a valid Avro schema: " + e);
        }
        if (s.getType() != org.apache.avro.Schema.Type.RECORD) {
            throw c.error(SCHEMA_KEY, where + " is a " + s.getType().getName() + ", not a record: each message is one record");
        }
        return s;
    }

    /** The non-null branch of a nullable union {@code ["null", T]}, or {@code s} itself when it is no union. */
    static org.apache.avro.Schema valueBranch(org.apache.avro.Schema s) {
        if (s.getType() != org.apache.avro.Schema.Type.UNION) {
            return s;
        }
        org.apache.avro.Schema value = null;
        for (org.apache.avro.Schema b : s.getTypes()) {
            if (b.getType() != org.apache.avro.Schema.Type.NULL) {
                if (value != null) {
                    return null; // two value branches: not a nullable T
                }
                value = b;
            }
        }
        return value;
    }

    /** The index of the null branch of a union, or -1. */
    static int nullIndex(org.apache.avro.Schema s) {
        if (s.getType() != org.apache.avro.Schema.Type.UNION) {
            return -1;
        }
        List<org.apache.avro.Schema> t = s.getTypes();
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).getType() == org.apache.avro.Schema.Type.NULL) {
                return i;
            }
        }
        return -1;
    }

    static String describe(org.apache.avro.Schema s) {
        LogicalType lt = s.getLogicalType();
        if (lt instanceof LogicalTypes.Decimal d) {
            return s.getType().getName() + " decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (s.getType() == org.apache.avro.Schema.Type.UNION) {
            return s.toString();
        }
        return lt != null ? s.getType().getName() + " " + lt.getName() : s.getType().getName();
    }

    /** The record a sink writes: one nullable field per column, named like it, in column order. */
    static org.apache.avro.Schema derive(FormatContext c) {
        String name = c.connector().replaceAll("[^A-Za-z0-9_]", "_");
        if (!Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') {
            name = "_" + name;
        }
        SchemaBuilder.FieldAssembler<org.apache.avro.Schema> fields = SchemaBuilder.record(name).namespace("io.velo.out").fields();
        for (Field f : c.schema().fields()) {
            if (!f.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw c.error("format", "column '" + f.name() + "' is no valid Avro field name: rename it with AS, or give '"
                        + c.connector() + "." + SCHEMA_KEY + "'");
            }
            org.apache.avro.Schema t = avroType(c, f);
            fields = fields.name(f.name()).type(org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), t))
                    .withDefault(null);
        }
        if (c.retractions()) {
            fields = fields.name("_deleted").type().booleanType().noDefault();
        }
        return fields.endRecord();
    }

    private static org.apache.avro.Schema avroType(FormatContext c, Field f) {
        DataType t = f.type();
        switch (t.kind) {
            case BIGINT: return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case DOUBLE: return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN: return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING: return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case TIMESTAMP: return LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
            case DATE: return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
            case DECIMAL:
                if (t.scale == DataType.ANY_SCALE) {
                    throw c.error("format", "column '" + f.name() + "' is a DECIMAL without a fixed scale, which the Avro decimal type needs:"
                            + " CAST it to DECIMAL(p,s)");
                }
                return LogicalTypes.decimal(Math.max(1, Math.max(t.precision, t.scale)), t.scale)
                        .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
            default:
                throw c.error("format", "column '" + f.name() + "' is " + t + ", which the Avro sink does not write yet: give '"
                        + c.connector() + "." + SCHEMA_KEY + "' with a string field, or leave the column out");
        }
    }

    /** The columns of a source read with {@code schema} and no declared columns: every field a column type holds. */
    static Schema columns(org.apache.avro.Schema schema) {
        List<Field> out = new ArrayList<>();
        for (org.apache.avro.Schema.Field f : schema.getFields()) {
            org.apache.avro.Schema v = valueBranch(f.schema());
            DataType t = v == null ? null : columnType(v);
            if (t != null) {
                out.add(new Field(f.name(), t));
            }
        }
        return new Schema(out);
    }

    private static DataType columnType(org.apache.avro.Schema s) {
        LogicalType lt = s.getLogicalType();
        if (lt instanceof LogicalTypes.Decimal d) {
            return DataType.decimal(Math.min(DataType.MAX_PRECISION, d.getPrecision()), d.getScale());
        }
        switch (s.getType()) {
            case INT: return lt instanceof LogicalTypes.Date ? DataType.DATE : DataType.BIGINT;
            case LONG:
                return lt instanceof LogicalTypes.TimestampMillis || lt instanceof LogicalTypes.TimestampMicros ? DataType.TIMESTAMP : DataType.BIGINT;
            case FLOAT: case DOUBLE: return DataType.DOUBLE;
            case BOOLEAN: return DataType.BOOLEAN;
            case STRING: case ENUM: return DataType.STRING;
            default: return null;
        }
    }
}
