package io.velo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.config.PropertyCatalog;
import io.velo.config.PropertyDef;
import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The function and property tables of {@code docs/sql-reference.md} are the registry's: a function or
 * key the docs list exists, and everything that exists is listed (run with
 * {@code -Dvelo.updateDocs=true} to rewrite the generated section after a change).
 */
class DocsTest {
    private static final Path DOC = Path.of("../docs/sql-reference.md");
    private static final String BEGIN = "<!-- generated: functions and properties (DocsTest) -->";
    private static final String END = "<!-- end of generated section -->";

    static String generated() {
        StringBuilder sb = new StringBuilder(BEGIN).append("\n\n## Functions\n\n| name | kind | arguments | what |\n|---|---|---|---|\n");
        Map<String, FunctionDef> byName = new TreeMap<>();
        for (FunctionDef d : FunctionRegistry.all()) {
            byName.put(d.name(), d);
        }
        for (FunctionDef d : byName.values()) {
            String args = d.minArgs() == d.maxArgs() ? String.valueOf(d.minArgs())
                    : d.maxArgs() == Integer.MAX_VALUE ? d.minArgs() + " or more" : d.minArgs() + " to " + d.maxArgs();
            String kind = switch (d.kind()) {
                case SCALAR -> "scalar";
                case AGGREGATE -> "aggregate";
                case ANALYTIC -> "analytic (OVER)";
                default -> "aggregate (also with OVER)";
            };
            sb.append("| `").append(d.name()).append("` | ").append(kind).append(" | ").append(args).append(" | ")
                    .append(d.doc().replace("|", "\\|")).append(" |\n");
        }
        Map<String, String> aliases = new TreeMap<>(FunctionRegistry.aliases());
        aliases.put("SUBSTR", "SUBSTRING"); // a spelling the parser maps, for SUBSTRING(s FROM a FOR b)
        StringBuilder al = new StringBuilder();
        aliases.forEach((a, n) -> al.append(al.length() == 0 ? "" : ", ").append('`').append(a).append("` = `").append(n).append('`'));
        sb.append("\nAliases: ").append(al).append(".\n");
        sb.append("\n## Job properties\n\n| key | type | default | what |\n|---|---|---|---|\n");
        for (PropertyDef d : PropertyCatalog.jobKeys()) {
            sb.append("| `").append(d.key()).append("` | ").append(type(d)).append(" | ")
                    .append(d.defaultValue() == null ? "" : "`" + d.defaultValue() + "`").append(" | ")
                    .append(d.strategy() == null ? "" : "(" + d.strategy() + ") ").append(d.doc()).append(" |\n");
        }
        sb.append("\nBatch, failure and retry keys may be scoped to one side: `source.batch.size`, `sink.failure_strategy`, …\n");
        sb.append("\n## Connector properties (`'<name>.<key>'`)\n\n| key | type | default | read by | what |\n|---|---|---|---|---|\n");
        for (PropertyDef d : PropertyCatalog.connectorKeys()) {
            sb.append("| `").append(d.key()).append("` | ").append(type(d)).append(" | ")
                    .append(d.defaultValue() == null ? "" : "`" + d.defaultValue() + "`").append(" | ")
                    .append(String.join(", ", PropertyCatalog.kindsReading(d.key()))).append(" | ").append(d.doc()).append(" |\n");
        }
        sb.append("| `kafka.*` | string | | kafka_source, kafka_sink | passed to the Kafka client |\n");
        return sb.append('\n').append(END).toString();
    }

    private static String type(PropertyDef d) {
        return d.choices() != null ? String.join(" \\| ", d.choices()) : d.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void referenceTablesMatchTheRegistries() throws IOException {
        String doc = Files.readString(DOC);
        int a = doc.indexOf(BEGIN);
        int b = doc.indexOf(END);
        String actual = a >= 0 && b > a ? doc.substring(a, b + END.length()) : "";
        String expected = generated();
        if (Boolean.getBoolean("velo.updateDocs")) {
            Files.writeString(DOC, a >= 0 && b > a ? doc.substring(0, a) + expected + doc.substring(b + END.length()) : doc + "\n" + expected + "\n");
            return;
        }
        assertEquals(expected, actual, "docs/sql-reference.md is out of date: run the tests with -Dvelo.updateDocs=true");
    }
}
