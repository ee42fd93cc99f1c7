package io.velo.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Column lists written in the original engine's YAML: a config file's {@code schema.fields} and a
 * {@code schemas/<source>.schema.yaml} file ({@code fields:}), each field a map with {@code name},
 * {@code type} and, for decimals, {@code precision}/{@code scale}. They become Velo's inline column
 * list ({@code 'id BIGINT, price DECIMAL(19,4)'}).
 */
public final class OriginalSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private OriginalSchema() {
    }

    /** The column list of a JSON array of field maps. */
    public static String columns(String jsonArray) {
        return columns(jsonArray, new java.util.ArrayList<>());
    }

    /** The column list of a JSON array of field maps; what Velo reads differently goes to {@code notes}. */
    public static String columns(String jsonArray, List<String> notes) {
        try {
            return columns(JSON.readTree(jsonArray), notes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a list of fields: " + e.getMessage());
        }
    }

    /** The column list of a {@code <source>.schema.yaml} file (its {@code fields:} list). */
    public static String columnsOfFile(Path file) throws IOException {
        return columnsOfFile(file, new java.util.ArrayList<>());
    }

    /** The column list of a {@code <source>.schema.yaml} file; what Velo reads differently goes to {@code notes}. */
    public static String columnsOfFile(Path file, List<String> notes) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        JsonNode fields = root == null ? null : root.get("fields");
        if (fields == null) {
            throw new IllegalArgumentException("it has no 'fields:' list");
        }
        return columns(fields, notes);
    }

    private static String columns(JsonNode fields, List<String> notes) {
        if (!fields.isArray() || fields.isEmpty()) {
            throw new IllegalArgumentException("expected a non-empty list of fields");
        }
        List<String> cols = new ArrayList<>();
        int i = 0;
        for (JsonNode f : fields) {
            i++;
            JsonNode name = f.get("name");
            JsonNode type = f.get("type");
            if (name == null || !name.isTextual() || type == null) {
                throw new IllegalArgumentException("field " + i + " needs a 'name' and a 'type'");
            }
            if (type.isObject() && type.has("decimal")) {
                // the original's {decimal: {precision: n}}: n decimal places
                JsonNode d = type.get("decimal");
                int places = d.has("precision") ? d.get("precision").asInt() : 4;
                cols.add(quote(name.asText()) + " DECIMAL(19," + places + ")");
                continue;
            }
            if (!type.isTextual()) {
                throw new IllegalArgumentException("field '" + name.asText() + "' has type " + type + ", which Velo has no column type for");
            }
            cols.add(quote(name.asText()) + " " + sqlType(name.asText(), type.asText(), f, notes));
        }
        return String.join(", ", cols);
    }

    private static String quote(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String sqlType(String field, String type, JsonNode f, List<String> notes) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("decimal")) {
            // 'decimal' with precision/scale keys, or the original's hint form 'decimal(4)' (a scale)
            int precision = f.has("precision") ? f.get("precision").asInt() : 19;
            int scale = f.has("scale") ? f.get("scale").asInt() : 4;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("decimal\\((\\d+)\\)").matcher(t);
            if (m.matches()) {
                scale = Integer.parseInt(m.group(1));
            }
            return "DECIMAL(" + precision + "," + scale + ")";
        }
        if (field.equalsIgnoreCase("_event_time") && (t.equals("integer") || t.equals("int") || t.equals("long") || t.equals("i64"))) {
            // the original keeps event time as epoch milliseconds in an integer column; in Velo it is the
            // TIMESTAMP system column (an integer value reads as epoch milliseconds), so it compares with timestamps
            return "TIMESTAMP";
        }
        return switch (t) {
            case "string", "str", "text" -> "STRING";
            case "integer", "int", "long", "i64", "i32" -> "BIGINT";
            case "float", "double", "f64", "f32" -> "DOUBLE";
            case "boolean", "bool" -> "BOOLEAN";
            case "timestamp", "datetime" -> "TIMESTAMP";
            case "date" -> "DATE";
            case "time" -> {
                notes.add("field '" + field + "' has type 'time': Velo has no time-of-day type and reads it as STRING (its text, "
                        + "such as 09:30:00, compares in time order when written with two-digit fields)");
                yield "STRING";
            }
            default -> throw new IllegalArgumentException("field '" + field + "' has type '" + type + "', which Velo has no column type for");
        };
    }

    /**
     * The original's schema file for {@code source}: {@code schemas/<source>.schema.yaml} in the SQL
     * file's directory or its parent (its demos keep SQL in {@code apps/} beside {@code schemas/}).
     */
    public static Path schemaFile(Path baseDir, String source) {
        for (Path dir = baseDir.toAbsolutePath().normalize(), up = dir.getParent(); dir != null; dir = up, up = null) {
            Path p = dir.resolve("schemas").resolve(source + ".schema.yaml");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
