package io.velo.plan;

import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.Statement;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Plans the SELECT list: expands {@code *}, names the output columns (alias, column name, function
 * name, or exprN; duplicates get a suffix), takes an item aliased {@code _event_time} as the event
 * time, and applies a declared output column list (names and types).
 */
final class ProjectionPlanner {
    private ProjectionPlanner() {
    }

    static final class Projection {
        Eval[] items;
        Eval eventTime;
        Schema schema;
    }

    /** Compiles the SELECT list {@code selected} over the rows of {@code scan} (its name and alias qualify a star), read through {@code compiler}. */
    static Projection project(List<Query.SelectItem> selected, io.velo.plan.logical.Scan scan, ExprCompiler compiler, Schema inSchema,
                              List<Statement.ColumnDef> declaredOut) {
        return project(selected, scan, compiler, inSchema, declaredOut, List.of());
    }

    /**
     * The same over the rows of a join: {@code relations} are the joined relations laid side by side in
     * {@code inSchema} (empty for one source), and {@code alias.*} selects the columns of one of them.
     */
    static Projection project(List<Query.SelectItem> selected, io.velo.plan.logical.Scan scan, ExprCompiler compiler, Schema inSchema,
                              List<Statement.ColumnDef> declaredOut, List<io.velo.sql.validate.Scope.Relation> relations) {
        List<Eval> items = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        Eval eventTime = null;
        Set<String> used = new HashSet<>();
        int exprN = 0;
        for (Query.SelectItem it : selected) {
            if (it.star()) {
                boolean any = false;
                int from = 0;
                int to = inSchema.size();
                if (relations.size() > 1 && it.starQualifier() != null) {
                    io.velo.sql.validate.Scope.Relation r = relations.stream()
                            .filter(x -> it.starQualifier().equalsIgnoreCase(x.alias() != null ? x.alias() : x.name())).findFirst()
                            .orElseThrow(() -> new SqlException(it.pos(), "unknown source or alias '" + it.starQualifier() + "'"));
                    from = r.offset();
                    to = r.offset() + r.schema().size();
                }
                for (int i = from; i < to; i++) {
                    if (relations.size() <= 1 && it.starQualifier() != null && !it.starQualifier().equalsIgnoreCase(scan.source())
                            && !it.starQualifier().equalsIgnoreCase(scan.alias() == null ? "" : scan.alias())) {
                        throw new SqlException(it.pos(), "unknown source or alias '" + it.starQualifier() + "'");
                    }
                    Field f = inSchema.field(i);
                    items.add(new ColumnEval(i, f.name(), f.type()));
                    fields.add(new Field(unique(f.name(), used), f.type()));
                    any = true;
                }
                if (!any) {
                    throw new SqlException(it.pos(), "* has no columns to select");
                }
                continue;
            }
            Eval e = compiler.compile(it.expr());
            String name;
            if (it.alias() != null) {
                name = it.alias();
            } else if (it.expr() instanceof Expr.ColumnRef c) {
                name = c.name();
            } else if (it.expr() instanceof Expr.Call c) {
                name = c.name().toLowerCase(Locale.ROOT);
            } else {
                name = "expr" + (exprN++);
            }
            if (name.equalsIgnoreCase("_event_time") && it.alias() != null) {
                if (e.type.kind == DataType.Kind.DATE) {
                    e = compiler.coerce(e, DataType.TIMESTAMP); // a day's events happen from its midnight
                }
                if (e.type.kind != DataType.Kind.TIMESTAMP && e.type.kind != DataType.Kind.BIGINT) {
                    throw new SqlException(it.pos(), "an expression AS _event_time must be a TIMESTAMP, a DATE or epoch millis, got " + e.type);
                }
                eventTime = e;
                continue;
            }
            if (e.type.kind == DataType.Kind.NULL) {
                e = compiler.coerce(e, DataType.STRING);
            }
            items.add(e);
            fields.add(new Field(unique(name, used), e.type));
        }
        if (!declaredOut.isEmpty()) {
            if (declaredOut.size() != items.size()) {
                throw new SqlException(declaredOut.get(0).pos(), "the output declares " + declaredOut.size() + " columns ("
                        + describe(declaredOut) + ") but the query selects " + items.size());
            }
            for (int i = 0; i < items.size(); i++) {
                Statement.ColumnDef c = declaredOut.get(i);
                items.set(i, compiler.coerce(items.get(i), c.type()));
                fields.set(i, new Field(c.name(), c.type()));
            }
        }
        Projection p = new Projection();
        p.items = items.toArray(new Eval[0]);
        p.eventTime = eventTime;
        p.schema = new Schema(fields);
        return p;
    }

    private static String describe(List<Statement.ColumnDef> cols) {
        StringBuilder sb = new StringBuilder();
        for (Statement.ColumnDef c : cols) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(c.type());
        }
        return sb.toString();
    }

    private static String unique(String name, Set<String> used) {
        String n = name;
        int k = 2;
        while (!used.add(n.toLowerCase(Locale.ROOT))) {
            n = name + "_" + k++;
        }
        return n;
    }
}
