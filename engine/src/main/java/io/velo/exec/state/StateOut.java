package io.velo.exec.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes state entries in a compact binary form (big-endian primitives, length-prefixed UTF-8 text,
 * tagged values). Reused between entries: {@link #reset}, write, {@link #toBytes}. Used at commit
 * points only, never per record.
 */
public final class StateOut {
    static final byte NULL = 0, LONG = 1, DOUBLE = 2, BOOL = 3, TEXT = 4, DECIMAL = 5, LIST = 6, MAP = 7, INT = 8;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public StateOut reset() {
        bytes.reset();
        return this;
    }

    public byte[] toBytes() {
        return bytes.toByteArray();
    }

    public StateOut writeLong(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public StateOut writeInt(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public StateOut writeDouble(double v) {
        return writeLong(Double.doubleToRawLongBits(v));
    }

    public StateOut writeBoolean(boolean v) {
        return writeByte(v ? 1 : 0);
    }

    public StateOut writeByte(int v) {
        try {
            out.writeByte(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Text of any length (null allowed). */
    public StateOut writeText(String s) {
        if (s == null) {
            return writeInt(-1);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A BigDecimal exactly (unscaled digits and scale), null allowed. */
    public StateOut writeBig(BigDecimal v) {
        if (v == null) {
            return writeBoolean(false);
        }
        writeBoolean(true);
        writeText(v.unscaledValue().toString());
        return writeInt(v.scale());
    }

    /** A value of an aggregate's state: null, Long, Integer, Double, Boolean, String, BigDecimal, List or Map of these. */
    public StateOut writeValue(Object v) {
        if (v == null) {
            return writeByte(NULL);
        }
        if (v instanceof Long l) {
            return writeByte(LONG).writeLong(l);
        }
        if (v instanceof Integer i) {
            return writeByte(INT).writeInt(i);
        }
        if (v instanceof Double d) {
            return writeByte(DOUBLE).writeDouble(d);
        }
        if (v instanceof Boolean b) {
            return writeByte(BOOL).writeBoolean(b);
        }
        if (v instanceof String s) {
            return writeByte(TEXT).writeText(s);
        }
        if (v instanceof BigDecimal d) {
            return writeByte(DECIMAL).writeBig(d);
        }
        if (v instanceof List<?> list) {
            writeByte(LIST).writeInt(list.size());
            for (Object o : list) {
                writeValue(o);
            }
            return this;
        }
        if (v instanceof Map<?, ?> map) {
            writeByte(MAP).writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeValue(e.getKey());
                writeValue(e.getValue());
            }
            return this;
        }
        throw new IllegalStateException("cannot checkpoint a value of " + v.getClass().getName());
    }

    /** A collection of values (a DISTINCT set, a percentile's values), null allowed. */
    public StateOut writeValues(Collection<?> values) {
        if (values == null) {
            return writeInt(-1);
        }
        writeInt(values.size());
        for (Object o : values) {
            writeValue(o);
        }
        return this;
    }
}
