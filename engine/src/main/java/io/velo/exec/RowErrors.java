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

    /** Hands the row to the failure strategy; the operator goes on whatever it decides (see {@link io.velo.failure.FailureAction}). */
    public io.velo.failure.FailureAction fail(RecordBatch b, int row, RuntimeException e) {
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
            String values = describe(b, row);
            return handler.onResultError(source, b.offset[row], values, code, message + " in result row " + values);
        } else if (b.partitioned) {
            return handler.onKafkaRecordError(source, b.partition[row], b.offset[row], b.key[row], b.raw[row], code, message);
        } else {
            return handler.onRecordError(source, b.offset[row], b.raw[row], code, message);
        }
    }

    /** The values of a result row, for error reports (built only when a row fails). */
    static String describe(RecordBatch b, int row) {
        StringBuilder sb = new StringBuilder("{");
        for (int c = 0; c < b.columns.length; c++) {
            io.velo.expr.eval.ColumnEval e = new io.velo.expr.eval.ColumnEval(c, b.schema.field(c).name(), b.columns[c].type);
            e.eval(b, row);
            if (c > 0) {
                sb.append(", ");
            }
            String name = b.schema.field(c).name();
            sb.append(name.startsWith("$agg") ? "aggregate " + name.substring(4) : name).append('=')
                    .append(e.isNull ? "NULL" : io.velo.expr.eval.CastEval.text(e));
        }
        return sb.append('}').toString();
    }

    public FailureHandler handler() {
        return handler;
    }
}
