package io.velo.expr.eval;

import io.velo.failure.RecordError;

/**
 * A text handed to a regular-expression matcher (REGEXP, REGEXP_REPLACE, LIKE) that counts the
 * characters the matcher reads and refuses the record (2201B) past a budget. Java's matcher
 * backtracks without bound on some patterns ({@code (a+)+$} over a long run of a's, LIKE with many
 * {@code %}): the record fails instead of the job hanging. The budget is far beyond what a linear, or
 * on moderate texts a quadratic, match needs, and far below an exponential backtrack's.
 */
public final class BudgetedText implements CharSequence {
    private final String text;
    private final String pattern;
    private long left;

    public BudgetedText(String text, String pattern) {
        this.text = text;
        this.pattern = pattern;
        this.left = budget(text.length());
    }

    /** Characters a matcher may read for a text of this length. */
    public static long budget(int length) {
        return 50_000_000L + 1_000L * length;
    }

    @Override
    public char charAt(int index) {
        if (--left < 0) {
            throw new RecordError(RecordError.INVALID_REGEX, "pattern '" + (pattern.length() > 60 ? pattern.substring(0, 60) + "…" : pattern)
                    + "' backtracks too much on this text (more than " + budget(text.length()) + " steps)");
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
