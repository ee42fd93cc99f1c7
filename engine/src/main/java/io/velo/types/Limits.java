package io.velo.types;

/**
 * Size limits on values the engine builds, so that one record cannot exhaust the heap (LPAD to two
 * billion characters, a REPLACE or || that multiplies its input, a STRING_AGG over an endless group).
 * A value that would exceed a limit is a record-level error (SQLSTATE 54000), documented in
 * docs/sql-reference.md.
 */
public final class Limits {
    /**
     * The longest STRING a function, operator or aggregate may produce: 10 Mi (10,485,760) UTF-16
     * units — characters outside the Basic Multilingual Plane (emoji) count as two. Text read from a
     * source is not cut; only what the engine builds is limited.
     */
    public static final int MAX_STRING_LENGTH = 10 * 1024 * 1024;

    private Limits() {
    }
}
