package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.velo.plan.JobPlan;
import io.velo.sql.ast.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The script parses into its four statements and plans into three jobs with the columns it names. */
class ParserBenchmarkTest {
    @Test
    void parsesAndPlansTheScript() {
        ParserBenchmark b = new ParserBenchmark();
        b.setup();
        List<Statement> statements = b.parse();
        assertEquals(4, statements.size());
        assertInstanceOf(Statement.CreateSource.class, statements.get(0));
        for (int i = 1; i < 4; i++) {
            assertInstanceOf(Statement.CreateAs.class, statements.get(i));
        }
        List<Object> steps = b.parseAndPlan();
        assertEquals(4, steps.size());
        List<String> columns = steps.stream().filter(s -> s instanceof JobPlan).map(s -> ((JobPlan) s).outputSchema().fields().stream()
                .map(f -> f.name()).collect(Collectors.joining(","))).collect(Collectors.toList());
        assertEquals(List.of("trade_id,symbol,price,quantity,notional", "symbol,trades,volume,vwap,spread,window_start",
                "trade_id,tag,size_class,price_with_tax"), columns);
        // planning twice gives the same (planning keeps no state between scripts)
        assertEquals(4, b.parseAndPlan().size());
    }
}
