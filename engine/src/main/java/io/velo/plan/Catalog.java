package io.velo.plan;

import io.velo.sql.ast.Statement;
import io.velo.types.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named streams and tables known while a script is planned: declared sources (with their columns and
 * WITH properties) and the outputs of earlier CREATE … AS statements, which later statements may read.
 */
public final class Catalog {
    /** A named relation. {@code schema} may be null for a declared source whose schema is inferred. */
    public record Entry(String name, boolean table, Schema schema, List<Statement.Property> properties, String origin,
                        String sinkPath, String sinkFormat, String primaryKey) { }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public void put(Entry e) {
        entries.put(e.name().toLowerCase(Locale.ROOT), e);
    }

    public Entry get(String name) {
        return entries.get(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, Entry> all() {
        return entries;
    }
}
