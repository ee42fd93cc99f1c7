package io.velo.plan;

import io.velo.plan.logical.Aggregate;
import io.velo.plan.logical.Analytic;
import io.velo.plan.logical.Distinct;
import io.velo.plan.logical.Filter;
import io.velo.plan.logical.Having;
import io.velo.plan.logical.Join;
import io.velo.plan.logical.Limit;
import io.velo.plan.logical.LogicalNode;
import io.velo.plan.logical.Project;
import io.velo.plan.logical.Scan;
import io.velo.plan.logical.Sink;
import io.velo.plan.logical.Sort;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the logical plan of a query from its AST, over the already resolved scan of its source:
 * decides whether it aggregates and what it emits, and refuses what is wrong whatever the types
 * (HAVING without an aggregation, whole-row clauses over change rows). Expressions stay as written;
 * the physical planner compiles them.
 */
final class LogicalPlanner {
    private LogicalPlanner() {
    }

    /**
     * @param scan     the query's FROM source, resolved
     * @param bounded  whether that source ends (files), which decides what ORDER BY and DISTINCT over an aggregation mean
     * @param sinkName the named sink, or null for standard output
     */
    static Sink build(Query q, Scan scan, boolean bounded, String sinkName) {
        LogicalNode node = scan;
        for (Query.Join j : q.joins()) {
            Query.FromItem r = j.right();
            node = new Join(node, new Scan(r.name(), r.alias(), r.pos(), null, null, null), j.on(), j.type(), j.withinMillis(), j.pos());
        }
        if (q.where() != null) {
            node = new Filter(node, q.where());
        }
        List<Expr.Call> analytic = AnalyticPlanner.calls(q);
        if (!analytic.isEmpty()) {
            node = new Analytic(node, analytic, null);
        } else if (!q.groupBy().isEmpty() || q.window() != null || AggregatePlanner.hasAggregate(q)) {
            node = new Aggregate(node, q.groupBy(), aggregateCalls(q), q.window(), emit(q, bounded), null);
            if (q.having() != null) {
                node = new Having(node, q.having());
            }
        } else if (q.having() != null) {
            throw new SqlException(q.having().pos(), "HAVING needs GROUP BY or an aggregate");
        }
        node = new Project(node, q.items());
        if (q.distinct()) {
            node = new Distinct(node);
        }
        if (!q.orderBy().isEmpty()) {
            node = new Sort(node, q.orderBy());
        }
        if (q.limit() != null) {
            node = new Limit(node, q.limit());
        }
        return new Sink(node, sinkName, q.pos(), primaryKeyItems(q), null, null);
    }

    /** The aggregate calls of SELECT then HAVING, each once by its text, in the order first met. */
    private static List<Expr.Call> aggregateCalls(Query q) {
        List<Expr.Call> all = new ArrayList<>();
        for (Query.SelectItem it : q.items()) {
            if (!it.star()) {
                AggregatePlanner.collectAggregates(it.expr(), all);
            }
        }
        if (q.having() != null) {
            AggregatePlanner.collectAggregates(q.having(), all);
        }
        Set<String> seen = new HashSet<>();
        List<Expr.Call> calls = new ArrayList<>();
        for (Expr.Call c : all) {
            if (seen.add(SqlPrinter.print(c))) {
                calls.add(c);
            }
        }
        return calls;
    }

    /** What an aggregation emits: as written, else FINAL for a window and CHANGES without one (see {@link #finalForWholeRows}). */
    private static Query.Emit emit(Query q, boolean bounded) {
        Query.Emit emit = q.emit() != null ? q.emit() : (q.window() != null ? Query.Emit.FINAL : Query.Emit.CHANGES);
        if (emit == Query.Emit.CHANGES && (!q.orderBy().isEmpty() || q.distinct())) {
            emit = finalForWholeRows(q, bounded);
        }
        return emit;
    }

    /**
     * ORDER BY and DISTINCT compare whole rows, but the change rows of an EMIT CHANGES aggregation each
     * replace their group's previous row: sorting or de-duplicating them shows one group twice and
     * loses another. Over a bounded input with no EMIT clause the query means its final groups (as in
     * batch SQL), so it emits those; otherwise it is refused.
     */
    private static Query.Emit finalForWholeRows(Query q, boolean bounded) {
        String clause = !q.orderBy().isEmpty() ? "ORDER BY" : "SELECT DISTINCT";
        Pos at = !q.orderBy().isEmpty() ? q.orderBy().get(0).expr().pos() : q.pos();
        if (!bounded) {
            if (!q.orderBy().isEmpty()) {
                return Query.Emit.CHANGES; // refused when the sort is planned: ORDER BY needs a bounded input
            }
            throw new SqlException(at, "SELECT DISTINCT over an unbounded aggregation would compare change rows, each of which "
                    + "replaces its group's previous row; select the GROUP BY columns without DISTINCT, or GROUP BY the distinct columns");
        }
        if (q.emit() == Query.Emit.CHANGES) {
            throw new SqlException(at, clause + " cannot apply to the change rows of EMIT CHANGES (each replaces its group's previous "
                    + "row); leave out EMIT CHANGES (or write EMIT FINAL) to " + (clause.equals("ORDER BY") ? "sort" : "de-duplicate")
                    + " the final groups");
        }
        return Query.Emit.FINAL;
    }

    /** The output items marked PRIMARY KEY, by their alias, column name or text. */
    private static List<String> primaryKeyItems(Query q) {
        List<String> keyItems = new ArrayList<>();
        for (Query.SelectItem it : q.items()) {
            if (it.primaryKey()) {
                keyItems.add(it.alias() != null ? it.alias() : it.expr() instanceof Expr.ColumnRef c ? c.name() : SqlPrinter.print(it.expr()));
            }
        }
        return keyItems;
    }
}
