package io.velo.codec;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.types.DataType;
import io.velo.failure.RecordError;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * One CSV record (RFC 4180 quoting with doubled quotes; a quoted field may hold line breaks, which
 * the file source keeps together in one record).
 * Columns map by header name when there is a header, by position otherwise. An empty cell is NULL.
 * Reads a line (files) or one message's bytes (Kafka: UTF-8 checked, numbers parsed in place, a
 * String only per text cell); one trailing line break in a message is ignored.
 */
public final class CsvDecoder implements Decoder, BytesDecoder {
    private final Schema schema;
    private final char delimiter;
    private final int[] columnOfCell;
    private final TextFieldDecoder fields;
    private final CsvCells cells = new CsvCells();
    private final io.velo.types.decimal.Dec scratch = new io.velo.types.decimal.Dec();
    private final ByteChars bytes = new ByteChars();

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
                columnOfCell[i] = header.get(i) == null ? -1 : schema.indexOf(header.get(i).trim()); // an empty name reads nothing
            }
        }
    }

/** The cells of one line as Strings (NULL for an empty unquoted cell): headers and schema inference. */
    public static List<String> split(String line, char delimiter) {
        CsvCells cells = new CsvCells();
        cells.tokenize(line, delimiter);
        List<String> out = new ArrayList<>(cells.count);
        for (int c = 0; c < cells.count; c++) {
            out.add(cells.string(line, c));
        }
        return out;
    }

    @Override
    public void decode(String line, RecordBatch batch, int row) {
        decodeLine(line, batch, row);
    }

    @Override
    public void decode(byte[] buf, int off, int len, RecordBatch batch, int row) {
        Utf8.require(buf, off, len);
        if (len > 0 && buf[off + len - 1] == '\n') {
            len--;
            if (len > 0 && buf[off + len - 1] == '\r') {
                len--;
            }
        }
        decodeLine(bytes.set(buf, off, len), batch, row);
    }

    private void decodeLine(CharSequence line, RecordBatch batch, int row) {
        CsvCells c = cells;
        c.tokenize(line, delimiter);
        if (c.count != columnOfCell.length) {
            throw new RecordError(RecordError.MALFORMED_INPUT, "expected " + columnOfCell.length + " fields but found " + c.count);
        }
        for (int col = 0; col < schema.size(); col++) {
            batch.columns[col].setNull(row);
        }
        for (int i = 0; i < c.count; i++) {
            int col = columnOfCell[i];
            if (col < 0 || c.kind[i] == CsvCells.NULL) {
                continue;
            }
            DataType type = schema.field(col).type();
            Column column = batch.columns[col];
            if (c.kind[i] == CsvCells.RANGE && (type.kind == DataType.Kind.BIGINT || type.kind == DataType.Kind.DECIMAL)
                    && decodeNumberInPlace(line, c.start[i], c.end[i], type, column, row, col)) {
                continue;
            }
            String text = c.string(line, i);
            if (text.isEmpty() && type.kind != DataType.Kind.STRING) {
                column.setNull(row);
            } else {
                fields.decode(schema.field(col).name(), text, type, column, row);
            }
        }
    }

    /**
     * BIGINT and DECIMAL cells parsed straight from the line (no String per cell); false sends the
     * cell down the general path, which also produces the error message for bad text.
     */
    private boolean decodeNumberInPlace(CharSequence line, int from, int to, DataType type, Column column, int row, int col) {
        while (from < to && line.charAt(from) == ' ') {
            from++;
        }
        while (to > from && line.charAt(to - 1) == ' ') {
            to--;
        }
        if (from == to) {
            return false;
        }
        if (type.kind == DataType.Kind.BIGINT) {
            long v = TextFieldDecoder.parseLong(line, from, to);
            if (v == Long.MIN_VALUE) {
                return false;
            }
            column.setLong(row, v);
            return true;
        }
        if (!io.velo.types.decimal.DecimalMath.parse(line, from, to, scratch)) {
            return false;
        }
        fields.decimal(schema.field(col).name(), scratch, type, column, row);
        return true;
    }
}
