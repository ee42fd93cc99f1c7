package io.velo.codec;

import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * One CSV line per record (RFC 4180 quoting with doubled quotes; quoted fields may not span lines).
 * Columns map by header name when there is a header, by position otherwise. An empty cell is NULL.
 */
public final class CsvDecoder implements Decoder {
    private final Schema schema;
    private final char delimiter;
    private final int[] columnOfCell;
    private final TextFieldDecoder fields;
    private final List<String> cells = new ArrayList<>();
    private final StringBuilder cell = new StringBuilder();

    /** @param header the header names, or null to map cells by position */
    public CsvDecoder(Schema schema, char delimiter, List<String> header, TextFieldDecoder fields) {
        this.schema = schema;
        this.delimiter = delimiter;
        this.fields = fields;
        if (header == null) {
            columnOfCell = new int[schema.size()];
            for (int i = 0; i < columnOfCell.length; i++) {
                columnOfCell[i] = i;
            }
        } else {
            columnOfCell = new int[header.size()];
            for (int i = 0; i < header.size(); i++) {
                columnOfCell[i] = schema.indexOf(header.get(i).trim());
            }
        }
    }

    public static List<String> split(String line, char delimiter, List<String> out, StringBuilder cell) {
        out.clear();
        cell.setLength(0);
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                out.add(cell.length() == 0 && !wasQuoted ? null : cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' && i == line.length() - 1) {
                break;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new RecordError(RecordError.MALFORMED_INPUT, "unterminated quoted field");
        }
        out.add(cell.length() == 0 && !wasQuoted ? null : cell.toString());
        return out;
    }

    @Override
    public void decode(String line, RecordBatch batch, int row) {
        split(line, delimiter, cells, cell);
        if (cells.size() != columnOfCell.length) {
            throw new RecordError(RecordError.MALFORMED_INPUT, "expected " + columnOfCell.length + " fields but found " + cells.size());
        }
        for (int c = 0; c < schema.size(); c++) {
            batch.columns[c].setNull(row);
        }
        for (int i = 0; i < cells.size(); i++) {
            int col = columnOfCell[i];
            if (col < 0) {
                continue;
            }
            String text = cells.get(i);
            if (text == null || (text.isEmpty() && schema.field(col).type().kind != io.velo.types.DataType.Kind.STRING)) {
                batch.columns[col].setNull(row);
            } else {
                fields.decode(schema.field(col).name(), text, schema.field(col).type(), batch.columns[col], row);
            }
        }
    }
}
