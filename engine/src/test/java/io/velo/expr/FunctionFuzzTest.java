package io.velo.expr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionKind;
import io.velo.expr.fn.FunctionRegistry;
import io.velo.failure.RecordError;
import io.velo.sql.SqlException;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Limits;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalRounding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every registered scalar function, called with random arguments of every type and with hostile
 * values (empty, NULL, huge, negative, invalid regexes and paths, supplementary characters): compiling
 * a call either succeeds or fails with a positioned SQL error, and evaluating it on any row either
 * gives a value of the call's type or fails the record with a RecordError — nothing else escapes.
 */
class FunctionFuzzTest {
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("n", DataType.BIGINT), new Field("price", DataType.decimal(10, 2)), new Field("amt", DataType.DECIMAL),
            new Field("d", DataType.DOUBLE), new Field("s", DataType.STRING), new Field("p", DataType.STRING),
            new Field("flag", DataType.BOOLEAN), new Field("ts", DataType.TIMESTAMP), new Field("day", DataType.DATE)));

    /** Rows: n, price (unscaled, scale 2), amt, d, s, p, flag, ts, day — one all NULL. */
    private static final Object[][] ROWS = {
        {null, null, null, null, null, null, null, null, null},
        {Long.MAX_VALUE, 9_999_999_999L, new BigDecimal("123456789012345678901234567890.5"), 1e308, "", "[", true, Long.MAX_VALUE / 2, 2_000_000L},
        {Long.MIN_VALUE, -9_999_999_999L, new BigDecimal("-0.000001"), -1e308, "😀a😀", "$", false, Long.MIN_VALUE / 2, -2_000_000L},
        {2_000_000_000L, 0L, BigDecimal.ZERO, 0.0, "a\\", "\\", true, 0L, 0L},
        {-1L, 150L, new BigDecimal("2.25"), -0.5, "x".repeat(1000), "(a|b)*c", false, 1_718_409_600_000L, 19_889L},
        {0L, -1L, new BigDecimal("1e-30"), 4.9e-324, "{\"a\":[1,{\"b\":\"😀\"}]}", "$.a[1].b", true, -1L, -1L},
        {3L, 5L, new BigDecimal("7"), 2.5, "a,b,,d", "${x}", null, 1L, 1L},
        {-9_000_000_000L, 12_345L, new BigDecimal("-99.999"), 709.8, "  Straße  ", "$[", false, 86_400_000L, 365L},
    };

    private static final String[] ARGS = {
        "n", "price", "amt", "d", "s", "p", "flag", "ts", "day",
        "NULL", "''", "'['", "'$'", "'\\'", "'NaN'", "'Infinity'", "'😀'", "'a😀b'", "'$1'", "'(a)'", "'$.a[0]'", "'$['", "'[0]'",
        "'yyyy-MM-dd'", "'YEAR'", "'day'", "'2024-06-15'", "'2024-06-15T10:00:00Z'", "'{\"a\":1}'",
        "9223372036854775807", "-9223372036854775808", "2000000000", "10485761", "-1", "0", "1", "3", "-40", "40",
        "1e308", "-1e308", "1.5", "-2.25", "0.001", "99999999999999999999.99", "TRUE", "FALSE", "INTERVAL '5' SECOND",
        "CAST(NULL AS DECIMAL(5,2))", "s || s", "LPAD(s, 3000, '😀')",
    };

    @Test
    void nothingButPositionedErrorsAndRecordErrorsEscape() {
        RecordBatch batch = batch();
        Random random = new Random(20240615L);
        List<String> problems = new ArrayList<>();
        int compiled = 0;
        int evaluated = 0;
        for (FunctionDef def : FunctionRegistry.all()) {
            if (def.kind() != FunctionKind.SCALAR) {
                continue;
            }
            int maxArity = (int) Math.min(def.maxArgs(), def.minArgs() + 3L);
            for (int arity = def.minArgs(); arity <= maxArity; arity++) {
                int tries = arity == 0 ? 1 : 60;
                for (int t = 0; t < tries; t++) {
                    StringBuilder call = new StringBuilder(def.name()).append('(');
                    for (int a = 0; a < arity; a++) {
                        call.append(a > 0 ? ", " : "").append(ARGS[random.nextInt(ARGS.length)]);
                    }
                    String sql = call.append(')').toString();
                    Eval ev = compile(sql, problems);
                    if (ev == null) {
                        continue;
                    }
                    compiled++;
                    for (int row = 0; row < batch.size; row++) {
                        evaluated++;
                        evaluate(sql, ev, batch, row, problems);
                    }
                }
            }
        }
        assertTrue(compiled > 1000, "too few calls compiled: " + compiled);
        java.util.TreeSet<String> functions = new java.util.TreeSet<>();
        problems.forEach(p -> functions.add(p.substring(0, p.indexOf('('))));
        assertTrue(problems.isEmpty(), problems.size() + " problems in " + evaluated + " evaluations, in " + functions + ", e.g.:\n  "
                + String.join("\n  ", problems.subList(0, Math.min(40, problems.size()))));
    }

    private static Eval compile(String sql, List<String> problems) {
        try {
            return new ExprCompiler(new Scope("t", null, SCHEMA), DecimalRounding.HALF_UP).compile(Parser.parseExpression(sql));
        } catch (SqlException e) {
            if (e.pos() == null || e.pos().line() < 1 || e.pos().col() < 1) {
                problems.add(sql + ": unpositioned error " + e.getMessage());
            }
            return null;
        } catch (Throwable e) {
            problems.add(sql + " at compile time: " + e);
            return null;
        }
    }

    private static void evaluate(String sql, Eval ev, RecordBatch batch, int row, List<String> problems) {
        try {
            ev.eval(batch, row);
        } catch (RecordError | ArithmeticException e) {
            return; // a record error (RowErrors maps ArithmeticException to 22003 / 22012)
        } catch (Throwable e) {
            problems.add(sql + " on row " + row + ": " + e);
            return;
        }
        if (ev.isNull) {
            return;
        }
        String bad = null;
        switch (ev.type.kind) {
            case DOUBLE: bad = Double.isFinite(ev.d) ? null : "DOUBLE " + ev.d; break;
            case DECIMAL: bad = ev.type.hasFixedScale() && ev.dec.scale != ev.type.scale ? "scale " + ev.dec.scale + " in " + ev.type : null; break;
            case STRING:
                bad = !(ev.o instanceof String) ? "not a String: " + ev.o
                        : ((String) ev.o).length() > Limits.MAX_STRING_LENGTH ? "a string beyond the limit"
                        : hasBrokenSurrogate((String) ev.o) ? "a split surrogate pair" : null;
                break;
            default: break;
        }
        if (bad != null) {
            problems.add(sql + " on row " + row + " gave " + bad);
        }
        Column out = new Column(ev.type, 1);
        try {
            ev.writeTo(out, 0);
        } catch (Throwable e) {
            problems.add(sql + " on row " + row + " could not be written: " + e);
        }
    }

    private static boolean hasBrokenSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static RecordBatch batch() {
        RecordBatch b = new RecordBatch(SCHEMA, ROWS.length, null);
        Dec dec = new Dec();
        for (int r = 0; r < ROWS.length; r++) {
            Object[] v = ROWS[r];
            for (int c = 0; c < v.length; c++) {
                Column col = b.columns[c];
                if (v[c] == null) {
                    col.setNull(r);
                    continue;
                }
                switch (col.type.kind) {
                    case BIGINT: case TIMESTAMP: case DATE: col.setLong(r, (Long) v[c]); break;
                    case BOOLEAN: col.setLong(r, (Boolean) v[c] ? 1 : 0); break;
                    case DOUBLE: col.setDouble(r, (Double) v[c]); break;
                    case DECIMAL:
                        col.setDecimal(r, v[c] instanceof Long ? dec.set((Long) v[c], col.type.scale) : dec.set((BigDecimal) v[c]));
                        break;
                    default: col.setObject(r, v[c]); break;
                }
            }
            b.offset[r] = r + 1;
        }
        b.size = ROWS.length;
        return b;
    }

}
