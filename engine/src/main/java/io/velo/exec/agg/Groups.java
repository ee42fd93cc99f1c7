package io.velo.exec.agg;

import io.velo.batch.Column;
import io.velo.types.decimal.Dec;

/**
 * The groups of one aggregation state (one window, or the whole stream): dense group ids 0, 1, 2, …
 * in first-seen order, and their keys. {@link BatchGroups} finds them a batch at a time from key
 * columns (a row at a time is a selection of one).
 */
public interface Groups {
    int size();

    int keyCount();

    /** Forgets every group and keeps the capacity, so a reused state allocates nothing. */
    void clear();

    /** Writes key part {@code k} of group {@code g} into row {@code row} of an output column. */
    void writeKey(int k, int g, Column out, int row, Dec scratch);

    /** Writes key part {@code k} of groups {@code from .. from+n-1} into rows {@code row ..} of {@code out}. */
    default void writeKeys(int k, int from, int n, Column out, int row) {
        Dec scratch = new Dec();
        for (int i = 0; i < n; i++) {
            writeKey(k, from + i, out, row + i, scratch);
        }
    }

    /** Writes group {@code g}'s key for a checkpoint. */
    void writeKeyState(int g, io.velo.exec.state.StateOut out);

    /** Inserts a group whose key {@link #writeKeyState} wrote and returns its id. */
    int insertRestored(io.velo.exec.state.StateIn in);

    /** Bytes held for the groups' keys and the table that finds them (capacity, not just size). */
    long stateBytes();
}
