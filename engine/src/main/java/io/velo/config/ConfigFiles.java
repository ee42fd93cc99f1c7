package io.velo.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a YAML property file: nested maps flatten to dotted keys, {@code extends: other.yaml} loads a
 * base file first (this file wins), and {@code ${ENV}} / {@code ${ENV:default}} are substituted. A key
 * written twice in one file (also as {@code batch: {size: …}} beside {@code batch.size: …}) is an error
 * naming the file and line: which of the two was meant cannot be guessed.
 */
public final class ConfigFiles {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String EXTENDS = "extends";

    /** A property read from a file, with the file (as the user would name it) and line it came from. */
    public record Entry(String value, String file, int line, String foreignKey) {
        public Entry(String value, String file, int line) {
            this(value, file, line, null);
        }

        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private ConfigFiles() {
    }

    /**
     * @param file the file to read
     * @param display how errors and origins name it (the path as written in SQL)
     * @param keyOf the property a flattened key sets (so 'path' and 't.path' are one property of source t)
     */
    public static Map<String, Entry> load(Path file, String display, UnaryOperator<String> keyOf) throws IOException {
        return load(file, display, keyOf, new java.util.ArrayList<>());
    }

    /**
     * As {@link #load(Path, String, UnaryOperator)}, reading the original engine's layout too
     * ({@link ForeignProperties#file}); what Velo does instead of a key it does not read is added to
     * {@code warnings} (value: the warning, with the key as written).
     */
    public static Map<String, Entry> load(Path file, String display, UnaryOperator<String> keyOf, java.util.List<Entry> warnings)
            throws IOException {
        return load(file, display, keyOf, new HashSet<>(), warnings);
    }

    private static Map<String, Entry> load(Path file, String display, UnaryOperator<String> keyOf, Set<Path> seen,
                                           java.util.List<Entry> warnings) throws IOException {
        Path norm = file.toAbsolutePath().normalize();
        if (!seen.add(norm)) {
            throw new IOException("config file " + display + " extends itself");
        }
        if (!Files.isRegularFile(norm)) {
            throw new IOException("config file " + display + " does not exist");
        }
        Map<String, Entry> own = new LinkedHashMap<>();
        Entry ext;
        try (JsonParser p = YAML.createParser(norm.toFile())) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return own;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IOException(display + ":" + line(p) + ": a config file must hold a map of properties");
            }
            readMap(p, "", display, keyOf, own, new HashMap<>(), warnings);
            ext = own.remove(EXTENDS);
        } catch (JsonProcessingException e) {
            throw new IOException(display + ":" + (e.getLocation() == null ? 0 : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
        }
        if (ext == null) {
            return own;
        }
        String baseDisplay = Path.of(display).resolveSibling(ext.value()).normalize().toString();
        Map<String, Entry> out = new LinkedHashMap<>(load(norm.getParent().resolve(ext.value()), baseDisplay, keyOf, seen, warnings));
        out.putAll(own);
        return out;
    }

    /** Where a property was first written in one file: its line and the key as written there. */
    private record Written(int line, String key, boolean weak) { }

    private static void readMap(JsonParser p, String prefix, String display, UnaryOperator<String> keyOf, Map<String, Entry> out,
                                Map<String, Written> written, java.util.List<Entry> warnings) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            int line = line(p);
            String flat = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                readMap(p, flat, display, keyOf, out, written, warnings);
                continue;
            }
            String raw = v == JsonToken.START_ARRAY ? p.readValueAsTree().toString() : v == JsonToken.VALUE_NULL ? null : p.getText();
            ForeignProperties.Translation foreign = flat.equals(EXTENDS) ? null : ForeignProperties.file(flat, raw);
            if (foreign != null) {
                if (foreign.warning() != null) {
                    warnings.add(new Entry(foreign.warning() + " ('" + flat + "')", display, line));
                }
                if (foreign.key() == null) {
                    continue;
                }
                raw = foreign.value();
            }
            String key = flat.equals(EXTENDS) ? flat : keyOf.apply(foreign != null ? foreign.key() : flat);
            boolean weak = foreign != null && foreign.weak();
            Written first = written.get(key);
            if (first != null && (weak || first.weak())) {
                // a fallback form (the original's data_source.path beside file.path): the firm one is read
                Written firm = weak ? first : new Written(line, flat, false);
                Written dropped = weak ? new Written(line, flat, true) : first;
                warnings.add(new Entry("'" + dropped.key() + "' (line " + dropped.line() + ") is not read: '" + firm.key()
                        + "' (line " + firm.line() + ") sets the same property", display, dropped.line()));
                if (weak) {
                    continue;
                }
                written.put(key, firm);
                first = null;
            } else if (first == null) {
                written.put(key, new Written(line, flat, weak));
            }
            if (first != null) {
                throw new IOException(display + ":" + line + ": '" + flat + "' is given twice (first at line " + first.line()
                        + (first.key().equals(flat) ? "" : " as '" + first.key() + "'") + ")");
            }
            if (raw != null) {
                // a scalar as written: a YAML number such as 1.50 keeps its digits
                out.put(key, new Entry(substitute(raw), display, line, foreign != null ? flat : null));
            }
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    static String substitute(String value) {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String env = System.getenv(m.group(1));
            String rep = env != null ? env : m.group(2) != null ? m.group(2) : "";
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
