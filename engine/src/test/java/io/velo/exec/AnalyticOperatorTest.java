package io.velo.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.api.QueryDriver;
import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.exec.agg.BasicAggregators;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The analytic stage: every function against its definition over the whole partition (a naive
 * reference), whatever the batching, and state bounded by the frames.
 */
class AnalyticOperatorTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("k", DataType.STRING),
            new Field("o", DataType.BIGINT), new Field("v", DataType.BIGINT)));

    private static final String QUERY = "SELECT id,"
            + " LAG(v, 2, -1) OVER (PARTITION BY k ORDER BY o) AS lag2,"
            + " LEAD(v) OVER (PARTITION BY k ORDER BY o) AS lead1,"
            + " ROW_NUMBER() OVER (PARTITION BY k ORDER BY o) AS rn,"
            + " RANK() OVER (PARTITION BY k ORDER BY o) AS rk,"
            + " DENSE_RANK() OVER (PARTITION BY k ORDER BY o) AS dr,"
            + " SUM(v) OVER (PARTITION BY k ORDER BY o ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS s_rows,"
            + " SUM(v) OVER (PARTITION BY k ORDER BY o RANGE BETWEEN 3 PRECEDING AND CURRENT ROW) AS s_range,"
            + " COUNT(*) OVER (PARTITION BY k ORDER BY o) AS c_default,"
            + " MIN(v) OVER (PARTITION BY k ORDER BY o ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS min_before,"
            + " LAST_VALUE(v) OVER (PARTITION BY k ORDER BY o RANGE BETWEEN CURRENT ROW AND 1 FOLLOWING) AS last_next"
            + " FROM t";

    private record Row(long id, String k, long o, Long v) {
    }

    @Test
    void everyFunctionMatchesItsDefinitionWhateverTheBatching() {
        for (int seed = 1; seed <= 12; seed++) {
            Random rnd = new Random(seed);
            List<Row> input = new ArrayList<>();
            Map<String, Long> lastO = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                String k = "k" + rnd.nextInt(3);
                long o = lastO.getOrDefault(k, 0L) + rnd.nextInt(3);
                if (rnd.nextInt(20) == 0 && o > 5) {
                    o -= 5; // out of order: late
                } else {
                    lastO.put(k, o);
                }
                Long v = rnd.nextInt(10) == 0 ? null : (long) rnd.nextInt(101) - 50;
                input.add(new Row(i, k, o, v));
            }
            List<List<Object>> one = run(input, new Random(seed), 1);
            List<List<Object>> random = run(input, new Random(seed * 31L), 0);
            List<List<Object>> whole = run(input, new Random(seed), Integer.MAX_VALUE);
            assertEquals(one, random, "seed " + seed + ": batch size 1 and random batches");
            assertEquals(one, whole, "seed " + seed + ": batch size 1 and one batch");
            Map<Long, List<Object>> expected = reference(input);
            assertEquals(expected.size(), one.size(), "seed " + seed + ": rows out");
            for (List<Object> r : one) {
                assertEquals(expected.get((Long) r.get(0)), r, "seed " + seed + ": row " + r.get(0));
            }
        }
    }

    /** Runs the query with batches of {@code size} rows (0: random sizes). */
    private static List<List<Object>> run(List<Row> input, Random rnd, int size) {
        QueryDriver d = QueryDriver.of(QUERY, "t", SCHEMA);
        List<List<Object>> out = new ArrayList<>();
        int inBatch = 0;
        int target = size == 0 ? 1 + rnd.nextInt(40) : size;
        for (Row r : input) {
            d.send(r.id(), r.id(), r.k(), r.o(), r.v());
            if (++inBatch >= target) {
                out.addAll(d.flush());
                inBatch = 0;
                target = size == 0 ? 1 + rnd.nextInt(40) : size;
            }
        }
        out.addAll(d.finish());
        long late = d.metrics().late();
        assertEquals(input.size() - out.size(), late, "every row not output is late");
        return out;
    }

    /** Each row's values by definition, over its partition's rows in order (late rows left out). */
    private static Map<Long, List<Object>> reference(List<Row> input) {
        Map<String, List<Row>> parts = new HashMap<>();
        for (Row r : input) {
            List<Row> p = parts.computeIfAbsent(r.k(), x -> new ArrayList<>());
            if (p.isEmpty() || r.o() >= p.get(p.size() - 1).o()) {
                p.add(r);
            }
        }
        Map<Long, List<Object>> out = new HashMap<>();
        for (List<Row> p : parts.values()) {
            for (int n = 0; n < p.size(); n++) {
                Row r = p.get(n);
                long rank = 1;
                java.util.Set<Long> keys = new java.util.HashSet<>();
                long count = 0;
                Long sRange = null;
                Long lastNext = null;
                for (Row x : p) {
                    if (x.o() < r.o()) {
                        rank++;
                    }
                    if (x.o() <= r.o()) {
                        keys.add(x.o());
                        count++;
                    }
                    if (x.o() >= r.o() - 3 && x.o() <= r.o() && x.v() != null) {
                        sRange = (sRange == null ? 0 : sRange) + x.v();
                    }
                    if (x.o() >= r.o() && x.o() <= r.o() + 1) {
                        lastNext = x.v();
                    }
                }
                Long sRows = null;
                for (int j = Math.max(0, n - 2); j <= Math.min(p.size() - 1, n + 1); j++) {
                    if (p.get(j).v() != null) {
                        sRows = (sRows == null ? 0 : sRows) + p.get(j).v();
                    }
                }
                Long minBefore = null;
                for (int j = Math.max(0, n - 3); j <= n - 1; j++) {
                    Long v = p.get(j).v();
                    if (v != null && (minBefore == null || v < minBefore)) {
                        minBefore = v;
                    }
                }
                out.put(r.id(), Arrays.asList(r.id(), n >= 2 ? p.get(n - 2).v() : Long.valueOf(-1), n + 1 < p.size() ? p.get(n + 1).v() : null,
                        (long) n + 1, rank, (long) keys.size(), sRows, sRange, count, minBefore, lastNext));
            }
        }
        return out;
    }

    @Test
    void stateIsBoundedByTheFrame() {
        Schema in = new Schema(List.of(new Field("k", DataType.STRING), new Field("v", DataType.decimal(10, 1))));
        Eval k = new ColumnEval(0, "k", DataType.STRING);
        Eval v = new ColumnEval(1, "v", in.field(1).type());
        Eval order = new io.velo.expr.eval.SystemColumnEval(io.velo.types.SystemColumn.OFFSET);
        BasicAggregators.SumAvg sum = new BasicAggregators.SumAvg(false, in.field(1).type(), DecimalRounding.HALF_UP);
        AnalyticOperator.Fn[] fns = {
            new AnalyticOperator.Fn(AnalyticOperator.Kind.AGGREGATE, sum.resultType, 2, -1, 0, sum, new AnalyticOperator.Frame(false, false, -2, 0)),
            new AnalyticOperator.Fn(AnalyticOperator.Kind.LAG, in.field(1).type(), 2, -1, 3, null, null),
            new AnalyticOperator.Fn(AnalyticOperator.Kind.ROW_NUMBER, DataType.BIGINT, -1, -1, 0, null, null),
        };
        List<Field> outFields = new ArrayList<>(in.fields());
        outFields.add(new Field("s", sum.resultType));
        outFields.add(new Field("lag3", in.field(1).type()));
        outFields.add(new Field("rn", DataType.BIGINT));
        Schema outSchema = new Schema(outFields);
        List<String> got = new ArrayList<>();
        Operator sink = new Operator() {
            @Override
            public void push(RecordBatch b) {
                for (int i = 0; i < b.liveCount(); i++) {
                    int r = b.liveRow(i);
                    got.add(b.columns[0].text(r) + " " + b.columns[2].text(r) + " " + (b.columns[3].isNull(r) ? "NULL" : b.columns[3].text(r))
                            + " " + b.columns[4].text(r));
                }
            }

            @Override
            public void finish() {
            }
        };
        JobMetrics metrics = new JobMetrics();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        RowErrors errors = new RowErrors(new FailureHandler("t", FailureStrategy.LOG_AND_CONTINUE, null, quiet, metrics));
        AnalyticOperator op = new AnalyticOperator(in, new Eval[] {k}, order, "_offset", new Eval[] {v, order}, fns, false,
                new BatchPool(outSchema, 64, 2), sink, errors, metrics);
        BatchPool pool = new BatchPool(in, 100, 2);
        long offset = 0;
        for (int batch = 0; batch < 1000; batch++) {
            RecordBatch b = pool.acquire();
            for (int i = 0; i < 100; i++) {
                int row = b.size++;
                b.columns[0].setObject(row, "p" + (i % 2));
                b.columns[1].setDecimal(row, 10, 1); // 1.0
                b.offset[row] = ++offset;
            }
            op.push(b);
            b.reset();
            b.release();
            assertTrue(op.keptRows() <= 2 * 3, "kept " + op.keptRows() + " rows after " + offset);
        }
        op.finish();
        assertEquals(100_000, got.size());
        assertEquals(0, op.heldRows());
        assertEquals("p0 1.0 NULL 1", got.get(0));
        assertEquals("p0 2.0 NULL 2", got.get(2));
        assertEquals("p0 3.0 NULL 3", got.get(4));
        assertEquals("p0 3.0 1.0 4", got.get(6));
        assertEquals("p1 3.0 1.0 50000", got.get(got.size() - 1));
    }
}
