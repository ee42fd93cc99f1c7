package io.velo.exec;

import io.velo.batch.RecordBatch;
import io.velo.failure.FailureHandler;
import io.velo.failure.RecordError;

/** Hands a row that failed inside an operator to the failure strategy, with its source position. */
public final class RowErrors {
    private final FailureHandler handler;
    private final boolean resultRows;

    public RowErrors(FailureHandler handler) {
        this(handler, false);
    }

    /** @param resultRows rows are results of an aggregation, not input records */
    public RowErrors(FailureHandler handler, boolean resultRows) {
        this.handler = handler;
        this.resultRows = resultRows;
    }

    public void fail(RecordBatch b, int row, RuntimeException e) {
        String code;
        String message;
        if (e instanceof RecordError re) {
            code = re.code();
            message = re.getMessage();
        } else if (e instanceof ArithmeticException) {
            code = e.getMessage() != null && e.getMessage().contains("zero") ? RecordError.DIVISION_BY_ZERO : RecordError.NUMERIC_OUT_OF_RANGE;
            message = e.getMessage();
        } else {
            throw e;
        }
        String source = b.sourceName == null ? "<unknown>" : b.sourceName;
        if (resultRows) {
            handler.onResultError(source, b.offset[row], b.raw[row], code, message);
        } else {
            handler.onRecordError(source, b.offset[row], b.raw[row], code, message);
        }
    }

    public FailureHandler handler() {
        return handler;
    }
}
