package io.velo.codec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.Values;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;

/** CSV lines: decimals as plain text keeping their scale, NULL as an empty cell, quoting where needed. */
public final class CsvEncoder implements Encoder {
    private final Schema schema;
    private final char delimiter;
    private final boolean header;
    private final Dec scratch = new Dec();
    private boolean retractions;

    public CsvEncoder(Schema schema, char delimiter, boolean header) {
        this.schema = schema;
        this.delimiter = delimiter;
        this.header = header;
    }

    /**
     * For a changelog that can retract groups: every line gets a last column {@code _deleted},
     * {@code true} on a retraction (whose non-key cells are empty) and {@code false} otherwise.
     */
    public CsvEncoder retractions(boolean on) {
        this.retractions = on;
        return this;
    }

    @Override
    public String header() {
        if (!header) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < schema.size(); i++) {
            if (i > 0) {
                sb.append(delimiter);
            }
            appendText(sb, schema.field(i).name());
        }
        if (retractions) {
            sb.append(schema.size() > 0 ? String.valueOf(delimiter) : "").append("_deleted");
        }
        return sb.toString();
    }

    @Override
    public void encode(RecordBatch batch, int row, StringBuilder out) {
        for (int c = 0; c < schema.size(); c++) {
            if (c > 0) {
                out.append(delimiter);
            }
            Column col = batch.columns[c];
            if (col.nulls[row]) {
                continue;
            }
            DataType t = schema.field(c).type();
            switch (t.kind) {
                case BIGINT: out.append(col.longs[row]); break;
                case BOOLEAN: out.append(col.longs[row] != 0); break;
                case DOUBLE: out.append(col.doubles[row]); break;
                case DECIMAL: col.getDecimal(row, scratch); DecimalMath.appendTo(out, scratch); break;
                case TIMESTAMP: Values.appendTimestamp(out, col.longs[row]); break;
                case DATE: out.append(Values.formatDate(col.longs[row])); break;
                case STRING: appendText(out, (String) col.objects[row]); break;
                default: appendText(out, Values.jsonText(col.objects[row])); break;
            }
        }
        if (retractions) {
            if (schema.size() > 0) {
                out.append(delimiter);
            }
            out.append(batch.isDeleted(row));
        }
    }

    private void appendText(StringBuilder out, String s) {
        boolean quote = s.isEmpty() || s.indexOf(delimiter) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        if (!quote) {
            out.append(s);
            return;
        }
        out.append('"').append(s.replace("\"", "\"\"")).append('"');
    }
}
