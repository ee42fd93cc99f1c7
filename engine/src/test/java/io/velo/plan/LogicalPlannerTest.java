package io.velo.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.plan.logical.Aggregate;
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
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The logical plan built from a query's AST: its nodes, in order, and what they hold. */
class LogicalPlannerTest {
    private static final Schema T = new Schema(List.of(new Field("sym", DataType.STRING), new Field("qty", DataType.BIGINT),
            new Field("ts", DataType.TIMESTAMP)));

    private static Query query(String sql) {
        return ((Statement.Select) Parser.parseScript(sql).get(0)).query();
    }

    private static Sink build(String sql, boolean bounded) {
        Query q = query(sql);
        return LogicalPlanner.build(q, new Scan(q.from().name(), q.from().alias(), q.from().pos(), T, "ts", null), bounded, "out");
    }

    /** The node kinds from the root down the left inputs. */
    private static List<String> chain(LogicalNode n) {
        List<String> out = new ArrayList<>();
        for (LogicalNode x = n; x != null; x = x.inputs().isEmpty() ? null : x.inputs().get(0)) {
            out.add(x.getClass().getSimpleName());
        }
        return out;
    }

    @Test
    void projectionOnly() {
        Sink s = build("SELECT sym, qty * 2 AS q2 FROM t", true);
        assertEquals(List.of("Sink", "Project", "Scan"), chain(s));
        assertEquals("out", s.name());
        assertNull(s.description());
        assertEquals(2, s.find(Project.class).items().size());
        Scan scan = s.find(Scan.class);
        assertEquals("t", scan.source());
        assertEquals(T, scan.schema());
        assertEquals("ts", scan.eventTimeField());
    }

    @Test
    void everyClauseInOrder() {
        Sink s = build("SELECT DISTINCT sym PRIMARY KEY, COUNT(*) AS n FROM t x WHERE qty > 0 GROUP BY sym WINDOW TUMBLING(1m) "
                + "HAVING COUNT(*) > 1 ORDER BY n DESC LIMIT 3", true);
        assertEquals(List.of("Sink", "Limit", "Sort", "Distinct", "Project", "Having", "Aggregate", "Filter", "Scan"), chain(s));
        assertEquals(List.of("sym"), s.primaryKey());
        assertEquals(3, s.find(Limit.class).count());
        assertTrue(s.find(Sort.class).keys().get(0).descending());
        assertEquals("(qty > 0)", SqlPrinter.print(s.find(Filter.class).condition()));
        assertEquals("(COUNT(*) > 1)", SqlPrinter.print(s.find(Having.class).condition()));
        Aggregate a = s.find(Aggregate.class);
        assertEquals(Query.Emit.FINAL, a.emit());
        assertEquals(60_000, a.window().size());
        assertEquals("x", s.find(Scan.class).alias());
        assertTrue(s.find(Distinct.class) != null);
    }

    @Test
    void aggregateCallsOnceEachInTheOrderMet() {
        Aggregate a = build("SELECT COUNT(*), SUM(qty), COUNT(*) + 1 FROM t HAVING SUM(qty) > 0 AND MAX(ts) > TIMESTAMP '2024-01-01 00:00:00'",
                true).find(Aggregate.class);
        List<String> calls = new ArrayList<>();
        a.calls().forEach(c -> calls.add(SqlPrinter.print(c)));
        assertEquals(List.of("COUNT(*)", "SUM(qty)", "MAX(ts)"), calls);
        assertTrue(a.keys().isEmpty());
        assertEquals(Query.Emit.CHANGES, a.emit());
    }

    @Test
    void whatAnAggregationEmits() {
        assertEquals(Query.Emit.FINAL, build("SELECT sym, COUNT(*) FROM t GROUP BY sym WINDOW TUMBLING(5s)", false)
                .find(Aggregate.class).emit());
        assertEquals(Query.Emit.CHANGES, build("SELECT sym, COUNT(*) FROM t GROUP BY sym", false).find(Aggregate.class).emit());
        // whole-row clauses over a bounded input mean the final groups
        assertEquals(Query.Emit.FINAL, build("SELECT sym, COUNT(*) FROM t GROUP BY sym ORDER BY sym", true).find(Aggregate.class).emit());
        SqlException e = assertThrows(SqlException.class, () -> build("SELECT DISTINCT COUNT(*) FROM t GROUP BY sym", false));
        assertTrue(e.getMessage().startsWith("SELECT DISTINCT over an unbounded aggregation"), e.getMessage());
        e = assertThrows(SqlException.class, () -> build("SELECT qty FROM t HAVING qty > 1", true));
        assertEquals("HAVING needs GROUP BY or an aggregate", e.getMessage());
        assertEquals("1:30", e.pos().toString());
    }

    @Test
    void aJoinHasTwoInputs() {
        Sink s = build("SELECT * FROM t LEFT JOIN u ON t.sym = u.sym WITHIN 10s WHERE qty > 1", true);
        assertEquals(List.of("Sink", "Project", "Filter", "Join", "Scan"), chain(s));
        Join j = s.find(Join.class);
        assertEquals(Query.JoinType.LEFT, j.kind());
        assertEquals(10_000L, j.withinMillis());
        assertEquals("t", ((Scan) j.left()).source());
        Scan right = (Scan) j.right();
        assertEquals("u", right.source());
        assertNull(right.schema(), "the right side is not resolved: no join is planned yet");
        assertEquals("LEFT Join ON (t.sym = u.sym) WITHIN 10000ms", j.describe());
        assertEquals(1, j.pos().line());
    }

    @Test
    void rewritingReturnsANewTree() {
        Sink s = build("SELECT sym FROM t WHERE qty > 0", true);
        LogicalNode described = s.transformUp(n -> n instanceof Scan sc ? sc.describedAs("memory") : n);
        assertNull(s.find(Scan.class).description());
        assertEquals("memory", described.find(Scan.class).description());
        assertEquals(s.find(Filter.class).condition(), described.find(Filter.class).condition());
        assertTrue(s.transformUp(n -> n) == s, "an identity rewrite keeps the tree");
    }
}
