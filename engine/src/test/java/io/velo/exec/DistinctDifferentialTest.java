package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.connector.CollectingSink;
import io.velo.plan.Catalog;
import io.velo.plan.JobPlan;
import io.velo.plan.Planner;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * SELECT DISTINCT a batch at a time against a plain ordered set of value tuples: decimals spelled with
 * several scales are one value (1.5 = 1.50), −0.0 and 0.0 are one DOUBLE, NULL is a value; the rows
 * that pass are each tuple's first occurrence, in input order, whatever the batch size.
 */
class DistinctDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("b", DataType.BIGINT), new Field("d", DataType.DECIMAL),
            new Field("s", DataType.STRING), new Field("f", DataType.DOUBLE)));
    private static final String[] DECIMALS = {"1.5", "1.50", "2", "2.000", "-0.5", "0", "0.00", "12.25"};
    private static final String[] TEXTS = {"a", "b", null};
    private static final Double[] DOUBLES = {0.0, -0.0, 1.5, null};

    @RepeatedTest(10)
    void distinctRowsAreEachTuplesFirstOccurrence(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(4400 + info.getCurrentRepetition());
        int n = 1 + r.nextInt(3000);
        List<Object[]> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            data.add(new Object[] {r.nextInt(8) == 0 ? null : (long) r.nextInt(6),
                    r.nextInt(9) == 0 ? null : new BigDecimal(DECIMALS[r.nextInt(DECIMALS.length)]),
                    TEXTS[r.nextInt(TEXTS.length)], DOUBLES[r.nextInt(DOUBLES.length)]});
        }
        Set<List<Object>> expected = new LinkedHashSet<>();
        for (Object[] d : data) {
            BigDecimal dec = (BigDecimal) d[1];
            Double f = (Double) d[3];
            expected.add(Arrays.asList(d[0], dec == null ? null : dec.stripTrailingZeros().toPlainString(), d[2],
                    f == null ? null : f == 0.0 ? 0.0 : f));
        }
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory("SELECT DISTINCT b, d, s, f FROM t", "t", SCHEMA, sink);
        int batch = 1 + r.nextInt(500);
        BatchPool pool = new BatchPool(SCHEMA, batch, 2);
        for (int from = 0; from < n; from += batch) {
            RecordBatch b = pool.acquire();
            for (int i = from; i < Math.min(n, from + batch); i++) {
                int row = b.size++;
                Object[] d = data.get(i);
                if (d[0] == null) {
                    b.columns[0].setNull(row);
                } else {
                    b.columns[0].setLong(row, (Long) d[0]);
                }
                if (d[1] == null) {
                    b.columns[1].setNull(row);
                } else {
                    b.columns[1].setDecimal(row, new Dec().set((BigDecimal) d[1]));
                }
                b.columns[2].setObject(row, d[2]);
                if (d[3] == null) {
                    b.columns[3].setNull(row);
                } else {
                    b.columns[3].setDouble(row, (Double) d[3]);
                }
            }
            plan.pipeline().push(b);
            b.release();
        }
        plan.pipeline().finish();
        List<List<Object>> actual = new ArrayList<>();
        for (List<Object> row : sink.rows) {
            BigDecimal dec = (BigDecimal) row.get(1);
            Double f = (Double) row.get(3);
            actual.add(Arrays.asList(row.get(0), dec == null ? null : dec.stripTrailingZeros().toPlainString(), row.get(2),
                    f == null ? null : f == 0.0 ? 0.0 : f));
        }
        assertEquals(new ArrayList<>(expected), actual);
        assertEquals(n - actual.size(), plan.metrics().filtered(), "every duplicate counted as filtered");
        assertTrue(actual.size() > 1);
    }
}
