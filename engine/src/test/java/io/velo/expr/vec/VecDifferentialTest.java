package io.velo.expr.vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.Eval;
import io.velo.failure.RecordError;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every vector node against the row evaluator it was built from, value by value and failure by
 * failure, on random batches: NULLs, BIGINTs at the edges of the range, doubles that overflow,
 * decimals of mixed and unexpected scales, decimals promoted past 64 bits, zero divisors, and random
 * selections. A value must match exactly (a DECIMAL's scale included); a row the row path fails must
 * fail with the same error (code and message) and no other row may fail.
 */
class VecDifferentialTest {
    static final Schema SCHEMA = new Schema(List.of(
            new Field("a", DataType.BIGINT), new Field("b", DataType.BIGINT),
            new Field("x", DataType.DOUBLE), new Field("y", DataType.DOUBLE),
            new Field("p", DataType.decimal(18, 4)), new Field("q", DataType.decimal(10, 2)),
            new Field("u", DataType.DECIMAL), new Field("s", DataType.STRING), new Field("t", DataType.BOOLEAN)));

    /** Each expression, and whether it must have a vector form at its root (false: the row fallback is expected). */
    static final String[] VECTOR = {
        // BIGINT arithmetic
        "a + b", "a - b", "a * b", "a / b", "a % b", "-a", "a + 1", "a * 3", "10 / b", "a - 9223372036854775807", "b % -1",
        // DOUBLE arithmetic
        "x + y", "x - y", "x * y", "x / y", "x % y", "-x", "x * 1e300", "x + a", "x / b",
        // DECIMAL arithmetic
        "p + q", "p - q", "p * q", "p / q", "p % q", "-p", "p + 1.5", "p - 0.25", "p * 2", "p * a", "a * p", "q + a",
        "p + u", "u * u", "u - q", "u / p", "u % q", "-u", "p * 1.5", "p * p", "u + u", "a - q", "q - p",
        // comparisons
        "a = b", "a <> b", "a < b", "a <= 5", "a > b", "a >= b", "x < y", "x = y", "x >= 0", "p > q", "p = 150.5",
        "p <= 100", "a < p", "u >= q", "u = u", "u < 2.5", "s = 'v1'", "s < s", "s >= 'v2'", "a IS DISTINCT FROM b",
        "p IS NOT DISTINCT FROM q", "x > a", "t = true", "q > 1000000",
        // logic
        "a > 0 AND b > 0", "a > 0 OR b / a > 1", "a <> 0 AND 10 / a > 1", "NOT (a > b)", "t AND a > 0 OR t IS NULL",
        "a IS NULL", "p IS NOT NULL", "(a > 0 AND b > 0) OR (a < 0 AND 10 / b > 0)", "t IS TRUE", "NOT t",
        "a > 0 AND b > 0 AND p > 0 AND 100 / a > 2", "t OR a + b > 0 OR x * y > 1",
        // CASE
        "CASE WHEN a > 0 THEN a ELSE b END", "CASE WHEN a = 0 THEN 0 ELSE 100 / a END",
        "CASE WHEN p > 100 THEN p * q WHEN s = 'v1' THEN q ELSE 0 END", "CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END",
        "CASE WHEN x > 0 THEN x END", "CASE WHEN t THEN u ELSE p END", "CASE WHEN a > b THEN 1.5 WHEN a < b THEN p ELSE q END",
        "CASE s WHEN 'v1' THEN a * b WHEN 'v2' THEN a + b ELSE -a END",
        // COALESCE
        "COALESCE(a, b, 0)", "COALESCE(p, q)", "COALESCE(u, p, 1.5)", "COALESCE(x, y)", "COALESCE(s, 'none')",
        "COALESCE(a, 10 / b)", "COALESCE(u, u * u)", "COALESCE(t, a > 0)",
        // casts
        "CAST(a AS DOUBLE)", "CAST(p AS DOUBLE)", "CAST(u AS DOUBLE)", "CAST(x AS BIGINT)", "CAST(p AS BIGINT)",
        "CAST(u AS BIGINT)", "CAST(a AS DECIMAL(10,2))", "CAST(p AS DECIMAL(10,2))", "CAST(u AS DECIMAL(12,3))",
        "CAST(q AS DECIMAL(18,4))", "CAST(u AS DECIMAL(38,0))", "CAST(x * 1e17 AS BIGINT)",
        // functions
        "ABS(a)", "ABS(x)", "ABS(p)", "ABS(u)", "ABS(q)", "ROUND(p)", "ROUND(p, 2)", "ROUND(p, -1)", "ROUND(u, 3)", "ROUND(q, 5)",
        "ROUND(a, -2)", "ROUND(a)", "ROUND(a, -18)", "ROUND(u, -3)", "ROUND(u)", "CEIL(p)", "FLOOR(p)", "CEIL(u)", "FLOOR(q)",
        "CEIL(x)", "FLOOR(a)", "FLOOR(u)", "LEAST(a, b)", "GREATEST(a, b, 0)", "LEAST(p, q)", "GREATEST(u, p)", "LEAST(x, y)",
        "GREATEST(p, a)", "LEAST(a, 10 / b)", "GREATEST(u, 1.50, q)",
        // IN lists
        "a IN (1, 2, 3)", "a NOT IN (1, 2, NULL)", "p IN (1.5, 100, 150.25)", "u IN (1.5, 2, 0)", "s IN ('v1', 'v2')",
        "s NOT IN ('v3')", "x IN (1.0, 2.5)", "a IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)", "q NOT IN (0, 1.25, NULL)",
        // mixtures
        "ROUND(p * q, 2) + ABS(a)", "CASE WHEN COALESCE(a, 0) > 0 THEN ROUND(p, 1) ELSE FLOOR(q) END",
        "GREATEST(p * 2, q) - LEAST(u, 0)", "CAST(p * q AS DOUBLE) > x", "COALESCE(a + b, a * b, -a) % 7",
    };

    /** Expressions without a vector form of their own: the row fallback must give the same answers. */
    static final String[] FALLBACK = {"UPPER(s)", "s || 'x'", "ROUND(x, 1)", "LENGTH(s) + a", "CAST(x AS DECIMAL(20,4))"};

    @Test
    void vectorNodesAgreeWithRowEvaluators() {
        for (DecimalRounding rounding : new DecimalRounding[] {DecimalRounding.HALF_UP, DecimalRounding.HALF_EVEN}) {
            for (String sql : VECTOR) {
                check(sql, rounding, true);
            }
            for (String sql : FALLBACK) {
                check(sql, rounding, false);
            }
        }
    }

    private static void check(String sql, DecimalRounding rounding, boolean vector) {
        Scope scope = new Scope("t", null, SCHEMA);
        Eval rowPath;
        Eval source;
        try {
            rowPath = new ExprCompiler(scope, rounding).compile(Parser.parseExpression(sql));
            source = new ExprCompiler(scope, rounding).compile(Parser.parseExpression(sql));
        } catch (RuntimeException e) {
            fail(sql + " does not compile: " + e.getMessage());
            return;
        }
        VecExpr vec = VecCompiler.compile(source);
        if (vector) {
            assertFalse(VecCompiler.isRowFallback(vec), sql + " has no vector form");
        }
        SplittableRandom r = new SplittableRandom(sql.hashCode() * 31L + rounding.ordinal());
        Failures failures = new Failures();
        int compared = 0;
        for (int batch = 0; batch < 40; batch++) {
            int cap = 1 + r.nextInt(batch % 4 == 0 ? 1100 : 64);
            RecordBatch b = new RecordBatch(SCHEMA, cap, null);
            b.size = batch % 5 == 0 ? cap : 1 + r.nextInt(cap);
            fill(b, r, batch % 3 == 0);
            int[] sel = null;
            int n = b.size;
            if (r.nextBoolean()) {
                sel = new int[b.size];
                n = 0;
                for (int row = 0; row < b.size; row++) {
                    if (r.nextInt(3) != 0) {
                        sel[n++] = row;
                    }
                }
            }
            failures.reset(cap);
            Column out = vec.eval(b, sel, n, failures);
            int failed = 0;
            for (int i = 0; i < n; i++) {
                int row = sel == null ? i : sel[i];
                String where = sql + " [" + rounding + "] row " + row + " " + describe(b, row);
                RuntimeException expected = null;
                Object value = null;
                try {
                    rowPath.eval(b, row);
                    value = rowPath.toObject();
                } catch (RecordError | ArithmeticException e) {
                    expected = e;
                }
                if (expected != null) {
                    assertTrue(failures.failed(row), where + ": the row path fails (" + expected.getMessage() + "), the vector does not");
                    RuntimeException got = failures.error(row);
                    assertEquals(expected.getClass(), got.getClass(), where);
                    assertEquals(expected.getMessage(), got.getMessage(), where);
                    if (expected instanceof RecordError re) {
                        assertEquals(re.code(), ((RecordError) got).code(), where);
                    }
                    failed++;
                    continue;
                }
                if (failures.failed(row)) {
                    fail(where + ": the vector fails (" + failures.error(row).getMessage() + "), the row path gives " + value);
                }
                Object got = read(out, row, rowPath.type.kind);
                if (!Objects.equals(value, got)) {
                    fail(where + ": row path " + value + ", vector " + got);
                }
                compared++;
            }
            assertEquals(failed, failures.count(), sql + ": rows failed that the row path does not fail");
        }
        assertTrue(compared > 0 || sql.contains("/"), sql + " compared no value");
    }

    static Object read(Column c, int row, DataType.Kind kind) {
        if (c.nulls[row]) {
            return null;
        }
        switch (kind) {
            case BIGINT: case TIMESTAMP: case DATE: return c.longs[row];
            case BOOLEAN: return c.longs[row] != 0;
            case DOUBLE: return c.doubles[row];
            case DECIMAL: {
                if (c.scales == null) {
                    return BigDecimal.valueOf(c.longs[row]);
                }
                Dec d = new Dec();
                c.getDecimal(row, d);
                return d.toBigDecimal();
            }
            default: return c.objects[row];
        }
    }

    private static String describe(RecordBatch b, int row) {
        StringBuilder sb = new StringBuilder("{");
        for (int c = 0; c < b.columns.length; c++) {
            sb.append(c > 0 ? ", " : "").append(SCHEMA.field(c).name()).append('=')
                    .append(b.columns[c].nulls[row] ? "NULL" : b.columns[c].text(row));
        }
        return sb.append('}').toString();
    }

    // ------------------------------------------------------------------ data

    /** Random rows; {@code edgy} batches favour values at the edges (overflow, promotion, zero). */
    static void fill(RecordBatch b, SplittableRandom r, boolean edgy) {
        for (int row = 0; row < b.size; row++) {
            setLong(b.columns[0], row, bigint(r, edgy));
            setLong(b.columns[1], row, bigint(r, edgy));
            setDouble(b.columns[2], row, dbl(r, edgy));
            setDouble(b.columns[3], row, dbl(r, edgy));
            setDecimal(b.columns[4], row, r.nextInt(50) == 0 ? decimal(r, edgy, 2) : decimal(r, edgy, 4));
            setDecimal(b.columns[5], row, r.nextInt(12) == 0 ? null : BigDecimal.valueOf(r.nextLong(-9_999_999_999L, 9_999_999_999L) / (edgy ? 1 : 1000), 2));
            setDecimal(b.columns[6], row, r.nextInt(15) == 0 ? promoted(r) : decimal(r, edgy, r.nextInt(7)));
            int s = r.nextInt(6);
            if (s == 0) {
                b.columns[7].setNull(row);
            } else {
                b.columns[7].setObject(row, "v" + (s - 1));
            }
            int t = r.nextInt(3);
            if (t == 0) {
                b.columns[8].setNull(row);
            } else {
                b.columns[8].setLong(row, t - 1);
            }
        }
    }

    private static Long bigint(SplittableRandom r, boolean edgy) {
        switch (r.nextInt(edgy ? 12 : 24)) {
            case 0: return null;
            case 1: return 0L;
            case 2: return Long.MIN_VALUE;
            case 3: return Long.MAX_VALUE;
            case 4: return Long.MIN_VALUE + r.nextInt(3);
            case 5: return Long.MAX_VALUE - r.nextInt(3);
            case 6: return -1L;
            case 7: return r.nextLong();
            case 8: return (long) r.nextInt();
            default: return (long) r.nextInt(-1000, 1000);
        }
    }

    private static Double dbl(SplittableRandom r, boolean edgy) {
        switch (r.nextInt(edgy ? 10 : 20)) {
            case 0: return null;
            case 1: return 0.0;
            case 2: return -0.0;
            case 3: return 1e300;
            case 4: return -1e300;
            case 5: return 1e19 * r.nextDouble();
            case 6: return (double) r.nextInt(-5, 5);
            default: return (r.nextDouble() - 0.5) * 2000;
        }
    }

    private static BigDecimal decimal(SplittableRandom r, boolean edgy, int scale) {
        switch (r.nextInt(edgy ? 10 : 25)) {
            case 0: return null;
            case 1: return BigDecimal.valueOf(0, scale);
            case 2: return BigDecimal.valueOf(Long.MAX_VALUE - r.nextInt(10), scale);
            case 3: return BigDecimal.valueOf(Long.MIN_VALUE + r.nextInt(10), scale);
            case 4: return BigDecimal.valueOf(r.nextLong(), scale);
            case 5: return BigDecimal.valueOf(1_500_000 + r.nextInt(3), scale); // 150.0000 and neighbours at scale 4
            case 6: return BigDecimal.valueOf(r.nextInt(-20, 20) * 5L, scale);  // halves for ROUND
            default: return BigDecimal.valueOf(r.nextLong(-10_000_000_000L, 10_000_000_000L), scale);
        }
    }

    private static BigDecimal promoted(SplittableRandom r) {
        BigInteger u = BigInteger.valueOf(r.nextLong()).multiply(BigInteger.valueOf(1_000_000_007L)).add(BigInteger.valueOf(r.nextInt()));
        if (u.bitLength() <= 63) {
            u = u.shiftLeft(64);
        }
        return new BigDecimal(u, r.nextInt(5));
    }

    private static void setLong(Column c, int row, Long v) {
        if (v == null) {
            c.setNull(row);
        } else {
            c.setLong(row, v);
        }
    }

    private static void setDouble(Column c, int row, Double v) {
        if (v == null) {
            c.setNull(row);
        } else {
            c.setDouble(row, v);
        }
    }

    private static void setDecimal(Column c, int row, BigDecimal v) {
        if (v == null) {
            c.setNull(row);
        } else {
            c.setDecimal(row, new Dec().set(v));
        }
    }
}
