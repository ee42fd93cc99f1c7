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
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Projections of decimal arithmetic (computed a column at a time by the kernels) against BigDecimal,
 * row by row: values near the 64-bit edge (overflow promotes, never wraps), promoted inputs, NULLs,
 * constants on either side, and selections left by a filter.
 */
class DecimalKernelDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("a", DataType.decimal(38, 2)), new Field("b", DataType.decimal(38, 2)),
            new Field("c", DataType.decimal(38, 4)), new Field("q", DataType.BIGINT)));
    private static final String SQL = "SELECT a + b, a - b, a * b, a * c, a + 1.5, a - 0.25, 2 * a, a * 1.5, c + c, b - a, "
            + "a * q, q * c FROM t WHERE q % 3 <> 0";

    private static BigDecimal value(SplittableRandom r, int scale) {
        switch (r.nextInt(6)) {
            case 0: return null;
            case 1: return BigDecimal.valueOf(r.nextLong(), scale);                                  // overflow-prone
            case 2: return new BigDecimal("123456789012345678901234.5").setScale(scale, RoundingMode.UNNECESSARY).negate(); // promoted input
            case 3: return BigDecimal.valueOf(Long.MAX_VALUE - r.nextInt(100), scale);
            default: return BigDecimal.valueOf(r.nextLong(-1_000_000, 1_000_000), scale);
        }
    }

    @RepeatedTest(20)
    void kernelsAgreeWithBigDecimal(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(77 + info.getCurrentRepetition());
        boolean smallOnly = info.getCurrentRepetition() % 2 == 0; // half the runs stay on the fast path
        int n = 1 + r.nextInt(3000);
        int batchSize = 1 + r.nextInt(1500);
        List<BigDecimal[]> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            data.add(smallOnly
                    ? new BigDecimal[] {r.nextInt(20) == 0 ? null : BigDecimal.valueOf(r.nextLong(-1_000_000, 1_000_000), 2),
                        BigDecimal.valueOf(r.nextLong(-1_000_000, 1_000_000), 2), BigDecimal.valueOf(r.nextLong(-99_999, 99_999), 4)}
                    : new BigDecimal[] {value(r, 2), value(r, 2), value(r, 4)});
        }
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory(SQL, "t", SCHEMA, sink);
        BatchPool pool = new BatchPool(SCHEMA, batchSize, 2);
        for (int from = 0; from < n; from += batchSize) {
            RecordBatch b = pool.acquire();
            for (int i = from; i < Math.min(n, from + batchSize); i++) {
                int row = b.size++;
                for (int c = 0; c < 3; c++) {
                    BigDecimal v = data.get(i)[c];
                    if (v == null) {
                        b.columns[c].setNull(row);
                    } else {
                        b.columns[c].setDecimal(row, new Dec().set(v));
                    }
                }
                b.columns[3].setLong(row, i);
            }
            plan.pipeline().push(b);
            b.release();
        }
        plan.pipeline().finish();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) {
                continue;
            }
            BigDecimal a = data.get(i)[0];
            BigDecimal b = data.get(i)[1];
            BigDecimal c = data.get(i)[2];
            List<BigDecimal> row = new ArrayList<>();
            row.add(a == null || b == null ? null : a.add(b));
            row.add(a == null || b == null ? null : a.subtract(b));
            row.add(a == null || b == null ? null : a.multiply(b));
            row.add(a == null || c == null ? null : a.multiply(c));
            row.add(a == null ? null : a.add(new BigDecimal("1.5")));
            row.add(a == null ? null : a.subtract(new BigDecimal("0.25")));
            row.add(a == null ? null : a.multiply(BigDecimal.valueOf(2)));
            row.add(a == null ? null : a.multiply(new BigDecimal("1.5")));
            row.add(c == null ? null : c.add(c));
            row.add(a == null || b == null ? null : b.subtract(a));
            row.add(a == null ? null : a.multiply(BigDecimal.valueOf(i)));
            row.add(c == null ? null : BigDecimal.valueOf(i).multiply(c));
            expected.add(row.toString());
        }
        List<String> actual = new ArrayList<>();
        for (List<Object> row : sink.rows) {
            actual.add(row.toString());
        }
        assertEquals(expected, actual);
    }
}
