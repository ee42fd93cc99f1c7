package io.velo.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a YAML property file: nested maps flatten to dotted keys, {@code extends: other.yaml} loads a
 * base file first (this file wins), and {@code ${ENV}} / {@code ${ENV:default}} are substituted.
 */
public final class ConfigFiles {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigFiles() {
    }

    public static Map<String, String> load(Path file) throws IOException {
        return load(file, new HashSet<>());
    }

    private static Map<String, String> load(Path file, Set<Path> seen) throws IOException {
        Path norm = file.toAbsolutePath().normalize();
        if (!seen.add(norm)) {
            throw new IOException("config file " + file + " extends itself");
        }
        if (!Files.isRegularFile(norm)) {
            throw new IOException("config file " + file + " does not exist");
        }
        JsonNode root = YAML.readTree(norm.toFile());
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw new IOException("config file " + file + " must hold a map of properties");
        }
        JsonNode ext = root.get("extends");
        if (ext != null) {
            out.putAll(load(norm.getParent().resolve(ext.asText()), seen));
        }
        flatten("", root, out);
        out.remove("extends");
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, substitute(node.isTextual() ? node.asText() : node.toString()));
        }
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
