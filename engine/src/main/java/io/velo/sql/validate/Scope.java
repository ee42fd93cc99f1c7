package io.velo.sql.validate;

import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.SystemColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The names visible to an expression: the columns of one or more relations laid side by side in the
 * batch, plus the system columns. Resolves a column reference to a batch column index.
 */
public final class Scope {
    /** A relation (source) visible under its name and optional alias; its columns start at {@code offset}. */
    public record Relation(String name, String alias, Schema schema, int offset) { }

    /** A resolved reference: a batch column, or a system column when {@code system != null}. */
    public record Resolved(int index, DataType type, String name, SystemColumn system) { }

    private final List<Relation> relations = new ArrayList<>();

    public Scope(String name, String alias, Schema schema) {
        relations.add(new Relation(name, alias, schema, 0));
    }

    public Scope(List<Relation> relations) {
        this.relations.addAll(relations);
    }

    public List<Relation> relations() {
        return relations;
    }

    public static SystemColumn systemColumn(String name) {
        return SystemColumn.named(name.toLowerCase(Locale.ROOT));
    }

    public Resolved resolve(Expr.ColumnRef ref) {
        Resolved found = null;
        for (Relation r : relations) {
            if (ref.qualifier() != null && !ref.qualifier().equalsIgnoreCase(r.name())
                    && (r.alias() == null || !ref.qualifier().equalsIgnoreCase(r.alias()))) {
                continue;
            }
            int i = r.schema().indexOf(ref.name());
            if (i >= 0) {
                if (found != null) {
                    throw new SqlException(ref.pos(), "column '" + ref.name() + "' is ambiguous: qualify it with a source name or alias");
                }
                found = new Resolved(r.offset() + i, r.schema().field(i).type(), r.schema().field(i).name(), null);
            }
        }
        if (found != null) {
            return found;
        }
        SystemColumn sys = systemColumn(ref.name());
        if (sys != null) {
            return new Resolved(-1, null, ref.name().toLowerCase(Locale.ROOT), sys);
        }
        if (ref.qualifier() != null) {
            boolean knownQualifier = relations.stream().anyMatch(r -> ref.qualifier().equalsIgnoreCase(r.name())
                    || (r.alias() != null && ref.qualifier().equalsIgnoreCase(r.alias())));
            if (!knownQualifier) {
                throw new SqlException(ref.pos(), "unknown source or alias '" + ref.qualifier() + "'");
            }
        }
        StringBuilder cols = new StringBuilder();
        for (Relation r : relations) {
            for (int i = 0; i < r.schema().size(); i++) {
                if (cols.length() > 0) {
                    cols.append(", ");
                }
                cols.append(r.schema().field(i).name());
            }
        }
        throw new SqlException(ref.pos(), "unknown column '" + (ref.qualifier() == null ? "" : ref.qualifier() + ".")
                + ref.name() + "' (available: " + (cols.length() == 0 ? "none" : cols) + ")");
    }
}
