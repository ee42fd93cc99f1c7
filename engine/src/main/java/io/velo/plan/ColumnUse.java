package io.velo.plan;

import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.validate.Scope;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Which columns of a relation a plan may read: every column reference anywhere in the plan's
 * expressions (select items, WHERE, keys, windows, ON conditions, OVER clauses, subqueries) that can
 * name it — qualified by the relation's name or alias, or unqualified with its name — and every
 * column of a {@code *} or {@code rel.*} that covers it. It over-approximates (an unqualified name
 * that another relation also has counts for both), never the other way: what it leaves out nothing
 * reads. It walks the records of the plan and the AST generically, so a new node type's expressions
 * are seen without changing this class.
 */
final class ColumnUse {
    private ColumnUse() {
    }

    /** For each column of {@code rel}, whether anything under {@code root} may read it. */
    static boolean[] of(Object root, Scope.Relation rel) {
        return of(root, rel, null);
    }

    /**
     * For each column of {@code rel}, whether anything under {@code root} but {@code skip} (a node
     * whose reads are served elsewhere, such as a join's own ON condition, which the join evaluates
     * on its input rows) may read it.
     */
    static boolean[] of(Object root, Scope.Relation rel, Object skip) {
        int width = rel.schema().size();
        boolean[] used = new boolean[width];
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == skip) {
                continue;
            }
            if (o instanceof Expr.ColumnRef c) {
                if (c.qualifier() == null || names(c.qualifier(), rel)) {
                    int i = rel.schema().indexOf(c.name());
                    if (i < 0) {
                        i = indexIgnoringCase(rel, c.name());
                    }
                    if (i >= 0) {
                        used[i] = true;
                    }
                }
                continue;
            }
            if (o instanceof Query.SelectItem item && item.star() && (item.starQualifier() == null || names(item.starQualifier(), rel))) {
                java.util.Arrays.fill(used, true);
                continue;
            }
            if (o instanceof Expr.Call call && call.star()) {
                continue; // COUNT(*) reads no column
            }
            if (o instanceof Collection<?> list) {
                for (Object x : list) {
                    if (x != null) {
                        todo.push(x);
                    }
                }
            } else if (o instanceof Map<?, ?> map) {
                for (Object x : map.values()) {
                    if (x != null) {
                        todo.push(x);
                    }
                }
            } else if (o instanceof Record r && walked(r)) {
                for (RecordComponent rc : r.getClass().getRecordComponents()) {
                    try {
                        Object x = rc.getAccessor().invoke(r);
                        if (x != null) {
                            todo.push(x);
                        }
                    } catch (ReflectiveOperationException e) {
                        // a record this walk cannot read: assume it reads everything
                        java.util.Arrays.fill(used, true);
                        return used;
                    }
                }
            }
        }
        return used;
    }

    /** The plan's and the AST's own records (not schemas, positions or values). */
    private static boolean walked(Record r) {
        String pkg = r.getClass().getPackageName();
        return pkg.equals("io.velo.sql.ast") || pkg.equals("io.velo.plan.logical");
    }

    private static boolean names(String qualifier, Scope.Relation rel) {
        return qualifier.equalsIgnoreCase(rel.alias() != null ? rel.alias() : "") || qualifier.equalsIgnoreCase(rel.name());
    }

    private static int indexIgnoringCase(Scope.Relation rel, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < rel.schema().size(); i++) {
            if (rel.schema().field(i).name().toLowerCase(Locale.ROOT).equals(lower)) {
                return i;
            }
        }
        return -1;
    }
}
