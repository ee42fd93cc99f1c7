package io.velo.exec.state;

import java.util.Map;

/** A job's changelog: read whole once at start ({@link #readAll}), written at each commit ({@link #log}). */
public interface StateStore {
    /** The latest value per key (deleted keys left out), in log order. */
    Map<StateKey, byte[]> readAll();

    StateLog log();

    /** Where the state lives, for messages and plans. */
    String describe();
}
