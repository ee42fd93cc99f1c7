package io.velo.connector;

import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Sink;
import io.velo.expr.eval.ColumnEval;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every row it is given as a list of Java values (Long, BigDecimal, String, Boolean, Double…):
 * the output side of {@link io.velo.api.QueryDriver} and of in-process tests.
 */
public final class CollectingSink implements Sink {
    public final List<List<Object>> rows = new ArrayList<>();
    /** The event time of each row in {@link #rows}, in the same order. */
    public final List<Long> eventTimes = new ArrayList<>();

    @Override
    public String name() {
        return "collect";
    }

    @Override
    public void open() {
    }

    @Override
    public int write(RecordBatch b) {
        int n = b.liveCount();
        for (int i = 0; i < n; i++) {
            int row = b.liveRow(i);
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < b.columns.length; c++) {
                ColumnEval e = new ColumnEval(c, "c" + c, b.columns[c].type);
                e.eval(b, row);
                values.add(e.toObject());
            }
            rows.add(values);
            eventTimes.add(b.eventTime[row]);
        }
        return n;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "collecting sink";
    }
}
