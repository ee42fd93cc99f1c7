package io.velo.batch;

/**
 * Reads a record's headers as its source stored them in {@link RecordBatch#headers} (a Kafka source
 * stores the consumer's own {@code Headers} object, so nothing is copied per record): the value of the
 * last header named {@code name}, or null when the record has none of that name.
 */
@FunctionalInterface
public interface HeaderReader {
    byte[] lastValue(Object headers, String name);
}
