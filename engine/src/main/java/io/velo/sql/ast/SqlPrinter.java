package io.velo.sql.ast;

import java.util.List;
import java.util.Locale;

/**
 * Prints syntax trees back as canonical SQL. The text is position-free, so it doubles as a
 * structural key (matching a SELECT item against a GROUP BY expression) and feeds EXPLAIN output.
 */
public final class SqlPrinter {
    private SqlPrinter() {
    }

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        expr(sb, e);
        return sb.toString();
    }

    /**
     * The text of {@code e}, or null when it is longer than {@code limit} characters. A matcher that
     * tries every prefix of a 10,000-term chain against short keys uses it: each term prints as at
     * least four characters ({@code " + x"}), so a long spine is refused without being printed.
     */
    public static String print(Expr e, int limit) {
        int terms = 0;
        int level = Chains.level(e);
        for (Expr x = e; level != Chains.NONE && Chains.level(x) == level; x = ((Expr.Binary) x).left()) {
            if (++terms > limit / 4) {
                return null;
            }
        }
        String text = print(e);
        return text.length() > limit ? null : text;
    }

    private static void expr(StringBuilder sb, Expr e) {
        if (e instanceof Expr.Literal l) {
            switch (l.kind()) {
                case NULL: sb.append("NULL"); break;
                case STRING: sb.append('\'').append(((String) l.value()).replace("'", "''")).append('\''); break;
                case BOOLEAN: sb.append(((Boolean) l.value()) ? "TRUE" : "FALSE"); break;
                case INTERVAL: sb.append("INTERVAL '").append(l.value()).append("' MILLISECOND"); break;
                default: sb.append(l.value()); break;
            }
        } else if (e instanceof Expr.ColumnRef c) {
            if (c.qualifier() != null) {
                sb.append(c.qualifier().toLowerCase(Locale.ROOT)).append('.');
            }
            sb.append(c.name().toLowerCase(Locale.ROOT));
        } else if (e instanceof Expr.Unary u) {
            sb.append(u.op().equals("NOT") ? "(NOT " : "(-");
            expr(sb, u.operand());
            sb.append(')');
        } else if (e instanceof Expr.Binary b) {
            // a chain prints flat, "(a + b - c)": it parses back to the same left-deep tree, and
            // neither printing nor re-parsing nests once per term
            List<Expr.Binary> spine = Chains.spine(b);
            sb.append('(');
            expr(sb, spine.get(0).left());
            for (Expr.Binary n : spine) {
                String op = n.op().equals("IS_DISTINCT") ? "IS DISTINCT FROM" : n.op().equals("IS_BOOL") ? "IS" : n.op();
                sb.append(' ').append(op).append(' ');
                expr(sb, n.right());
            }
            sb.append(')');
        } else if (e instanceof Expr.Between b) {
            sb.append('(');
            expr(sb, b.value());
            sb.append(b.negated() ? " NOT BETWEEN " : " BETWEEN ");
            expr(sb, b.low());
            sb.append(" AND ");
            expr(sb, b.high());
            sb.append(')');
        } else if (e instanceof Expr.InList in) {
            sb.append('(');
            expr(sb, in.value());
            sb.append(in.negated() ? " NOT IN (" : " IN (");
            list(sb, in.list());
            sb.append("))");
        } else if (e instanceof Expr.InSubquery in) {
            sb.append('(');
            expr(sb, in.value());
            sb.append(in.negated() ? " NOT IN (subquery))" : " IN (subquery))");
        } else if (e instanceof Expr.Exists ex) {
            sb.append(ex.negated() ? "NOT EXISTS (subquery)" : "EXISTS (subquery)");
        } else if (e instanceof Expr.ScalarSubquery) {
            sb.append("(subquery)");
        } else if (e instanceof Expr.Like l) {
            sb.append('(');
            expr(sb, l.value());
            sb.append(l.negated() ? " NOT LIKE " : " LIKE ");
            expr(sb, l.pattern());
            sb.append(')');
        } else if (e instanceof Expr.IsNull n) {
            sb.append('(');
            expr(sb, n.value());
            sb.append(n.negated() ? " IS NOT NULL)" : " IS NULL)");
        } else if (e instanceof Expr.Case c) {
            sb.append("CASE");
            if (c.operand() != null) {
                sb.append(' ');
                expr(sb, c.operand());
            }
            for (Expr.When w : c.whens()) {
                sb.append(" WHEN ");
                expr(sb, w.condition());
                sb.append(" THEN ");
                expr(sb, w.result());
            }
            if (c.otherwise() != null) {
                sb.append(" ELSE ");
                expr(sb, c.otherwise());
            }
            sb.append(" END");
        } else if (e instanceof Expr.Cast c) {
            sb.append("CAST(");
            expr(sb, c.value());
            sb.append(" AS ").append(c.type()).append(')');
        } else if (e instanceof Expr.Call c) {
            sb.append(c.name()).append('(');
            if (c.star()) {
                sb.append('*');
            }
            if (c.distinct()) {
                sb.append("DISTINCT ");
            }
            list(sb, c.args());
            sb.append(')');
            if (c.over() != null) {
                over(sb, c.over());
            }
        }
    }

    /** {@code OVER (…)}: the BUFFER form, PARTITION BY, ORDER BY and the frame, each after a space but the first. */
    private static void over(StringBuilder sb, Expr.Over o) {
        sb.append(" OVER (");
        int start = sb.length();
        if (o.bufferRows() != null) {
            sb.append("ROWS WINDOW BUFFER ").append(o.bufferRows()).append(" ROWS");
        }
        if (!o.partitionBy().isEmpty()) {
            sb.append(sb.length() > start ? " " : "").append("PARTITION BY ");
            list(sb, o.partitionBy());
        }
        if (!o.orderBy().isEmpty()) {
            sb.append(sb.length() > start ? " " : "").append("ORDER BY ");
            for (int i = 0; i < o.orderBy().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                expr(sb, o.orderBy().get(i).expr());
                sb.append(o.orderBy().get(i).descending() ? " DESC" : "");
            }
        }
        if (o.frameUnit() != null) {
            sb.append(sb.length() > start ? " " : "").append(o.frameUnit()).append(" BETWEEN ").append(o.frameStart())
                    .append(" AND ").append(o.frameEnd());
        }
        sb.append(')');
    }

    private static void list(StringBuilder sb, List<Expr> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            expr(sb, items.get(i));
        }
    }
}
