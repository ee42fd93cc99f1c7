package io.velo.expr.eval;

import io.velo.batch.RecordBatch;
import io.velo.types.DataType;

/** Searched CASE (simple CASE is compiled into this form); results are coerced to one type. */
public final class CaseEval extends Eval {
    private final Eval[] conditions;
    private final Eval[] results;
    private final Eval otherwise;

    public CaseEval(DataType type, Eval[] conditions, Eval[] results, Eval otherwise) {
        super(type);
        this.conditions = conditions;
        this.results = results;
        this.otherwise = otherwise;
    }

    public Eval[] conditions() {
        return conditions;
    }

    public Eval[] results() {
        return results;
    }

    /** The ELSE result, or null when there is none (NULL). */
    public Eval otherwise() {
        return otherwise;
    }

    @Override
    public void eval(RecordBatch b, int row) {
        for (int i = 0; i < conditions.length; i++) {
            Eval c = conditions[i];
            c.eval(b, row);
            if (!c.isNull && c.l != 0) {
                Eval r = results[i];
                r.eval(b, row);
                copyFrom(r);
                return;
            }
        }
        if (otherwise == null) {
            isNull = true;
            return;
        }
        otherwise.eval(b, row);
        copyFrom(otherwise);
    }
}
