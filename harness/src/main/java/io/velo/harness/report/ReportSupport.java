package io.velo.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Shared helpers of the report writers: reading numbers out of a result by dotted path (absent or
 * non-finite means "not measured", never zero), number formatting, HTML escaping and atomic writes.
 */
final class ReportSupport {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportSupport() {
    }

    /** The node at a dotted path ({@code latency_ms.p99}), or a missing node. */
    static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    /** The finite number at a dotted path, or null when absent, not a number or NaN/infinite. */
    static Double num(JsonNode root, String dotted) {
        return num(at(root, dotted));
    }

    static Double num(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? d : null;
    }

    static String text(JsonNode root, String dotted) {
        JsonNode n = at(root, dotted);
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Escapes text for a Markdown table cell (pipes and newlines would break the row). */
    static String mdCell(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** A readable number: grouping for large values, a few significant digits for small ones. */
    static String fmt(Double d) {
        if (d == null) {
            return "—";
        }
        double a = Math.abs(d);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 100) {
            return trim(String.format(Locale.ROOT, "%.1f", d));
        }
        if (a >= 1) {
            return trim(String.format(Locale.ROOT, "%.2f", d));
        }
        if (a >= 0.001) {
            return trim(String.format(Locale.ROOT, "%.4f", d));
        }
        return String.format(Locale.ROOT, "%.3g", d);
    }

    private static String trim(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String fmtBytes(Double d) {
        if (d == null) {
            return "—";
        }
        double a = Math.abs(d);
        if (a >= 1L << 30) {
            return fmt(d / (1L << 30)) + " GiB";
        }
        if (a >= 1L << 20) {
            return fmt(d / (1L << 20)) + " MiB";
        }
        if (a >= 1L << 10) {
            return fmt(d / (1L << 10)) + " KiB";
        }
        return fmt(d) + " B";
    }

    static String fmtPct(Double fraction) {
        return fraction == null ? "—" : fmt(fraction * 100) + "%";
    }

    /** A signed relative change, e.g. {@code +4.2%}. */
    static String fmtChange(Double change) {
        if (change == null) {
            return "—";
        }
        return (change > 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f%%", change * 100);
    }

    /** (new − base) / |base|, or null when either is missing or the base is zero. */
    static Double relChange(Double base, Double now) {
        if (base == null || now == null || base == 0) {
            return null;
        }
        return (now - base) / Math.abs(base);
    }

    /**
     * The overall verdict of a verdict list: REGRESSION if any metric regressed, else MISSING if any
     * is missing, else IMPROVEMENT if any improved, else PASS; null when there are no verdicts.
     */
    static String overall(ArrayNode verdicts) {
        if (verdicts == null || verdicts.isEmpty()) {
            return null;
        }
        boolean missing = false;
        boolean improved = false;
        for (JsonNode v : verdicts) {
            String s = v.path("status").asText("");
            switch (s) {
                case "REGRESSION" -> {
                    return "REGRESSION";
                }
                case "MISSING" -> missing = true;
                case "IMPROVEMENT" -> improved = true;
                default -> {
                }
            }
        }
        return missing ? "MISSING" : improved ? "IMPROVEMENT" : "PASS";
    }

    /**
     * A deep copy where non-finite doubles become null, so the embedded JSON stays parseable
     * (Jackson would write a bare {@code NaN}, which {@code JSON.parse} rejects).
     */
    static JsonNode finiteCopy(JsonNode n) {
        if (n == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), finiteCopy(e.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(finiteCopy(x)));
            return a;
        }
        if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
            return JsonNodeFactory.instance.nullNode();
        }
        return n;
    }

    /** JSON safe to embed inside a {@code <script>} element: no {@code <}, {@code >} or {@code &} survive literally. */
    static String scriptJson(JsonNode n) {
        try {
            String s = new ObjectMapper().writeValueAsString(finiteCopy(n));
            return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A relative link target from a result field, or null if it is not a plain relative path
     * (a scheme such as {@code javascript:} or an absolute path is refused, since the report links it).
     */
    static String relativeHref(String name) {
        if (name == null || name.isBlank() || name.contains(":") || name.startsWith("/") || name.startsWith("\\")) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String seg : name.split("/", -1)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(java.net.URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    /** Writes a file through a temporary sibling and a move, so a reader never sees half a report. */
    static void writeAtomically(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
