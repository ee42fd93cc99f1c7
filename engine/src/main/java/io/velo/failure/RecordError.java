package io.velo.failure;

/**
 * A record-level error: the record cannot be processed, the job goes on according to its failure
 * strategy. Carries an SQLSTATE-style code ({@code 22012} division by zero, {@code 22003} numeric
 * value out of range, {@code 22018} invalid character value for cast, {@code 22P02} malformed input,
 * {@code 22021} bytes that are not valid UTF-8,
 * {@code 2201B} invalid regular expression, {@code 54000} a value beyond a documented size limit).
 * No stack trace: these are expected conditions, not faults.
 */
public final class RecordError extends RuntimeException {
    public static final String DIVISION_BY_ZERO = "22012";
    public static final String NUMERIC_OUT_OF_RANGE = "22003";
    public static final String INVALID_CAST = "22018";
    public static final String MALFORMED_INPUT = "22P02";
    public static final String INVALID_ENCODING = "22021";
    public static final String INVALID_ARGUMENT = "22023";
    /** A date or timestamp outside its type's range. */
    public static final String DATETIME_OVERFLOW = "22008";
    public static final String INVALID_REGEX = "2201B";
    public static final String LIMIT_EXCEEDED = "54000";
    public static final String LATE_RECORD = "LATE1";
    /** A scalar subquery that gave more than one row. */
    public static final String CARDINALITY_VIOLATION = "21000";

    private final String code;

    public RecordError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
