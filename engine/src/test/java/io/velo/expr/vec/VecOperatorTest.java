package io.velo.expr.vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.BatchPool;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.exec.FilterOperator;
import io.velo.exec.Operator;
import io.velo.exec.ProjectOperator;
import io.velo.exec.RowErrors;
import io.velo.expr.ExprCompiler;
import io.velo.expr.PredicateCompiler;
import io.velo.expr.eval.BatchPredicate;
import io.velo.expr.eval.Eval;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.failure.RecordError;
import io.velo.metrics.JobMetrics;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalRounding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * WHERE and SELECT through the operators, a column at a time, against the row evaluators: the rows
 * that come out, their values and event times, and the failure log (which rows fail, in which order,
 * with which error and position) must be those of evaluating each row in turn. And the steady state
 * allocates nothing per record.
 */
class VecOperatorTest {
    private static final Schema SCHEMA = VecDifferentialTest.SCHEMA;
    private static final String[] ITEMS = {"a + b", "p * q", "CASE WHEN a = 0 THEN 0 ELSE 100 / a END", "ROUND(u, 2)", "a", "s",
        "COALESCE(x, y) * 2", "p * a", "t", "_offset"};
    private static final String EVENT_TIME = "CASE WHEN t THEN b ELSE ABS(b) END";
    private static final String WHERE = "CASE WHEN a % 3 <> 0 THEN p IS NOT NULL ELSE 10 / b > 1 END";

    /** Collects the live rows it is pushed, as text. */
    static final class Collect implements Operator {
        final List<String> rows = new ArrayList<>();
        final DataType[] types;

        Collect(DataType[] types) {
            this.types = types;
        }

        @Override
        public void push(RecordBatch b) {
            for (int i = 0; i < b.liveCount(); i++) {
                int row = b.liveRow(i);
                List<Object> values = new ArrayList<>();
                for (int c = 0; c < types.length; c++) {
                    values.add(VecDifferentialTest.read(b.columns[c], row, types[c].kind));
                }
                rows.add(b.offset[row] + " " + values + " @" + b.eventTime[row]);
            }
        }

        @Override
        public void finish() {
        }
    }

    private static Eval[] compile(ExprCompiler compiler, String[] sql) {
        Eval[] es = new Eval[sql.length];
        for (int i = 0; i < sql.length; i++) {
            es[i] = compiler.compile(Parser.parseExpression(sql[i]));
        }
        return es;
    }

