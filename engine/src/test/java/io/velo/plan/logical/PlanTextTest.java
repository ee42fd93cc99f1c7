package io.velo.plan.logical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.api.Engine;
import io.velo.plan.JobPlan;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plan text rendered from a logical plan: each node a level below the one it feeds, the state
 * note a level of its own, a join's two inputs side by side; and (with the golden plans of
 * {@code check_plans} and {@code PlanTextCorpusTest}) exactly the text the planner printed before.
 */
class PlanTextTest {
    private static final Schema IN = new Schema(List.of(new Field("sym", DataType.STRING), new Field("qty", DataType.BIGINT)));
    private static final Schema OUT = new Schema(List.of(new Field("sym", DataType.STRING), new Field("n", DataType.BIGINT)));

    private static Query query(String sql) {
        return ((Statement.Select) Parser.parseScript(sql).get(0)).query();
    }

    @Test
    void aChainOneLevelDeeperAtEachNode() {
        Query q = query("SELECT sym, COUNT(*) AS n FROM t WHERE qty > 0 GROUP BY sym HAVING COUNT(*) > 1 LIMIT 5");
        Scan scan = new Scan("t", null, Pos.NONE, IN, null, "kafka_source in (json)");
        LogicalNode n = new Exchange(scan, 1, false, false, "its state is checkpointed as one");
        n = new Filter(n, q.where());
        n = new Aggregate(n, q.groupBy(), List.of((Expr.Call) ((Expr.Binary) q.having()).left()), null, Query.Emit.CHANGES,
                "changelog topic cl (compacted, written in the sink's transaction)");
        n = new Having(n, q.having());
        n = new Retract(new Project(n, q.items()));
        n = new Limit(n, 5);
        Sink root = new Sink(n, "out", q.pos(), List.of("sym"), "kafka_sink out (json)", OUT);
        String text = PlanText.render("INSERT INTO", "job", root, new PlanText.JobNotes("fixed_size(records=1000, wait=1000ms)",
                "LOG_AND_CONTINUE", "exactly-once (transactional producer, offsets in the transaction)"));
        assertEquals(String.join("\n",
                "INSERT INTO job",
                "  Sink out: kafka_sink out (json) [sym STRING, n BIGINT] PRIMARY KEY (sym)",
                "    Limit 5",
                "      Retract groups that leave HAVING or whose row fails (_deleted rows)",
                "        Project sym, COUNT(*) AS n",
                "          Having (COUNT(*) > 1)",
                "            State: changelog topic cl (compacted, written in the sink's transaction)",
                "              Aggregate GROUP BY sym [COUNT(*)] EMIT CHANGES",
                "                Filter (qty > 0)",
                "                  Parallel: one thread (its state is checkpointed as one)",
                "                    Source t: kafka_source in (json) [sym STRING, qty BIGINT]",
                "  Batching: fixed_size(records=1000, wait=1000ms)",
                "  Failures: LOG_AND_CONTINUE",
                "  Delivery: exactly-once (transactional producer, offsets in the transaction)",
                ""), text);
    }

    @Test
    void aJoinsInputsSideBySide() {
        Query q = query("SELECT * FROM a JOIN b ON a.k = b.k");
        Query.Join j = q.joins().get(0);
        LogicalNode join = new Join(new Scan("a", null, Pos.NONE, IN, "ts", "memory a (json)"),
                new Scan("b", null, Pos.NONE, IN, null, "memory b (json)"), j.on(), j.type(), null, j.pos());
        Sink root = new Sink(new Project(join, q.items()), null, q.pos(), List.of(), "stdout", IN);
        assertEquals(String.join("\n",
                "SELECT j",
                "  Sink stdout: stdout [sym STRING, qty BIGINT]",
                "    Project *",
                "      INNER Join ON (a.k = b.k)",
                "        Source a: memory a (json) [sym STRING, qty BIGINT] event time: ts",
                "        Source b: memory b (json) [sym STRING, qty BIGINT]",
                "  Batching: b",
                "  Failures: f",
                ""), PlanText.render("SELECT", "j", root, new PlanText.JobNotes("b", "f", null)));
    }

    @Test
    void theJobsTextIsTheRenderingOfItsPlan() {
        Engine engine = new Engine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        List<Object> steps = engine.planScript("CREATE STREAM t (sym STRING, qty BIGINT) WITH ('t.type' = 'file_source', "
                + "'t.path' = 'x.csv', 't.format' = 'csv'); SELECT DISTINCT sym FROM t WHERE qty > 1 ORDER BY sym DESC;", Path.of("."), List.of());
        assertEquals(String.join("\n",
                "SELECT select_1",
                "  Sink stdout: stdout [sym STRING]",
                "    Sort sym DESC",
                "      Distinct",
                "        Project sym",
                "          Filter (qty > 1)",
                "            Source t: file_source x.csv (csv) [sym STRING, qty BIGINT]",
                "  Batching: fixed_size(records=1000, wait=1000ms)",
                "  Failures: LOG_AND_CONTINUE",
                ""), ((JobPlan) steps.get(1)).planText());
    }
}
