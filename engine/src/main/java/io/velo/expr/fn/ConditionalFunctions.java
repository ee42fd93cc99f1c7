package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.util.ArrayList;
import java.util.List;

/** Conditional and document functions: COALESCE, NULLIF, IF, JSON_VALUE, JSON_EXTRACT, HEADER. */
final class ConditionalFunctions {
    private ConditionalFunctions() {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    static void registerAll() {
        // other ----------------------------------------------------------
        define("COALESCE", "value ...", a -> valueType(a, "COALESCE"), site -> {
            convertAll(site, valueType(site.types(), "COALESCE"), 0);
            return v -> {
                for (Object o : v) {
                    if (o != null) {
                        return o;
                    }
                }
                return null;
            };
        }, false, "the first non-null argument, in their common type");
        define("NULLIF", "value, other", a -> nullifType(a), site -> {
            site.convert(1, commonType(site.type(0), site.type(1), "NULLIF"));
            return v -> v[0] != null && v[1] != null && compareObjects(v[0], v[1]) == 0 ? null : v[0];
        }, false, "NULL when both are equal, else the first");
        define("IF", "condition BOOLEAN, then, else", a -> valueType(a.subList(1, 3), "IF"), site -> {
            convertAll(site, valueType(site.types().subList(1, 3), "IF"), 1);
            return v -> Boolean.TRUE.equals(v[0]) ? v[1] : v[2];
        }, false, "then when the condition is true, else otherwise (also when it is NULL)");
        define("JSON_VALUE", "json STRING, path STRING", a -> DataType.STRING, site -> bindJson(site, true), true,
                "the scalar at a JSON path ($.a.b[0]) as text; NULL for objects, arrays and missing paths");
        define("JSON_EXTRACT", "json STRING, path STRING", a -> DataType.STRING, site -> bindJson(site, false), true,
                "the JSON text of the node at a path; NULL when missing");
        register(new FunctionDef("HEADER", FunctionKind.SCALAR, 1, 1, a -> {
            new Params("HEADER", "name STRING").check(a);
            return DataType.STRING;
        }, site -> v -> null /* compiled to HeaderEval, which reads the row's record */, false, false,
                "HEADER(name STRING): the last Kafka record header of that name as UTF-8 text (NULL when the record has none, e.g. from files; 22021 when not UTF-8)"));
    }

    /** NULLIF returns its first argument, compared with the second in their common type. */
    private static DataType nullifType(List<DataType> a) {
        DataType common = commonType(a.get(0), a.get(1), "NULLIF");
        if (common.kind != a.get(0).kind && !(common.isNumeric() && a.get(0).isNumeric()) && a.get(0).kind != Kind.NULL) {
            throw new CallSite.Rejected(1, "NULLIF compares its arguments as " + common + " but returns the first, a "
                    + a.get(0) + ": CAST one of them");
        }
        return a.get(0);
    }

    private static io.velo.expr.eval.FunctionEval.Impl bindJson(CallSite site, boolean scalar) {
        if (site.isConstant(1) && site.constant(1) != null) {
            Object[] steps;
            try {
                steps = parsePath((String) site.constant(1));
            } catch (RecordError e) {
                throw site.reject(1, e.getMessage());
            }
            return v -> jsonResult(walk(parse(str(v[0])), steps), scalar);
        }
        return v -> jsonResult(walk(parse(str(v[0])), parsePath(str(v[1]))), scalar);
    }

    private static String jsonResult(JsonNode n, boolean scalar) {
        if (scalar) {
            return n == null || n.isNull() || n.isMissingNode() || n.isContainerNode() ? null : n.asText();
        }
        return n == null || n.isMissingNode() ? null : n.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new RecordError(RecordError.MALFORMED_INPUT, "invalid JSON: " + why);
        }
    }

    private static JsonNode walk(JsonNode node, Object[] steps) {
        for (int i = 0; i < steps.length && node != null; i++) {
            node = steps[i] instanceof Integer ? node.get((Integer) steps[i]) : node.get((String) steps[i]);
        }
        return node;
    }

    /**
     * A JSON path {@code $.a.b[0]['c d']} as its steps: field names (String) and array indexes
     * (Integer). A malformed path is an error 22023.
     */
    static Object[] parsePath(String path) {
        String p = path.trim();
        int i = p.startsWith("$") ? 1 : 0;
        List<Object> steps = new ArrayList<>();
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                if (j == i + 1) {
                    throw badPath(path, "an empty field name");
                }
                steps.add(p.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int j = p.indexOf(']', i);
                if (j < 0) {
                    throw badPath(path, "an unclosed [");
                }
                String idx = p.substring(i + 1, j).trim();
                if (idx.length() >= 2 && (idx.charAt(0) == '\'' || idx.charAt(0) == '"') && idx.charAt(idx.length() - 1) == idx.charAt(0)) {
                    steps.add(idx.substring(1, idx.length() - 1));
                } else {
                    int index = idx.isEmpty() || idx.length() > 9 ? -1 : digits(idx);
                    if (index < 0) {
                        throw badPath(path, "index '" + idx + "' (expected a number or a quoted name)");
                    }
                    steps.add(index);
                }
                i = j + 1;
            } else {
                throw badPath(path, "'" + c + "' where . or [ was expected");
            }
        }
        return steps.toArray();
    }

    private static int digits(String s) {
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static RecordError badPath(String path, String what) {
        return invalid("bad JSON path '" + Regexes.shorten(path) + "': " + what + " (expected $.field, $[index] or $['name'])");
    }
}
