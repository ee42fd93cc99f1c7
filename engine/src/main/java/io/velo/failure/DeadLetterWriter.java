package io.velo.failure;

import java.io.IOException;

/** Where SendToDLQ puts failed records: a file now, a Kafka topic with the Kafka connector. */
public interface DeadLetterWriter extends AutoCloseable {
    void write(DeadLetter letter) throws IOException;

    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
