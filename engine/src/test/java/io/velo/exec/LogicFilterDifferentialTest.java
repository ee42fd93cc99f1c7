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
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * WHERE through the batch filters (n-ary AND narrowing, OR as a union of selections, hashed IN
 * probes) against a plain-Java model of the condition, including which rows fail (10 / n with
 * n = 0): a batch OR that ran a term after an earlier TRUE, or skipped one it should have run,
 * shows up as a difference. The row evaluator (the condition as a SELECT item) is held to the same
 * answers.
 */
class LogicFilterDifferentialTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("n", DataType.BIGINT),
            new Field("d", DataType.decimal(10, 2)), new Field("s", DataType.STRING)));

    /** A condition's SQL text and, for a row {id, n, d, s}, its value: TRUE, FALSE, null (NULL), or ERROR. */
    record Cond(String sql, Function<Object[], Object> value) { }

    private static final Object ERROR = new Object();

    private static Object not(Object v) {
        return v == null || v == ERROR ? v : !(Boolean) v;
    }

    private static Cond atom(SplittableRandom r) {
        switch (r.nextInt(11)) {
            case 0: {
                long k = r.nextInt(-5, 5);
                return new Cond("n = " + k, row -> row[1] == null ? null : (Long) row[1] == k);
            }
            case 1: {
                long k = r.nextInt(-5, 5);
                return new Cond("n > " + k, row -> row[1] == null ? null : (Long) row[1] > k);
            }
            case 2: {
                long k = r.nextInt(-5, 5);
                return new Cond("n <> " + k, row -> row[1] == null ? null : (Long) row[1] != k);
            }
            case 3: {
                BigDecimal k = BigDecimal.valueOf(r.nextInt(-500, 500), r.nextInt(0, 4));
                return new Cond("d < " + k.toPlainString(), row -> row[2] == null ? null : ((BigDecimal) row[2]).compareTo(k) < 0);
            }
            case 4: {
                String k = "v" + r.nextInt(6);
                return new Cond("s = '" + k + "'", row -> row[3] == null ? null : row[3].equals(k));
            }
            case 5: {
                long k = r.nextInt(-3, 3);
                return new Cond("10 / n > " + k, row -> row[1] == null ? null : (Long) row[1] == 0 ? ERROR : 10 / (Long) row[1] > k);
            }
            case 6:
                return new Cond("n IS NULL", row -> row[1] == null);
            case 7: case 8: {
                boolean negated = r.nextBoolean();
                StringBuilder sb = new StringBuilder(negated ? "n NOT IN (" : "n IN (");
                int count = 2 + r.nextInt(14);
                List<Long> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(r.nextInt(12) == 0 ? null : (long) r.nextInt(-6, 6));
                    sb.append(i > 0 ? ", " : "").append(items.get(i));
                }
                return new Cond(sb.append(')').toString(), row -> {
                    if (row[1] == null) {
                        return null;
                    }
                    if (items.contains(row[1])) {
                        return !negated;
                    }
                    return items.contains(null) ? null : negated;
                });
            }
            case 9: {
                Cond c = atom(r);
                return new Cond("NOT (" + c.sql() + ")", row -> not(c.value().apply(row)));
            }
            default: {
                List<String> items = List.of("v1", "v2", "v3", "v4", "v5", "w", "x", "y", "z");
                return new Cond("s IN ('v1', 'v2', 'v3', 'v4', 'v5', 'w', 'x', 'y', 'z')", row -> row[3] == null ? null : items.contains(row[3]));
            }
        }
    }

    /**
     * A random AND / OR tree. Its value models the filter: an AND drops a row at its first term that
     * is not TRUE (later terms do not run), an OR passes it at its first TRUE term; a term's error
     * fails the row. (Inside a SELECT item an AND goes on past NULL, so the two can differ in which
     * rows fail — SQL leaves the order open — but never in which rows are TRUE.)
     */
    private static Cond condition(SplittableRandom r, int depth) {
        int n = 1 + r.nextInt(depth == 0 ? 12 : 5);
        boolean and = r.nextBoolean();
        List<Cond> terms = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Cond t = depth < 2 && r.nextInt(4) == 0 ? condition(r, depth + 1) : atom(r);
            terms.add(t);
            sb.append(i > 0 ? (and ? " AND " : " OR ") : "").append('(').append(t.sql()).append(')');
        }
        return new Cond(sb.toString(), row -> {
            for (Cond t : terms) {
                Object v = t.value().apply(row);
                if (v == ERROR) {
                    return ERROR;
                }
                if (and && !Boolean.TRUE.equals(v)) {
                    return v;
                }
                if (!and && Boolean.TRUE.equals(v)) {
                    return true;
                }
            }
            return and ? Boolean.TRUE : Boolean.FALSE;
        });
    }

    private static List<List<Object>> run(String sql, List<Object[]> rows, int batchSize) {
        CollectingSink sink = new CollectingSink();
        JobPlan plan = new Planner(new Catalog(), Path.of("."), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).planInMemory(sql, "t", SCHEMA, sink);
        BatchPool pool = new BatchPool(SCHEMA, batchSize, 2);
        for (int from = 0; from < rows.size(); from += pool.batchCapacity()) {
            RecordBatch b = pool.acquire();
            for (int i = from; i < Math.min(rows.size(), from + pool.batchCapacity()); i++) {
                int row = b.size++;
                Object[] v = rows.get(i);
                b.columns[0].setLong(row, (Long) v[0]);
                if (v[1] == null) {
                    b.columns[1].setNull(row);
                } else {
                    b.columns[1].setLong(row, (Long) v[1]);
                }
                if (v[2] == null) {
                    b.columns[2].setNull(row);
                } else {
                    b.columns[2].setDecimal(row, new Dec().set((BigDecimal) v[2]));
                }
                if (v[3] == null) {
                    b.columns[3].setNull(row);
                } else {
                    b.columns[3].setObject(row, v[3]);
                }
            }
            plan.pipeline().push(b);
            b.release();
        }
        plan.pipeline().finish();
        return sink.rows;
    }

    @Test
    void batchFiltersAgreeWithTheRowEvaluator() {
        SplittableRandom r = new SplittableRandom(9);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(new Object[] {(long) i, r.nextInt(8) == 0 ? null : (long) r.nextInt(-6, 6),
                r.nextInt(8) == 0 ? null : BigDecimal.valueOf(r.nextInt(-600, 600), 2),
                r.nextInt(8) == 0 ? null : "v" + r.nextInt(6)});
        }
        int nonTrivial = 0;
        int withErrors = 0;
        for (int trial = 0; trial < 150; trial++) {
            Cond cond = condition(r, 0);
            int batchSize = 1 + r.nextInt(300);
            List<Long> filtered = new ArrayList<>();
            run("SELECT id FROM t WHERE " + cond.sql(), rows, batchSize).forEach(row -> filtered.add((Long) row.get(0)));
            List<Long> expected = new ArrayList<>();
            boolean errors = false;
            for (Object[] row : rows) {
                Object v = cond.value().apply(row);
                errors |= v == ERROR;
                if (Boolean.TRUE.equals(v)) {
                    expected.add((Long) row[0]);
                }
            }
            assertEquals(expected, filtered, cond.sql());
            // the row evaluator agrees on every row where neither fails
            List<Long> selected = new ArrayList<>();
            for (List<Object> row : run("SELECT id, (" + cond.sql() + ") AS p FROM t", rows, batchSize)) {
                if (Boolean.TRUE.equals(row.get(1))) {
                    selected.add((Long) row.get(0));
                }
            }
            if (!errors) {
                assertEquals(expected, selected, cond.sql());
            } else {
                withErrors++;
                assertTrue(expected.containsAll(selected), cond.sql());
            }
            if (!expected.isEmpty() && expected.size() < rows.size()) {
                nonTrivial++;
            }
        }
        assertTrue(withErrors > 15, "some conditions should fail some rows: " + withErrors);
        assertTrue(nonTrivial > 50, "many conditions should pass some rows and drop others: " + nonTrivial);
    }
}
