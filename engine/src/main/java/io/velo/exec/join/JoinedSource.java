package io.velo.exec.join;

import io.velo.batch.RecordBatch;
import io.velo.connector.spi.Source;
import io.velo.connector.spi.SourcePositions;
import io.velo.types.Schema;
import java.util.List;

/**
 * The stream source of a query that reads tables (joins, subqueries): opening it opens the stream,
 * then loads every table's current contents, so a table is complete before the first stream record is read;
 * closing it closes the tables' feeds too. Everything else is the stream's.
 */
public final class JoinedSource implements Source {
    private final Source stream;
    private final List<TableInput> joins;

    /** @param joins the tables to load as the stream opens: joins' tables and subqueries' */
    public JoinedSource(Source stream, List<? extends TableInput> joins) {
        this.stream = stream;
        this.joins = List.copyOf(joins);
    }

    /** The stream source itself. */
    public Source stream() {
        return stream;
    }

    @Override
    public String name() {
        return stream.name();
    }

    @Override
    public Schema schema() {
        return stream.schema();
    }

    @Override
    public boolean bounded() {
        return stream.bounded();
    }

    @Override
    public void open() {
        stream.open(); // first, as for any job: a stream that cannot be read fails before the tables are loaded
        try {
            for (TableInput j : joins) {
                j.bootstrap();
            }
        } catch (RuntimeException | Error e) {
            close(); // the runner closes only a source that opened
            throw e;
        }
    }

    @Override
    public boolean poll(RecordBatch batch) {
        return stream.poll(batch);
    }

    @Override
    public double progress() {
        return stream.progress();
    }

    @Override
    public void limitRecords(int n) {
        stream.limitRecords(n);
    }

    @Override
    public void limitTotal(long records) {
        stream.limitTotal(records);
    }

    /** A stream-stream join's two streams push into the operators as they are read: on the operator thread. */
    @Override
    public boolean feedsOperators() {
        return stream.feedsOperators();
    }

    @Override
    public boolean behind() {
        return stream.behind();
    }

    @Override
    public boolean releaseHeldBack() {
        return stream.releaseHeldBack();
    }

    @Override
    public void commit() {
        stream.commit();
    }

    @Override
    public SourcePositions positions() {
        return stream.positions();
    }

    @Override
    public void committed() {
        stream.committed();
    }

    @Override
    public void onHandOver(Runnable commitNow) {
        stream.onHandOver(commitNow);
    }

    @Override
    public void readAlone(String why) {
        stream.readAlone(why);
    }

    @Override
    public boolean rewind() {
        return stream.rewind();
    }

    @Override
    public long waitNanos() {
        return stream.waitNanos();
    }

    @Override
    public long decodeNanos() {
        return stream.decodeNanos();
    }

    @Override
    public void close() {
        try {
            for (TableInput j : joins) {
                j.close();
            }
        } finally {
            stream.close();
        }
    }

    @Override
    public String describe() {
        return stream.describe();
    }
}
