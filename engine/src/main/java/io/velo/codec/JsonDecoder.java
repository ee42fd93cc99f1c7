package io.velo.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per record, streamed with Jackson's parser: fields map to columns by name, numbers
 * with a fraction are read from their text into exact decimals (unless the column is DOUBLE), missing
 * fields are NULL, unknown fields are ignored, nested objects become JSON text for STRING columns. A
 * column's key given twice in one object (also in another letter case) is a record error. Reads a
 * line of text (files) or a message's bytes (Kafka: parsed from the bytes, which must be UTF-8, with
 * decimal text read in place — no String per record or per decimal).
 */
public final class JsonDecoder implements Decoder, BytesDecoder {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private final Schema schema;
    private final Map<String, Integer> exact = new HashMap<>();
    private final TextFieldDecoder fields;
    private final Dec scratch = new Dec();
    private final CharChars chars = new CharChars();
    /** Per column, the record ({@code stamp}) that last set it: finds keys given twice without a set per record. */
    private final int[] seen;
    private int stamp;

    public JsonDecoder(Schema schema, TextFieldDecoder fields) {
        this.schema = schema;
        this.fields = fields;
        this.seen = new int[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            exact.put(schema.field(i).name(), i);
        }
    }

    private int column(String name) {
        Integer i = exact.get(name);
        return i != null ? i : schema.indexOf(name);
    }

    @Override
    public void decode(String line, RecordBatch batch, int row) {
        JsonParser p;
        try {
            p = FACTORY.createParser(line);
        } catch (IOException e) {
            throw malformed(e);
        }
        decode(p, batch, row);
    }

    @Override
    public void decode(byte[] buf, int off, int len, RecordBatch batch, int row) {
        Utf8.require(buf, off, len);
        JsonParser p;
        try {
            p = FACTORY.createParser(buf, off, len);
        } catch (IOException e) {
            throw malformed(e);
        }
        decode(p, batch, row);
    }

    private void decode(JsonParser parser, RecordBatch batch, int row) {
        for (int c = 0; c < schema.size(); c++) {
            batch.columns[c].setNull(row);
        }
        if (++stamp == 0) {
            java.util.Arrays.fill(seen, 0);
            stamp = 1;
        }
        try (JsonParser p = parser) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "expected a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int col = column(name);
                if (col < 0) {
                    p.skipChildren();
                    continue;
                }
                if (seen[col] == stamp) {
                    throw duplicate(name, col);
                }
                seen[col] = stamp;
                value(p, v, name, schema.field(col).type(), batch.columns[col], row);
            }
            if (t != JsonToken.END_OBJECT) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "malformed JSON object");
            }
            if (p.nextToken() != null) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "unexpected text after the JSON object");
            }
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private static RecordError malformed(IOException e) {
        String m = String.valueOf(e.getMessage());
        int cut = m.indexOf('\n');
        m = cut > 0 ? m.substring(0, cut) : m;
        int hint = m.indexOf(": enable"); // the parser's advice names its own switches, not Velo's
        return new RecordError(RecordError.MALFORMED_INPUT, "malformed JSON: " + (hint > 0 ? m.substring(0, hint) : m));
    }

    /** The current token's text as a reused view of the parser's buffer (number and decimal text). */
    private CharSequence tokenChars(JsonParser p) throws IOException {
        return chars.set(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /**
     * The text of a JSON string, refusing an escape that names half of a surrogate pair
     * ({@code "\ud800"}): no UTF-8 output can hold it, so it would come out as '?' (22021).
     */
    static String wellFormed(String name, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new RecordError(RecordError.INVALID_ENCODING, "field '" + name + "': the escape \\u"
                            + Integer.toHexString(c) + " is half of a surrogate pair, not a character");
                }
            }
        }
        return s;
    }

    /** {@code s} without leading and trailing spaces (a view, no copy, when there are none). */
    private static CharSequence trimmed(CharSequence s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        return from == 0 && to == s.length() ? s : s.subSequence(from, to);
    }

    /** A key given twice would silently keep one of two values: which one is the writer's bug to fix. */
    private RecordError duplicate(String name, int col) {
        String column = schema.field(col).name();
        return new RecordError(RecordError.MALFORMED_INPUT, "duplicate key '" + name + "'"
                + (name.equals(column) ? "" : " (column '" + column + "' given twice)") + " in the JSON object");
    }

    private void value(JsonParser p, JsonToken v, String name, DataType type, Column col, int row) throws IOException {
        switch (v) {
            case VALUE_NULL:
                col.setNull(row);
                return;
            case VALUE_STRING:
                if (type.kind == DataType.Kind.ARRAY || type.kind == DataType.Kind.MAP) {
                    throw TextFieldDecoder.bad(name, p.getText(), type);
                }
                if (type.kind == DataType.Kind.DECIMAL && DecimalMath.parse(trimmed(tokenChars(p)), scratch)) {
                    fields.decimal(name, scratch, type, col, row); // a decimal in a string, read in place
                    return;
                }
                fields.decode(name, wellFormed(name, p.getText()), type, col, row);
                return;
            case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT:
                switch (type.kind) {
                    case BIGINT: case TIMESTAMP:
                        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.LONG
                                || v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                            col.setLong(row, p.getLongValue());
                            return;
                        }
                        throw TextFieldDecoder.bad(name, p.getText(), type);
                    case DOUBLE:
                        col.setDouble(row, TextFieldDecoder.finiteDouble(name, p.getDoubleValue(), p.getText()));
                        return;
                    case DECIMAL:
                        if (!DecimalMath.parse(tokenChars(p), scratch)) {
                            throw TextFieldDecoder.bad(name, p.getText(), type);
                        }
                        fields.decimal(name, scratch, type, col, row);
                        return;
                    case STRING:
                        col.setObject(row, p.getText());
                        return;
                    default:
                        fields.decode(name, p.getText(), type, col, row);
                        return;
                }
            case VALUE_TRUE: case VALUE_FALSE:
                if (type.kind == DataType.Kind.BOOLEAN) {
                    col.setLong(row, v == JsonToken.VALUE_TRUE ? 1 : 0);
                } else if (type.kind == DataType.Kind.STRING) {
                    col.setObject(row, p.getText());
                } else {
                    throw TextFieldDecoder.bad(name, p.getText(), type);
                }
                return;
            case START_OBJECT: case START_ARRAY: {
                JsonNode node = MAPPER.readTree(p);
                if (type.kind == DataType.Kind.STRING) {
                    col.setObject(row, node.toString());
                } else if (type.kind == DataType.Kind.ARRAY && node.isArray()) {
                    col.setObject(row, toJava(node, type));
                } else if (type.kind == DataType.Kind.MAP && node.isObject()) {
                    col.setObject(row, toJava(node, type));
                } else {
                    throw TextFieldDecoder.bad(name, node.toString(), type);
                }
                return;
            }
            default:
                throw new RecordError(RecordError.MALFORMED_INPUT, "unexpected JSON token for field '" + name + "'");
        }
    }

    /** Converts a JSON array/object to the Java form of an ARRAY/MAP value (decimals stay exact). */
    static Object toJava(JsonNode n, DataType type) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode e : n) {
                out.add(toJava(e, type == null ? null : type.element));
            }
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), toJava(e.getValue(), type == null ? null : type.value));
            }
            return out;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return new BigDecimal(n.asText());
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }
}
