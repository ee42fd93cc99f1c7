package io.velo.expr.fn;

import io.velo.expr.eval.BudgetedText;
import io.velo.failure.RecordError;
import io.velo.types.Limits;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions for REGEXP and REGEXP_REPLACE. A constant pattern or replacement is checked
 * when the query is compiled (a positioned error) and compiled once; one taken from the data is a
 * record error 2201B when it is invalid, compiled only when it differs from the previous record's.
 * Java's matcher recurses on some patterns (alternation inside a loop over a long text): running out
 * of stack there is the record's error too, not the job's end. It also backtracks without bound on
 * some patterns ({@code (a+)+$} over a long run of a's): the text is handed to it through
 * {@link BudgetedText}, which refuses the record once the matcher has read more characters than its
 * budget allows, instead of hanging the job.
 */
final class Regexes {
    private Regexes() {
    }

    /** Why {@code pattern} is not a valid regular expression, or null. */
    static String patternError(String pattern) {
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            return "invalid regular expression '" + shorten(pattern) + "': " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "");
        } catch (StackOverflowError e) {
            return "regular expression '" + shorten(pattern) + "' is nested too deeply";
        }
    }

    static Pattern compile(String pattern) {
        String error = patternError(pattern);
        if (error != null) {
            throw new RecordError(RecordError.INVALID_REGEX, error);
        }
        return Pattern.compile(pattern);
    }

    /**
     * Why {@code replacement} is not a valid REGEXP_REPLACE replacement ({@code $n} and {@code ${name}}
     * refer to groups, a backslash escapes the next character), or null; {@code groups} is the
     * pattern's group count, or -1 when the pattern is not known yet.
     */
    static String replacementError(String replacement, int groups) {
        int n = replacement.length();
        for (int i = 0; i < n; i++) {
            char c = replacement.charAt(i);
            if (c == '\\') {
                if (++i == n) {
                    return "replacement '" + shorten(replacement) + "' ends with a lone backslash (write \\\\ for one)";
                }
            } else if (c == '$') {
                if (i + 1 < n && replacement.charAt(i + 1) == '{') {
                    int close = replacement.indexOf('}', i + 2);
                    if (close < 0 || !isGroupName(replacement, i + 2, close)) {
                        return "replacement '" + shorten(replacement) + "' has a malformed group name after ${";
                    }
                    i = close;
                } else if (i + 1 < n && replacement.charAt(i + 1) >= '0' && replacement.charAt(i + 1) <= '9') {
                    int group = replacement.charAt(i + 1) - '0';
                    if (groups >= 0 && group > groups) {
                        return "replacement '" + shorten(replacement) + "' refers to group " + group
                                + " but the pattern has " + groups;
                    }
                    i++;
                } else {
                    return "replacement '" + shorten(replacement)
                            + "' has a $ not followed by a group number or {name} (write \\$ for a dollar sign)";
                }
            }
        }
        return null;
    }

    private static boolean isGroupName(String s, int from, int to) {
        if (from == to || !Character.isLetter(s.charAt(from))) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    static boolean find(Pattern p, String text) {
        try {
            return p.matcher(new BudgetedText(text, p.pattern())).find();
        } catch (StackOverflowError e) {
            throw tooComplex(p);
        }
    }

    /** Replaces every match, refusing a result beyond {@link Limits#MAX_STRING_LENGTH}. */
    static String replaceAll(Pattern p, String text, String replacement) {
        try {
            Matcher m = p.matcher(new BudgetedText(text, p.pattern()));
            if (!m.find()) {
                return text;
            }
            StringBuilder sb = new StringBuilder(text.length());
            do {
                m.appendReplacement(sb, replacement);
                if (sb.length() > Limits.MAX_STRING_LENGTH) {
                    throw FunctionSupport.tooLong("REGEXP_REPLACE", sb.length());
                }
            } while (m.find());
            m.appendTail(sb);
            FunctionSupport.checkLength("REGEXP_REPLACE", sb.length());
            return sb.toString();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // a replacement from the data naming a group the pattern lacks (${name}); checked syntax otherwise
            throw new RecordError(RecordError.INVALID_REGEX, "invalid replacement '" + shorten(replacement) + "': " + e.getMessage());
        } catch (StackOverflowError e) {
            throw tooComplex(p);
        }
    }

    private static RecordError tooComplex(Pattern p) {
        return new RecordError(RecordError.INVALID_REGEX, "regular expression '" + shorten(p.pattern())
                + "' is too complex for this text (the matcher ran out of stack)");
    }

    static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** The compiled form of the last pattern a call site saw in the data (patterns tend to repeat). */
    static final class LastPattern {
        private Compiled last;

        Pattern get(String source) {
            Compiled c = last;
            if (c == null || !c.source.equals(source)) {
                c = new Compiled(source, compile(source));
                last = c;
            }
            return c.pattern;
        }

        private record Compiled(String source, Pattern pattern) { }
    }
}
