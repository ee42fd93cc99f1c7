package io.velo.exec.state;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what {@link StateOut} wrote, in the same order. */
public final class StateIn {
    private final DataInputStream in;

    public StateIn(byte[] bytes) {
        this.in = new DataInputStream(new ByteArrayInputStream(bytes));
    }

    public long readLong() {
        try {
            return in.readLong();
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    public int readInt() {
        try {
            return in.readInt();
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public int readByte() {
        try {
            return in.readByte();
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public String readText() {
        int n = readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (IOException e) {
            throw corrupt(e);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    public BigDecimal readBig() {
        if (!readBoolean()) {
            return null;
        }
        String digits = readText();
        return new BigDecimal(new BigInteger(digits), readInt());
    }

    public Object readValue() {
        int tag = readByte();
        switch (tag) {
            case StateOut.NULL: return null;
            case StateOut.LONG: return readLong();
            case StateOut.INT: return readInt();
            case StateOut.DOUBLE: return readDouble();
            case StateOut.BOOL: return readBoolean();
            case StateOut.TEXT: return readText();
            case StateOut.DECIMAL: return readBig();
            case StateOut.LIST: {
                int n = readInt();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(readValue());
                }
                return l;
            }
            case StateOut.MAP: {
                int n = readInt();
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(readValue(), readValue());
                }
                return m;
            }
            default:
                throw new IllegalStateException("corrupt state entry: unknown value tag " + tag);
        }
    }

    /** Reads a collection written by {@link StateOut#writeValues} into {@code into}; false when it was null. */
    public boolean readValues(Collection<Object> into) {
        int n = readInt();
        if (n < 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            into.add(readValue());
        }
        return true;
    }

    private static UncheckedIOException corrupt(IOException e) {
        return new UncheckedIOException("corrupt state entry (shorter than its layout)", e);
    }
}
