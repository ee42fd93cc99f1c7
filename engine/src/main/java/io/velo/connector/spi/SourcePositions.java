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

    /**
     * The positions of several sources read as one (the two streams of a join, the branches of a
     * UNION ALL), committed together: a Kafka sink sends each one's offsets in the same transaction.
     */
    record All(java.util.List<SourcePositions> parts) implements SourcePositions {
        @Override
        public boolean isEmpty() {
            return parts.stream().allMatch(p -> p == null || p.isEmpty());
        }
    }

    /** The positions of {@code sources}, as one (null when none of them has any). */
    static SourcePositions of(Source... sources) {
        java.util.List<SourcePositions> parts = new java.util.ArrayList<>();
        for (Source s : sources) {
            SourcePositions p = s.positions();
            if (p != null) {
                parts.add(p);
            }
        }
        return parts.isEmpty() ? null : parts.size() == 1 ? parts.get(0) : new All(java.util.List.copyOf(parts));
    }
}
