package io.velo.exec.state;

/**
 * Where a stateful operator checkpoints its state: one entry per key, the latest value wins, a null
 * value deletes the key (a compacted changelog). Entries written between two commits become durable
 * together with the output and the source positions of that commit, or not at all.
 */
public interface StateLog {
    void put(byte[] key, byte[] value);
}
