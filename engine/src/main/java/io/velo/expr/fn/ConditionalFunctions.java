package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Conditional and document functions: COALESCE, NULLIF, IF, JSON_VALUE, JSON_EXTRACT, HEADER. */
final class ConditionalFunctions {
    private ConditionalFunctions() {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    static void registerAll() {
        // other ----------------------------------------------------------
        lenient("COALESCE", 1, ANY, a -> commonType(a, "COALESCE"), v -> {
            for (Object o : v) {
                if (o != null) {
                    return o;
                }
            }
            return null;
        }, "first non-null argument");
        lenient("NULLIF", 2, 2, a -> { commonType(a, "NULLIF"); return a.get(0); },
                v -> v[0] != null && v[1] != null && compareObjects(v[0], v[1]) == 0 ? null : v[0], "NULL when both are equal");
        lenient("IF", 3, 3, a -> {
            if (a.get(0).kind != Kind.BOOLEAN && a.get(0).kind != Kind.NULL) {
                throw new IllegalArgumentException("IF expects a BOOLEAN condition, got " + a.get(0));
            }
            return commonType(a.get(1), a.get(2), "IF");
        }, v -> Boolean.TRUE.equals(v[0]) ? v[1] : v[2], "IF(cond, then, else)");
        scalar("JSON_VALUE", 2, 2, a -> DataType.STRING, v -> {
            JsonNode n = jsonPath(str(v[0]), str(v[1]));
            return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
        }, "scalar at a JSON path as text ($.a.b[0])");
        scalar("JSON_EXTRACT", 2, 2, a -> DataType.STRING, v -> {
            JsonNode n = jsonPath(str(v[0]), str(v[1]));
            return n == null || n.isMissingNode() ? null : n.toString();
        }, "JSON text of the node at a path");
        volatileFn("HEADER", 1, 1, a -> DataType.STRING, v -> null,
                "value of a Kafka record header (NULL for records without headers, e.g. from files)");
    }

    static JsonNode jsonPath(String json, String path) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (Exception e) {
            throw new io.velo.failure.RecordError(io.velo.failure.RecordError.MALFORMED_INPUT, "invalid JSON: " + e.getMessage());
        }
        String p = path.trim();
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        int i = 0;
        while (i < p.length() && node != null) {
            char c = p.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                node = node.get(p.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int j = p.indexOf(']', i);
                if (j < 0) {
                    throw invalid("bad JSON path '" + path + "'");
                }
                String idx = p.substring(i + 1, j).trim();
                if (idx.startsWith("'") || idx.startsWith("\"")) {
                    node = node.get(idx.substring(1, idx.length() - 1));
                } else {
                    try {
                        node = node.get(Integer.parseInt(idx));
                    } catch (NumberFormatException e) {
                        throw invalid("bad JSON path index '" + idx + "' in '" + path + "'");
                    }
                }
                i = j + 1;
            } else {
                throw invalid("bad JSON path '" + path + "' (expected $.field or $[index])");
            }
        }
        return node;
    }

}
