package io.velo.sql.ast;

import java.util.List;

/**
 * A SELECT. Clauses that are absent are null (or empty lists). {@code unionAll} holds the SELECTs that
 * follow it with {@code UNION ALL} (each without branches of its own), empty for a single SELECT.
 */
public record Query(
        Pos pos,
        boolean distinct,
        List<SelectItem> items,
        FromItem from,
        List<Join> joins,
        Expr where,
        List<Expr> groupBy,
        WindowSpec window,
        Expr having,
        List<Expr.OrderItem> orderBy,
        Long limit,
        Emit emit,
        List<Query> unionAll) {

    /** A SELECT without UNION ALL branches. */
    public Query(Pos pos, boolean distinct, List<SelectItem> items, FromItem from, List<Join> joins, Expr where, List<Expr> groupBy,
                 WindowSpec window, Expr having, List<Expr.OrderItem> orderBy, Long limit, Emit emit) {
        this(pos, distinct, items, from, joins, where, groupBy, window, having, orderBy, limit, emit, List.of());
    }

    /** This query followed by {@code branches}, each a SELECT whose rows go to the same output ({@code UNION ALL}). */
    public Query withUnionAll(List<Query> branches) {
        return new Query(pos, distinct, items, from, joins, where, groupBy, window, having, orderBy, limit, emit, List.copyOf(branches));
    }

    /** This query's own SELECT, without its UNION ALL branches. */
    public Query first() {
        return unionAll.isEmpty() ? this : new Query(pos, distinct, items, from, joins, where, groupBy, window, having, orderBy, limit, emit);
    }

    public enum Emit { CHANGES, FINAL }

    /** {@code *}, {@code alias.*} or an expression with an optional alias and PRIMARY KEY marker. */
    public record SelectItem(Pos pos, Expr expr, String alias, boolean primaryKey, boolean star, String starQualifier) { }

    /** A named source or a parenthesised subquery, with an optional alias. */
    public record FromItem(Pos pos, String name, String alias, Query subquery) { }

    public enum JoinType { INNER, LEFT, RIGHT, FULL }

    public record Join(Pos pos, JoinType type, FromItem right, Expr on, Long withinMillis) { }

    public enum WindowKind { TUMBLING, SLIDING, SESSION }

    /** size/advance/gap in milliseconds; timeColumn null means the record's event time. */
    public record WindowSpec(Pos pos, WindowKind kind, Expr timeColumn, long size, long advance, long gap) { }
}