    private static Schema outSchema(Eval[] items) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            fields.add(new Field("c" + i, items[i].type));
        }
        return new Schema(fields);
    }

    @Test
    void operatorsAgreeWithTheRowPath() {
        Scope scope = new Scope("t", null, SCHEMA);
        ExprCompiler compiler = new ExprCompiler(scope, DecimalRounding.HALF_UP);
        Eval[] items = compile(compiler, ITEMS);
        Eval eventTime = compiler.compile(Parser.parseExpression(EVENT_TIME));
        BatchPredicate where = new PredicateCompiler(compiler).compile(Parser.parseExpression(WHERE), "WHERE");
        assertTrue(where instanceof VecPredicate, where.getClass().getName());
        DataType[] types = new DataType[items.length];
        for (int i = 0; i < items.length; i++) {
            types[i] = items[i].type;
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JobMetrics metrics = new JobMetrics();
        RowErrors errors = new RowErrors(new FailureHandler("vec", FailureStrategy.LOG_AND_CONTINUE, null, new PrintStream(log, true), metrics));
        Collect out = new Collect(types);
        BatchPool outPool = new BatchPool(outSchema(items), 256, 2);
        Operator pipeline = new FilterOperator(where, new ProjectOperator(items, eventTime, outPool, out, errors), errors, metrics);

        // the row path: the same expressions compiled again, evaluated a row at a time
        Eval[] rowItems = compile(compiler, ITEMS);
        Eval rowEvent = compiler.compile(Parser.parseExpression(EVENT_TIME));
        Eval rowWhere = compiler.compileBoolean(Parser.parseExpression(WHERE), "WHERE");
        ByteArrayOutputStream expectedLog = new ByteArrayOutputStream();
        RowErrors expectedErrors = new RowErrors(new FailureHandler("vec", FailureStrategy.LOG_AND_CONTINUE, null,
                new PrintStream(expectedLog, true), new JobMetrics()));
        List<String> expected = new ArrayList<>();

        SplittableRandom r = new SplittableRandom(2024);
        long offset = 0;
        for (int batch = 0; batch < 200; batch++) {
            int cap = 1 + r.nextInt(batch % 3 == 0 ? 1024 : 40);
            RecordBatch b = new RecordBatch(SCHEMA, cap, null);
            b.size = 1 + r.nextInt(cap);
            b.sourceName = "src";
            VecDifferentialTest.fill(b, r, batch % 2 == 0);
            for (int row = 0; row < b.size; row++) {
                b.offset[row] = offset++;
                b.raw[row] = "raw" + b.offset[row];
                b.eventTime[row] = -1;
            }
            if (r.nextBoolean()) { // rows an earlier filter left
                b.sel = new int[cap];
                for (int row = 0; row < b.size; row++) {
                    if (r.nextInt(4) != 0) {
                        b.sel[b.selCount++] = row;
                    }
                }
            }
            // expected: WHERE over the batch, then SELECT over the rows it kept
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < b.liveCount(); i++) {
                int row = b.liveRow(i);
                try {
                    rowWhere.eval(b, row);
                    if (!rowWhere.isNull && rowWhere.l != 0) {
                        kept.add(row);
                    }
                } catch (RecordError | ArithmeticException e) {
                    expectedErrors.fail(b, row, e);
                }
            }
            for (int row : kept) {
                List<Object> values = new ArrayList<>();
                try {
                    for (Eval e : rowItems) {
                        e.eval(b, row);
                        values.add(e.toObject());
                    }
                    rowEvent.eval(b, row);
                    if (rowEvent.isNull) {
                        throw new RecordError(RecordError.MALFORMED_INPUT, "_event_time is NULL");
                    }
                } catch (RecordError | ArithmeticException e) {
                    expectedErrors.fail(b, row, e);
                    continue;
                }
                expected.add(b.offset[row] + " " + values + " @" + rowEvent.l);
            }
            pipeline.push(b);
        }
        assertTrue(expected.size() > 1000, "rows out: " + expected.size());
        assertTrue(expectedLog.size() > 1000, "failures logged: " + expectedLog.size());
        assertEquals(expectedLog.toString(), log.toString());
        assertEquals(expected, out.rows);
    }

    /** Counts what it is pushed; allocates nothing. */
    static final class Count implements Operator {
        long rows;

        @Override
        public void push(RecordBatch b) {
            rows += b.liveCount();
        }

        @Override
        public void finish() {
        }
    }

    @Test
    void steadyStateAllocatesNothingPerRecord() {
        Scope scope = new Scope("t", null, SCHEMA);
        ExprCompiler compiler = new ExprCompiler(scope, DecimalRounding.HALF_UP);
        Eval[] items = compile(compiler, new String[] {"p * a", "CASE WHEN a >= 500 THEN p * a WHEN s = 'v1' THEN p ELSE 0 END",
            "ROUND(p, 2)", "a + b", "x * y", "COALESCE(x, y)", "ABS(q)", "p > q", "a IN (1, 2, 3, 5, 8, 13, 21, 34, 55)",
            "CAST(p AS DOUBLE)", "s", "GREATEST(p, q) - LEAST(q, 1)", "FLOOR(p) + CEIL(q)", "u + p"});
        BatchPredicate where = new PredicateCompiler(compiler).compile(Parser.parseExpression("a + b > 100 OR p * 2 < q"), "WHERE");
        JobMetrics metrics = new JobMetrics();
        RowErrors errors = new RowErrors(new FailureHandler("vec", FailureStrategy.LOG_AND_CONTINUE, null,
                new PrintStream(new ByteArrayOutputStream()), metrics));
        Count count = new Count();
        Operator pipeline = new FilterOperator(where, new ProjectOperator(items, null, new BatchPool(outSchema(items), 1024, 2), count, errors),
                errors, metrics);
        int n = 1024;
        RecordBatch b = new RecordBatch(SCHEMA, n, null);
        SplittableRandom r = new SplittableRandom(7);
        for (int row = 0; row < n; row++) {
            b.columns[0].setLong(row, 1 + r.nextInt(1000));
            b.columns[1].setLong(row, 1 + r.nextInt(1000));
            b.columns[2].setDouble(row, r.nextDouble() * 100);
            if (row % 10 == 0) {
                b.columns[3].setNull(row);
            } else {
                b.columns[3].setDouble(row, r.nextDouble());
            }
            b.columns[4].setDecimal(row, 1_000_000 + r.nextInt(1_000_000), 4);
            b.columns[5].setDecimal(row, r.nextInt(100_000), 2);
            b.columns[6].setDecimal(row, new Dec().set(BigDecimal.valueOf(r.nextInt(10_000), r.nextInt(4))));
            b.columns[7].setObject(row, "v" + r.nextInt(4));
            b.columns[8].setLong(row, r.nextInt(2));
        }
        b.size = n;
        for (int i = 0; i < 20_000; i++) {
            pipeline.push(b);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int pushes = 5_000;
        long before = bean.getThreadAllocatedBytes(thread);
        for (int i = 0; i < pushes; i++) {
            pipeline.push(b);
        }
        long allocated = bean.getThreadAllocatedBytes(thread) - before;
        double perRecord = (double) allocated / ((long) pushes * n);
        System.out.println("vector projection steady state: " + allocated + " bytes over " + ((long) pushes * n) + " records");
        assertTrue(count.rows > 0);
        assertTrue(perRecord < 0.001, allocated + " bytes allocated over " + pushes + " batches");
    }
}
