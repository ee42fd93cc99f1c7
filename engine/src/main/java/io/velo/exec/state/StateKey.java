package io.velo.exec.state;

import java.util.Arrays;

/** A changelog key: bytes compared by content, so entries can be collected in a map by key. */
public record StateKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof StateKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StateKey" + Arrays.toString(bytes);
    }
}
