package io.velo.codec;

import java.util.Arrays;

/**
 * A growable byte array an encoder writes one message into; one per sink, cleared per message, so
 * encoding allocates nothing once it has grown to the largest message.
 */
public final class OutputBuffer {
    public byte[] data;
    public int length;

    public OutputBuffer(int initialCapacity) {
        data = new byte[Math.max(16, initialCapacity)];
    }

    public void clear() {
        length = 0;
    }

    /** Makes room for {@code n} more bytes. */
    public void ensure(int n) {
        if (length + n > data.length) {
            grow(n);
        }
    }

    private void grow(int n) {
        long want = Math.max((long) data.length * 2, (long) length + n);
        if (want > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a message larger than 2 GB");
        }
        data = Arrays.copyOf(data, (int) want);
    }

    public void write(int b) {
        if (length == data.length) {
            grow(1);
        }
        data[length++] = (byte) b;
    }

    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, data, length, len);
        length += len;
    }

    /** The message as an exactly sized array (what a Kafka producer record holds). */
    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }
}
