package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** String functions: UPPER … REGEXP_REPLACE. */
final class StringFunctions {
    private StringFunctions() {
    }

    static void registerAll() {
        // strings --------------------------------------------------------
        scalar("UPPER", 1, 1, a -> { requireString(a.get(0), "UPPER"); return DataType.STRING; }, v -> str(v[0]).toUpperCase(Locale.ROOT), "upper case");
        scalar("LOWER", 1, 1, a -> { requireString(a.get(0), "LOWER"); return DataType.STRING; }, v -> str(v[0]).toLowerCase(Locale.ROOT), "lower case");
        scalar("SUBSTRING", 2, 3, a -> { requireString(a.get(0), "SUBSTRING"); return DataType.STRING; }, v -> {
            String s = str(v[0]);
            long start = lng(v[1]);
            long len = v.length > 2 ? lng(v[2]) : Long.MAX_VALUE / 4;
            if (len < 0) {
                throw invalid("SUBSTRING length must not be negative");
            }
            long from = Math.max(start, 1);
            long to = Math.min(s.length() + 1L, start + len);
            return from >= to ? "" : s.substring((int) from - 1, (int) to - 1);
        }, "SUBSTRING(s, start [, length]), 1-based");
        scalar("TRIM", 1, 2, a -> DataType.STRING, v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", true, true), "strip spaces (or given characters) both ends");
        scalar("LTRIM", 1, 2, a -> DataType.STRING, v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", true, false), "strip leading spaces");
        scalar("RTRIM", 1, 2, a -> DataType.STRING, v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", false, true), "strip trailing spaces");
        scalar("LENGTH", 1, 1, a -> DataType.BIGINT, v -> (long) str(v[0]).length(), "number of characters");
        alias("CHAR_LENGTH", "LENGTH");
        register(new FunctionDef("CONCAT", FunctionKind.SCALAR, 1, ANY, a -> DataType.STRING, site -> {
            // DATE and TIMESTAMP arrive as numbers (days, milliseconds): their text depends on the type
            Kind[] kinds = new Kind[site.arity()];
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = site.type(i).kind;
            }
            return v -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < v.length; i++) {
                    Object o = v[i];
                    if (o == null) {
                        continue;
                    }
                    switch (kinds[i]) {
                        case DATE: sb.append(io.velo.types.Values.formatDate((Long) o)); break;
                        case TIMESTAMP: io.velo.types.Values.appendTimestamp(sb, (Long) o); break;
                        default: sb.append(o instanceof BigDecimal ? ((BigDecimal) o).toPlainString() : String.valueOf(o));
                    }
                }
                return sb.toString();
            };
        }, false, true, "concatenation; NULL arguments are skipped"));
        scalar("REPLACE", 3, 3, a -> DataType.STRING, v -> str(v[0]).replace(str(v[1]), str(v[2])), "replace every occurrence");
        scalar("LEFT", 2, 2, a -> DataType.STRING, v -> {
            String s = str(v[0]);
            int n = toInt(v[1]);
            return n < 0 ? s.substring(0, Math.max(0, s.length() + n)) : s.substring(0, Math.min(n, s.length()));
        }, "first n characters");
        scalar("RIGHT", 2, 2, a -> DataType.STRING, v -> {
            String s = str(v[0]);
            int n = toInt(v[1]);
            return n < 0 ? s.substring(Math.min(s.length(), -n)) : s.substring(s.length() - Math.min(n, s.length()));
        }, "last n characters");
        scalar("POSITION", 2, 2, a -> DataType.BIGINT, v -> (long) (str(v[1]).indexOf(str(v[0])) + 1), "POSITION(sub IN s), 1-based, 0 if absent");
        scalar("SPLIT_PART", 3, 3, a -> DataType.STRING, v -> {
            String s = str(v[0]);
            String d = str(v[1]);
            int n = toInt(v[2]);
            if (n == 0) {
                throw invalid("SPLIT_PART field position must not be zero");
            }
            List<String> parts = new ArrayList<>();
            if (d.isEmpty()) {
                parts.add(s);
            } else {
                int from = 0;
                while (true) {
                    int k = s.indexOf(d, from);
                    if (k < 0) {
                        parts.add(s.substring(from));
                        break;
                    }
                    parts.add(s.substring(from, k));
                    from = k + d.length();
                }
            }
            int idx = n > 0 ? n - 1 : parts.size() + n;
            return idx >= 0 && idx < parts.size() ? parts.get(idx) : "";
        }, "SPLIT_PART(s, delimiter, n)");
        scalar("LPAD", 2, 3, a -> DataType.STRING, v -> pad(str(v[0]), toInt(v[1]), v.length > 2 ? str(v[2]) : " ", true), "left-pad to length");
        scalar("RPAD", 2, 3, a -> DataType.STRING, v -> pad(str(v[0]), toInt(v[1]), v.length > 2 ? str(v[2]) : " ", false), "right-pad to length");
        scalar("REGEXP", 2, 2, a -> DataType.BOOLEAN, v -> regex(str(v[1])).matcher(str(v[0])).find(), "true when the pattern matches");
        alias("REGEXP_LIKE", "REGEXP");
        scalar("REGEXP_REPLACE", 3, 3, a -> DataType.STRING, v -> regex(str(v[1])).matcher(str(v[0])).replaceAll(str(v[2])), "replace every match");
    }

    static String pad(String s, int n, String fill, boolean left) {
        if (n <= s.length()) {
            return s.substring(0, Math.max(0, n));
        }
        if (fill.isEmpty()) {
            return s;
        }
        StringBuilder p = new StringBuilder();
        while (p.length() < n - s.length()) {
            p.append(fill);
        }
        p.setLength(n - s.length());
        return left ? p + s : s + p;
    }

    static String trim(String s, String chars, boolean leading, boolean trailing) {
        int a = 0;
        int b = s.length();
        while (leading && a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (trailing && b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

}
