package io.velo.exec;

import io.velo.connector.CollectingSink;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batch-at-a-time filters (primitive range loops over decimal and BIGINT columns, with their
 * slow paths for promoted values and rows at another scale) against BigDecimal comparisons.
 */
class FilterDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("d", DataType.decimal(38, 2)), new Field("n", DataType.BIGINT)));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "d > 1.005|>|1.005", "d >= 1.005|>=|1.005", "d < 1.005|<|1.005", "d <= 1.005|<=|1.005", "d = 1.005|=|1.005",
        "d <> 1.005|<>|1.005", "d = 1.5|=|1.5", "d <> 1.50|<>|1.50", "d > -0.5|>|-0.5", "d <= 0|<=|0",
        "1.25 < d|>|1.25", "d >= 99999999999999999999|>=|99999999999999999999",
        "d < -99999999999999999999.99|<|-99999999999999999999.99",
    })
    void decimalComparisonsMatchBigDecimal(String condition, String op, String constant) {
        BigDecimal k = new BigDecimal(constant);
        for (int seed = 0; seed < 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                BigDecimal v;
                switch (r.nextInt(7)) {
                    case 0: v = null; break;
                    case 1: v = k.setScale(Math.max(2, k.scale()), java.math.RoundingMode.UNNECESSARY); break;
                    case 2: v = seed % 2 == 0 ? BigDecimal.valueOf(r.nextLong(-500, 500), 2) : BigDecimal.valueOf(r.nextLong(-5000, 5000), 3); break;
                    case 3: v = new BigDecimal("123456789012345678901234.56").multiply(BigDecimal.valueOf(r.nextBoolean() ? 1 : -1)); break;
                    default: v = BigDecimal.valueOf(r.nextLong(-1000, 1000), 2); break;
                }
                rows.add(new Object[] {v, (long) i});
            }
            CollectingSink sink = new CollectingSink();
            JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream())).planInMemory("SELECT n FROM t WHERE " + condition + " AND n >= 0", "t", SCHEMA, sink);
            BatchPool pool = new BatchPool(SCHEMA, 1 + r.nextInt(600), 2);
            for (int from = 0; from < rows.size(); from += pool.batchCapacity()) {
                RecordBatch b = pool.acquire();
                for (int i = from; i < Math.min(rows.size(), from + pool.batchCapacity()); i++) {
                    int row = b.size++;
                    BigDecimal v = (BigDecimal) rows.get(i)[0];
                    if (v == null) {
                        b.columns[0].setNull(row);
                    } else {
                        b.columns[0].setDecimal(row, new Dec().set(v)); // keeps the value's own scale: some rows differ
                    }
                    b.columns[1].setLong(row, (Long) rows.get(i)[1]);
                }
                plan.pipeline().push(b);
                b.release();
            }
            plan.pipeline().finish();
            List<Long> expected = new ArrayList<>();
            for (Object[] row : rows) {
                BigDecimal v = (BigDecimal) row[0];
                if (v == null) {
                    continue;
                }
                int c = v.compareTo(k);
                boolean pass = switch (op) {
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case "=" -> c == 0;
                    default -> c != 0;
                };
                if (pass) {
                    expected.add((Long) row[1]);
                }
            }
            List<Long> actual = new ArrayList<>();
            sink.rows.forEach(row -> actual.add((Long) row.get(0)));
            assertEquals(expected, actual, condition + " seed " + seed);
        }
    }
}
