package io.velo.connector.spi;

import io.velo.batch.RecordBatch;

/** Consumes the live rows of batches; {@link #flush} makes everything written so far durable and visible. */
public interface Sink extends AutoCloseable {
    String name();

    void open();

    /** Writes the live rows; returns how many were written. The batch stays the caller's. */
    int write(RecordBatch batch);

    void flush();

    @Override
    void close();

    String describe();
}
