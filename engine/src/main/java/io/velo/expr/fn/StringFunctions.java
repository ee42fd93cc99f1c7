package io.velo.expr.fn;

import static io.velo.expr.fn.FunctionSupport.*;

import io.velo.expr.eval.FunctionEval;
import io.velo.types.DataType;
import io.velo.types.Limits;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * String functions: UPPER … REGEXP_REPLACE. Strings are sequences of Unicode code points: lengths,
 * positions and counts are in code points, and no function splits a surrogate pair. A function that
 * builds a string refuses one longer than {@link Limits#MAX_STRING_LENGTH} (a record error 54000).
 */
final class StringFunctions {
    private StringFunctions() {
    }

    static void registerAll() {
        // strings --------------------------------------------------------
        define("UPPER", "s STRING", a -> DataType.STRING, v -> str(v[0]).toUpperCase(Locale.ROOT), "upper case");
        define("LOWER", "s STRING", a -> DataType.STRING, v -> str(v[0]).toLowerCase(Locale.ROOT), "lower case");
        define("SUBSTRING", "s STRING, start COUNT, [length COUNT]", a -> DataType.STRING, site -> {
            if (site.arity() > 2 && site.isConstant(2) && site.constant(2) != null && lng(site.constant(2)) < 0) {
                throw site.reject(2, "SUBSTRING length must not be negative");
            }
            return v -> substring(str(v[0]), lng(v[1]), v.length > 2 ? lng(v[2]) : Long.MAX_VALUE);
        }, true, "the characters from start (1-based) on, at most length of them");
        define("TRIM", "s STRING, [characters STRING]", a -> DataType.STRING,
                v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", true, true), "strip spaces (or the given characters) at both ends");
        define("LTRIM", "s STRING, [characters STRING]", a -> DataType.STRING,
                v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", true, false), "strip leading spaces (or the given characters)");
        define("RTRIM", "s STRING, [characters STRING]", a -> DataType.STRING,
                v -> trim(str(v[0]), v.length > 1 ? str(v[1]) : " ", false, true), "strip trailing spaces (or the given characters)");
        define("LENGTH", "s STRING", a -> DataType.BIGINT, v -> (long) codePoints(str(v[0])), "number of characters (code points)");
        alias("CHAR_LENGTH", "LENGTH");
        define("CONCAT", "value ...", a -> DataType.STRING, site -> {
            convertAll(site, DataType.STRING, 0); // the text of each value, as || and CAST write it
            return StringFunctions::concat;
        }, false, "concatenation of the values' text; NULL arguments are skipped");
        define("REPLACE", "s STRING, search STRING, replacement STRING", a -> DataType.STRING,
                v -> replace(str(v[0]), str(v[1]), str(v[2])), "replace every occurrence of search (an empty search changes nothing)");
        define("LEFT", "s STRING, n COUNT", a -> DataType.STRING, v -> left(str(v[0]), lng(v[1])),
                "the first n characters (all but the last -n when n is negative)");
        define("RIGHT", "s STRING, n COUNT", a -> DataType.STRING, v -> right(str(v[0]), lng(v[1])),
                "the last n characters (all but the first -n when n is negative)");
        define("POSITION", "search STRING, s STRING", a -> DataType.BIGINT, v -> position(str(v[0]), str(v[1])),
                "written POSITION(search IN s); 1-based character position, 0 if absent");
        define("SPLIT_PART", "s STRING, delimiter STRING, n COUNT", a -> DataType.STRING, site -> {
            if (site.isConstant(2) && site.constant(2) != null && lng(site.constant(2)) == 0) {
                throw site.reject(2, "SPLIT_PART field position must not be zero");
            }
            return v -> splitPart(str(v[0]), str(v[1]), lng(v[2]));
        }, true, "the n-th field (counting from the end when n is negative), '' beyond the last");
        define("LPAD", "s STRING, length COUNT, [fill STRING]", a -> DataType.STRING, site -> {
            checkPadLength(site);
            return v -> pad(str(v[0]), lng(v[1]), v.length > 2 ? str(v[2]) : " ", true, "LPAD");
        }, true, "pad on the left (with spaces or fill) to length characters, or cut to it");
        define("RPAD", "s STRING, length COUNT, [fill STRING]", a -> DataType.STRING, site -> {
            checkPadLength(site);
            return v -> pad(str(v[0]), lng(v[1]), v.length > 2 ? str(v[2]) : " ", false, "RPAD");
        }, true, "pad on the right (with spaces or fill) to length characters, or cut to it");
        define("REGEXP", "s STRING, pattern STRING", a -> DataType.BOOLEAN, site -> {
            if (site.isConstant(1) && site.constant(1) != null) {
                Pattern p = constantPattern(site, 1);
                return v -> Regexes.find(p, str(v[0]));
            }
            Regexes.LastPattern patterns = new Regexes.LastPattern();
            return v -> Regexes.find(patterns.get(str(v[1])), str(v[0]));
        }, true, "true when the (Java) regular expression matches somewhere in s");
        alias("REGEXP_LIKE", "REGEXP");
        define("REGEXP_REPLACE", "s STRING, pattern STRING, replacement STRING", a -> DataType.STRING,
                StringFunctions::bindRegexpReplace, true, "replace every match; $1 or ${name} in the replacement is a group, \\$ a dollar sign");
    }

    private static FunctionEval.Impl bindRegexpReplace(CallSite site) {
        boolean constantPattern = site.isConstant(1) && site.constant(1) != null;
        Pattern fixed = constantPattern ? constantPattern(site, 1) : null;
        boolean constantReplacement = site.isConstant(2) && site.constant(2) != null;
        if (constantReplacement) {
            String error = Regexes.replacementError((String) site.constant(2), fixed == null ? -1 : fixed.matcher("").groupCount());
            if (error != null) {
                throw site.reject(2, error);
            }
        }
        Regexes.LastPattern patterns = new Regexes.LastPattern();
        return v -> {
            Pattern p = fixed != null ? fixed : patterns.get(str(v[1]));
            String replacement = str(v[2]);
            if (!constantReplacement) {
                String error = Regexes.replacementError(replacement, p.matcher("").groupCount());
                if (error != null) {
                    throw new io.velo.failure.RecordError(io.velo.failure.RecordError.INVALID_REGEX, error);
                }
            }
            return Regexes.replaceAll(p, str(v[0]), replacement);
        };
    }

    private static Pattern constantPattern(CallSite site, int arg) {
        String error = Regexes.patternError((String) site.constant(arg));
        if (error != null) {
            throw site.reject(arg, error);
        }
        return Pattern.compile((String) site.constant(arg));
    }

    private static void checkPadLength(CallSite site) {
        if (site.isConstant(1) && site.constant(1) != null && lng(site.constant(1)) > Limits.MAX_STRING_LENGTH) {
            throw site.reject(1, site.function() + " length " + site.constant(1) + " exceeds the limit of "
                    + Limits.MAX_STRING_LENGTH + " characters for a STRING value");
        }
    }

    // ------------------------------------------------------------------ code points

    static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    /** The char index of code point {@code cp} of {@code s}, clamped to [0, s.length()]. */
    static int offset(String s, long cp) {
        if (cp <= 0) {
            return 0;
        }
        return cp >= codePoints(s) ? s.length() : s.offsetByCodePoints(0, (int) cp);
    }

    static String substring(String s, long start, long length) {
        if (length < 0) {
            throw invalid("SUBSTRING length must not be negative, got " + length);
        }
        long from = Math.max(start, 1);
        long end = length >= Long.MAX_VALUE - Math.max(start, 0) ? Long.MAX_VALUE : start + length; // exclusive, 1-based
        if (end <= from) {
            return "";
        }
        int a = offset(s, from - 1);
        return s.substring(a, end == Long.MAX_VALUE ? s.length() : Math.max(a, offset(s, end - 1)));
    }

    static String left(String s, long n) {
        long keep = n >= 0 ? n : Math.max(0, codePoints(s) + n);
        return s.substring(0, offset(s, keep));
    }

    static String right(String s, long n) {
        int total = codePoints(s);
        long drop = n >= 0 ? Math.max(0, total - n) : Math.min(total, n == Long.MIN_VALUE ? Long.MAX_VALUE : -n);
        return s.substring(offset(s, drop));
    }

    static long position(String search, String s) {
        int i = s.indexOf(search);
        return i < 0 ? 0 : s.codePointCount(0, i) + 1L;
    }

    static String concat(Object[] v) {
        long length = 0;
        for (Object o : v) {
            if (o != null) {
                length += ((String) o).length();
            }
        }
        checkLength("CONCAT", length);
        StringBuilder sb = new StringBuilder((int) length);
        for (Object o : v) {
            if (o != null) {
                sb.append((String) o);
            }
        }
        return sb.toString();
    }

    static String replace(String s, String search, String replacement) {
        if (search.isEmpty()) {
            return s;
        }
        int i = s.indexOf(search);
        if (i < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int from = 0;
        do {
            sb.append(s, from, i).append(replacement);
            if (sb.length() > Limits.MAX_STRING_LENGTH) {
                throw tooLong("REPLACE", sb.length());
            }
            from = i + search.length();
            i = s.indexOf(search, from);
        } while (i >= 0);
        sb.append(s, from, s.length());
        checkLength("REPLACE", sb.length());
        return sb.toString();
    }

    static String splitPart(String s, String delimiter, long n) {
        if (n == 0) {
            throw invalid("SPLIT_PART field position must not be zero");
        }
        if (delimiter.isEmpty()) {
            return n == 1 || n == -1 ? s : "";
        }
        if (n < 0) {
            long fields = 1;
            for (int k = s.indexOf(delimiter); k >= 0; k = s.indexOf(delimiter, k + delimiter.length())) {
                fields++;
            }
            n = fields + n + 1;
            if (n < 1) {
                return "";
            }
        }
        int from = 0;
        for (long field = 1; field < n; field++) {
            int k = s.indexOf(delimiter, from);
            if (k < 0) {
                return "";
            }
            from = k + delimiter.length();
        }
        int end = s.indexOf(delimiter, from);
        return s.substring(from, end < 0 ? s.length() : end);
    }

    /** Pads (or cuts) {@code s} to {@code n} code points, repeating the fill's code points. */
    static String pad(String s, long n, String fill, boolean left, String fn) {
        int have = codePoints(s);
        if (n <= have) {
            return s.substring(0, offset(s, n));
        }
        if (fill.isEmpty()) {
            return s;
        }
        if (n > Limits.MAX_STRING_LENGTH) {
            throw tooLong(fn, n);
        }
        int fillPoints = codePoints(fill);
        long missing = n - have;
        StringBuilder p = new StringBuilder((int) Math.min(Limits.MAX_STRING_LENGTH, missing + s.length()));
        if (!left) {
            p.append(s);
        }
        for (long whole = missing / fillPoints; whole > 0; whole--) {
            p.append(fill);
        }
        p.append(fill, 0, offset(fill, missing % fillPoints));
        if (left) {
            p.append(s);
        }
        checkLength(fn, p.length());
        return p.toString();
    }

    static String trim(String s, String chars, boolean leading, boolean trailing) {
        int a = 0;
        int b = s.length();
        while (leading && a < b) {
            int cp = s.codePointAt(a);
            if (chars.indexOf(cp) < 0) {
                break;
            }
            a += Character.charCount(cp);
        }
        while (trailing && b > a) {
            int cp = s.codePointBefore(b);
            if (chars.indexOf(cp) < 0) {
                break;
            }
            b -= Character.charCount(cp);
        }
        return s.substring(a, b);
    }
}
