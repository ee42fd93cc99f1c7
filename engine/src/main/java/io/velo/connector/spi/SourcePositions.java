package io.velo.connector.spi;

/**
 * Where a source has read to, as a transactional sink commits it: the positions after every record
 * handed to a batch since the last commit. Opaque to the runner; a sink understands the positions of
 * the sources it can commit together with its output (a Kafka sink: a Kafka source's offsets and
 * consumer-group metadata, sent inside the producer's transaction).
 */
public interface SourcePositions {
    /** Whether nothing was read since the last commit. */
    boolean isEmpty();
}
