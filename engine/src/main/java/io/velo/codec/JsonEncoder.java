package io.velo.codec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.Values;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;

/**
 * One JSON object per record, keys in select order. Decimals are strings keeping their scale
 * ({@code "150.2500"}) unless {@code decimal.encoding = number}; timestamps are ISO-8601 UTC strings.
 * Writes straight into a StringBuilder: no intermediate objects per field.
 */
public final class JsonEncoder implements Encoder {
    private final Schema schema;
    private final String[] keys;
    private final boolean decimalsAsNumbers;
    private final Dec scratch = new Dec();
    private boolean retractions;

    public JsonEncoder(Schema schema, boolean decimalsAsNumbers) {
        this.schema = schema;
        this.decimalsAsNumbers = decimalsAsNumbers;
        this.keys = new String[schema.size()];
        for (int i = 0; i < keys.length; i++) {
            StringBuilder sb = new StringBuilder();
            appendString(sb, schema.field(i).name());
            keys[i] = sb.append(':').toString();
        }
    }

    /**
     * For a changelog that can retract groups: every row gets a last member {@code _deleted} —
     * {@code true} for a retraction (the row's key columns, NULL in the others), {@code false} for an
     * upsert — so that a reader of the file (a later statement too) sees one column throughout.
     */
    public JsonEncoder retractions(boolean on) {
        this.retractions = on;
        return this;
    }

    @Override
    public void encode(RecordBatch batch, int row, StringBuilder out) {
        out.append('{');
        for (int c = 0; c < keys.length; c++) {
            if (c > 0) {
                out.append(',');
            }
            out.append(keys[c]);
            Column col = batch.columns[c];
            if (col.nulls[row]) {
                out.append("null");
                continue;
            }
            DataType t = schema.field(c).type();
            switch (t.kind) {
                case BIGINT: out.append(col.longs[row]); break;
                case BOOLEAN: out.append(col.longs[row] != 0); break;
                case DOUBLE: {
                    double d = col.doubles[row];
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        out.append("null");
                    } else {
                        out.append(d);
                    }
                    break;
                }
                case DECIMAL:
                    col.getDecimal(row, scratch);
                    if (!decimalsAsNumbers) {
                        out.append('"');
                    }
                    DecimalMath.appendTo(out, scratch);
                    if (!decimalsAsNumbers) {
                        out.append('"');
                    }
                    break;
                case TIMESTAMP: out.append('"'); Values.appendTimestamp(out, col.longs[row]); out.append('"'); break;
                case DATE: out.append('"').append(Values.formatDate(col.longs[row])).append('"'); break;
                case STRING: appendString(out, (String) col.objects[row]); break;
                default: out.append(Values.jsonText(col.objects[row])); break;
            }
        }
        if (retractions) {
            out.append(keys.length > 0 ? "," : "").append(batch.isDeleted(row) ? "\"_deleted\":true" : "\"_deleted\":false");
        }
        out.append('}');
    }

    public static void appendString(StringBuilder sb, String s) {
        Values.appendJsonString(sb, s);
    }
}
