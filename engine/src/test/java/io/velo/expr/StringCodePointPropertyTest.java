package io.velo.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.batch.RecordBatch;
import io.velo.expr.eval.Eval;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The string functions on random strings rich in supplementary characters (emoji, musical symbols)
 * agree with a reference that works on arrays of code points: lengths, positions and counts are in
 * code points, and no result holds half of a surrogate pair.
 */
class StringCodePointPropertyTest {
    private static final String[] ALPHABET = {"a", "b", ",", " ", "é", "😀", "😁", "🚀", "𝄞"};
    private static final Schema SCHEMA = new Schema(List.of(new Field("s", DataType.STRING), new Field("t", DataType.STRING),
            new Field("f", DataType.STRING), new Field("a", DataType.BIGINT), new Field("b", DataType.BIGINT)));
    private static final int ROWS = 3000;

    record Row(String s, String t, String f, long a, long b) { }

    @Test
    void stringFunctionsCountCodePointsAndNeverSplitAPair() {
        Random random = new Random(42);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new Row(text(random, 12), text(random, 2), text(random, 3), random.nextInt(31) - 15, random.nextInt(31) - 15));
        }
        RecordBatch batch = new RecordBatch(SCHEMA, ROWS, null);
        for (int i = 0; i < ROWS; i++) {
            Row r = rows.get(i);
            batch.columns[0].setObject(i, r.s);
            batch.columns[1].setObject(i, r.t);
            batch.columns[2].setObject(i, r.f);
            batch.columns[3].setLong(i, r.a);
            batch.columns[4].setLong(i, r.b);
        }
        batch.size = ROWS;

        check(batch, rows, "LENGTH(s)", r -> (long) cps(r.s).length);
        check(batch, rows, "SUBSTRING(s, a)", r -> substring(r.s, r.a, Long.MAX_VALUE));
        check(batch, rows, "SUBSTRING(s, a, ABS(b))", r -> substring(r.s, r.a, Math.abs(r.b)));
        check(batch, rows, "LEFT(s, a)", r -> {
            int[] c = cps(r.s);
            return str(c, 0, (int) (r.a >= 0 ? Math.min(r.a, c.length) : Math.max(0, c.length + r.a)));
        });
        check(batch, rows, "RIGHT(s, a)", r -> {
            int[] c = cps(r.s);
            int from = (int) (r.a >= 0 ? c.length - Math.min(r.a, c.length) : Math.min(-r.a, c.length));
            return str(c, from, c.length);
        });
        check(batch, rows, "LPAD(s, a, f)", r -> pad(r.s, r.a, r.f, true));
        check(batch, rows, "RPAD(s, b, f)", r -> pad(r.s, r.b, r.f, false));
        check(batch, rows, "POSITION(t IN s)", r -> position(cps(r.t), cps(r.s)));
        check(batch, rows, "TRIM(s, f)", r -> trim(r.s, r.f));
        check(batch, rows, "REPLACE(s, t, f)", r -> r.t.isEmpty() ? r.s : r.s.replace(r.t, r.f));
        check(batch, rows, "SPLIT_PART(s, t, CASE WHEN a = 0 THEN 1 ELSE a END)", r -> splitPart(r.s, r.t, r.a == 0 ? 1 : r.a));
        check(batch, rows, "REGEXP_REPLACE(s, '.', '_')", r -> "_".repeat(cps(r.s).length));
    }

    private static void check(RecordBatch batch, List<Row> rows, String expr, Function<Row, Object> reference) {
        Eval ev = new ExprCompiler(new Scope("t", null, SCHEMA), DecimalRounding.HALF_UP).compile(Parser.parseExpression(expr));
        for (int i = 0; i < rows.size(); i++) {
            ev.eval(batch, i);
            Object actual = ev.toObject();
            Row r = rows.get(i);
            assertEquals(reference.apply(r), actual, () -> expr + " with " + r);
            if (actual instanceof String s) {
                assertEquals(s.codePoints().count(), (long) s.codePointCount(0, s.length()));
                for (int k = 0; k < s.length(); k++) {
                    char c = s.charAt(k);
                    boolean paired = Character.isHighSurrogate(c) ? k + 1 < s.length() && Character.isLowSurrogate(s.charAt(++k))
                            : !Character.isLowSurrogate(c);
                    assertEquals(true, paired, () -> expr + " split a surrogate pair: " + r + " -> " + s);
                }
            }
        }
    }

    private static String text(Random random, int max) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(max + 1); n > 0; n--) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static int[] cps(String s) {
        return s.codePoints().toArray();
    }

    private static String str(int[] cps, int from, int to) {
        return from >= to ? "" : new String(cps, from, to - from);
    }

    private static String substring(String s, long start, long length) {
        int[] c = cps(s);
        long from = Math.max(start, 1);
        long end = length == Long.MAX_VALUE ? Long.MAX_VALUE : start + length;
        return end <= from ? "" : str(c, (int) Math.min(from - 1, c.length), (int) Math.min(end - 1, c.length));
    }

    private static String pad(String s, long n, String fill, boolean left) {
        int[] c = cps(s);
        if (n <= c.length) {
            return str(c, 0, (int) Math.max(0, n));
        }
        int[] f = cps(fill);
        if (f.length == 0) {
            return s;
        }
        int[] p = new int[(int) (n - c.length)];
        for (int i = 0; i < p.length; i++) {
            p[i] = f[i % f.length];
        }
        String padding = new String(p, 0, p.length);
        return left ? padding + s : s + padding;
    }

    private static long position(int[] t, int[] s) {
        for (int i = 0; i + t.length <= s.length; i++) {
            if (Arrays.equals(s, i, i + t.length, t, 0, t.length)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String trim(String s, String chars) {
        int[] c = cps(s);
        int[] set = cps(chars);
        int a = 0;
        int b = c.length;
        while (a < b && contains(set, c[a])) {
            a++;
        }
        while (b > a && contains(set, c[b - 1])) {
            b--;
        }
        return str(c, a, b);
    }

    private static boolean contains(int[] set, int cp) {
        return Arrays.stream(set).anyMatch(x -> x == cp);
    }

    private static String splitPart(String s, String d, long n) {
        List<String> fields = new ArrayList<>();
        if (d.isEmpty()) {
            fields.add(s);
        } else {
            int from = 0;
            for (int k = s.indexOf(d); k >= 0; k = s.indexOf(d, from)) {
                fields.add(s.substring(from, k));
                from = k + d.length();
            }
            fields.add(s.substring(from));
        }
        long idx = n > 0 ? n - 1 : fields.size() + n;
        return idx >= 0 && idx < fields.size() ? fields.get((int) idx) : "";
    }
}
