package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.exec.FilterOperator;
import io.velo.exec.Operator;
import io.velo.exec.ProjectOperator;
import io.velo.exec.RowErrors;
import io.velo.expr.ExprCompiler;
import io.velo.expr.PredicateCompiler;
import io.velo.expr.eval.BatchPredicate;
import io.velo.metrics.JobMetrics;
import io.velo.plan.logical.Derived;
import io.velo.plan.logical.LogicalNode;
import io.velo.plan.logical.Scan;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Query;
import io.velo.sql.validate.Scope;
import java.util.List;

/**
 * Plans {@code FROM (SELECT … FROM s [WHERE …]) [AS] x}: the inner query's WHERE and SELECT list are
 * compiled over the stream {@code s} and run as their own Filter and Project operators before the
 * outer query's, which reads their output rows (the inner SELECT list's columns, system columns and
 * event time carried through) under the name {@code x}. The inner query may hold subqueries over
 * tables; aggregations, windows, OVER, JOIN, DISTINCT, ORDER BY, LIMIT, EMIT and a FROM subquery inside
 * it are refused at their position (the outer query aggregates, joins and sorts instead).
 */
final class DerivedPlanner {
    /** The planned inner query: the stream's scan, the scan the outer query reads, and the compiled inner stages. */
    record Planned(Scan stream, Scan outer, LogicalNode innerPlan, BatchPredicate where, ProjectionPlanner.Projection projection,
                   SubqueryPlanner subqueries) {
        /** The inner operators in front of {@code next}: WHERE, then the SELECT list. */
        Operator operators(Operator next, RowErrors errors, JobMetrics metrics, int batchCapacity) {
            Operator op = new ProjectOperator(projection.items, projection.eventTime,
                    new BatchPool(projection.schema, Math.max(64, Math.min(batchCapacity, 65_536)), 4), next, errors);
            return where == null ? op : new FilterOperator(where, op, errors, metrics);
        }

        /** The node the plan text shows for the outer query's source: the inner plan under the alias. */
        LogicalNode node(String streamDescription) {
            LogicalNode inner = innerPlan.transformUp(n -> n instanceof Scan s ? s.describedAs(streamDescription) : n);
            return new Derived(inner, outer.source(), outer.pos(), outer.schema());
        }
    }

    private DerivedPlanner() {
    }

    /** The name the outer query reads the subquery's rows under when it gives none. */
    static final String NO_ALIAS = "subquery";

    /** Refuses what an inner query over a stream cannot do here, at its position. */
    static void check(Query inner) {
        if (inner.from() == null) {
            throw new SqlException(inner.pos(), "a subquery in FROM needs FROM <stream>");
        }
        if (inner.from().subquery() != null) {
            throw new SqlException(inner.from().pos(), "a FROM subquery inside a FROM subquery is not supported: write the filters "
                    + "and projections of both in one");
        }
        if (!inner.joins().isEmpty()) {
            throw new SqlException(inner.joins().get(0).pos(), "JOIN inside a FROM subquery is not supported: join in the outer query");
        }
        if (!inner.unionAll().isEmpty()) {
            throw new SqlException(inner.unionAll().get(0).pos(), "UNION ALL inside a FROM subquery is not supported yet: write the outer "
                    + "query's filters and projections into each branch and make the UNION ALL the statement's query");
        }
        if (!inner.groupBy().isEmpty() || inner.window() != null || inner.having() != null || AggregatePlanner.hasAggregate(inner)) {
            io.velo.sql.ast.Pos at = !inner.groupBy().isEmpty() ? inner.groupBy().get(0).pos()
                    : inner.window() != null ? inner.window().pos() : inner.having() != null ? inner.having().pos() : inner.pos();
            throw new SqlException(at, "aggregation inside a FROM subquery is not supported yet: its rows would be a changelog; "
                    + "filter and project in the subquery and aggregate in the outer query");
        }
        if (!AnalyticPlanner.calls(inner).isEmpty()) {
            throw new SqlException(AnalyticPlanner.calls(inner).get(0).pos(), "OVER inside a FROM subquery is not supported: use it in the outer query");
        }
        if (inner.distinct()) {
            throw new SqlException(inner.pos(), "SELECT DISTINCT inside a FROM subquery is not supported: use it in the outer query");
        }
        if (!inner.orderBy().isEmpty()) {
            throw new SqlException(inner.orderBy().get(0).expr().pos(), "ORDER BY inside a FROM subquery is not supported: sort in the outer query");
        }
        if (inner.limit() != null) {
            throw new SqlException(inner.pos(), "LIMIT inside a FROM subquery is not supported: limit the outer query");
        }
        if (inner.emit() != null) {
            throw new SqlException(inner.pos(), "EMIT inside a FROM subquery is not supported: the outer query says what it emits");
        }
    }

    /** Compiles the inner query over the stream's scan {@code stream}. */
    static Planned plan(Query inner, Query.FromItem from, Scan stream, Planner.Resolved job, PhysicalPlanner.Env env) {
        check(inner);
        SubqueryPlanner subqueries = new SubqueryPlanner(env, job);
        ExprCompiler compiler = new ExprCompiler(new Scope(stream.source(), stream.alias(), stream.schema()), job.rounding())
                .subqueries(subqueries);
        BatchPredicate where = inner.where() == null ? null : new PredicateCompiler(compiler).compile(inner.where(), "WHERE");
        ProjectionPlanner.Projection projection = ProjectionPlanner.project(inner.items(), stream, compiler, stream.schema(), List.of());
        String alias = from.alias() != null ? from.alias() : NO_ALIAS;
        Scan outer = new Scan(alias, alias, from.pos(), projection.schema, null, null);
        io.velo.plan.logical.Sink innerSink = LogicalPlanner.build(inner, stream, job.bounded(), null);
        return new Planned(stream, outer, innerSink.input(), where, projection, subqueries);
    }
}
