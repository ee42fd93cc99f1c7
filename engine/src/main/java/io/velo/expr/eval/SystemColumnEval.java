package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.SystemColumn;

/** The system columns every record carries: _timestamp, _event_time, _key, _partition, _offset. */
public final class SystemColumnEval extends Eval {
    private final SystemColumn kind;

    public SystemColumnEval(SystemColumn kind) {
        super(kind.type());
        this.kind = kind;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        isNull = false;
        switch (kind) {
            case TIMESTAMP: l = b.timestamp[row]; break;
            case EVENT_TIME: l = b.eventTime[row]; break;
            case PARTITION: l = b.partition[row]; break;
            case OFFSET: l = b.offset[row]; break;
            default:
                o = b.key[row] == null ? null : b.key[row].toString();
                isNull = o == null;
                break;
        }
    }
}
