package io.velo.exec.state;

import java.util.Map;

/**
 * An operator whose state can be checkpointed to a {@link StateLog} and rebuilt from it. The runner
 * calls {@link #checkpoint} at each commit point (between batches), and {@link #restore} once before
 * the first batch with the log's latest entry per key.
 */
public interface Checkpointed {
    /** Tracks state changes from now on (before the first record), so that {@link #checkpoint} can write them. */
    void enableCheckpoints();

    /** Writes every state entry that changed since the last checkpoint (deleted ones as null values). */
    void checkpoint(StateLog log);

    /** Rebuilds the state from the log's entries (key bytes to value bytes, in log order). */
    void restore(Map<StateKey, byte[]> entries);
}
