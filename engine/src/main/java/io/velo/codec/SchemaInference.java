package io.velo.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers a schema from sample records when none is declared: integers → BIGINT, numbers with a
 * fraction → DECIMAL (each value keeps its scale), true/false → BOOLEAN, everything else → STRING.
 * A column whose samples disagree widens (BIGINT + DECIMAL → DECIMAL, anything + text → STRING).
 */
public final class SchemaInference {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaInference() {
    }

    /** @param header the header cells (renamed per {@link CsvHeader#inferredNames}: every field is a column) */
    public static Schema csv(List<String> header, List<List<String>> rows) {
        header = CsvHeader.inferredNames(header);
        List<DataType> types = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            types.add(DataType.NULL);
        }
        for (List<String> row : rows) {
            for (int i = 0; i < Math.min(row.size(), header.size()); i++) {
                String cell = row.get(i);
                if (cell == null || cell.isEmpty()) {
                    continue;
                }
                types.set(i, widen(types.get(i), ofText(cell)));
            }
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            DataType t = types.get(i);
            fields.add(new Field(header.get(i), t.kind == DataType.Kind.NULL ? DataType.STRING : t));
        }
        return new Schema(fields);
    }

    public static Schema json(List<String> lines) {
        Map<String, DataType> types = new LinkedHashMap<>();
        for (String line : lines) {
            JsonNode n;
            try {
                n = MAPPER.readTree(line);
            } catch (Exception e) {
                continue; // malformed lines are reported when they are read
            }
            if (n == null || !n.isObject()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                DataType t = ofJson(e.getValue());
                types.merge(e.getKey(), t, SchemaInference::widen);
            }
        }
        List<Field> fields = new ArrayList<>();
        types.forEach((k, t) -> fields.add(new Field(k, t.kind == DataType.Kind.NULL ? DataType.STRING : t)));
        return new Schema(fields);
    }

    static DataType ofText(String s) {
        String t = s.trim();
        if (TextFieldDecoder.parseLong(t) != Long.MIN_VALUE || t.equals("-9223372036854775808")) {
            return DataType.BIGINT;
        }
        Dec d = new Dec();
        if (DecimalMath.parse(t, d) && t.indexOf('e') < 0 && t.indexOf('E') < 0) {
            return DataType.DECIMAL;
        }
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return DataType.BOOLEAN;
        }
        return DataType.STRING;
    }

    static DataType ofJson(JsonNode v) {
        if (v.isNull()) {
            return DataType.NULL;
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? DataType.BIGINT : DataType.DECIMAL;
        }
        if (v.isNumber()) {
            return DataType.DECIMAL;
        }
        if (v.isBoolean()) {
            return DataType.BOOLEAN;
        }
        return DataType.STRING;
    }

    static DataType widen(DataType a, DataType b) {
        if (a.kind == DataType.Kind.NULL) {
            return b;
        }
        if (b.kind == DataType.Kind.NULL || a.equals(b)) {
            return a;
        }
        if (a.isNumeric() && b.isNumeric()) {
            return DataType.DECIMAL;
        }
        return DataType.STRING;
    }
}
