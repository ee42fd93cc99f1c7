package io.velo.exec;

import java.util.List;

/**
 * What a job's operators still hold of the batches already pushed (a parallel stage keeps whole
 * batches beyond push, see {@link ParallelOperator}). The runner settles before each commit, so
 * everything read so far reaches the sink inside the transaction that commits its positions; it drops
 * before a replay from the last commit, so output of an aborted transaction is not passed on into the
 * next one (the replay reads those records again). Dropped rows are counted as unwritten.
 */
public interface InFlight {
    /** Passes on the output of every batch still held, in input order. */
    void settle();

    /** Waits for every batch still held and drops its output, counting the rows as unwritten. */
    void drop();

    /** Nothing is ever held. */
    InFlight NONE = new InFlight() {
        @Override
        public void settle() {
        }

        @Override
        public void drop() {
        }
    };

    /** All of {@code parts}, in order. */
    static InFlight all(List<InFlight> parts) {
        List<InFlight> copy = List.copyOf(parts);
        if (copy.isEmpty()) {
            return NONE;
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return new InFlight() {
            @Override
            public void settle() {
                copy.forEach(InFlight::settle);
            }

            @Override
            public void drop() {
                copy.forEach(InFlight::drop);
            }
        };
    }
}
