package io.velo.types;

import java.util.Objects;

/**
 * A SQL type. DECIMAL carries its declared precision and scale; a scale of {@link #ANY_SCALE} means
 * "each value keeps its own scale" (inferred columns, expression results whose scale follows the
 * SPEC §4 rules per value).
 */
public final class DataType {
    public enum Kind { BIGINT, DOUBLE, DECIMAL, STRING, BOOLEAN, TIMESTAMP, DATE, ARRAY, MAP, NULL }

    public static final int ANY_SCALE = -1;
    public static final int MAX_PRECISION = 38;

    public static final DataType BIGINT = new DataType(Kind.BIGINT, 0, 0, null, null);
    public static final DataType DOUBLE = new DataType(Kind.DOUBLE, 0, 0, null, null);
    public static final DataType DECIMAL = new DataType(Kind.DECIMAL, MAX_PRECISION, ANY_SCALE, null, null);
    public static final DataType STRING = new DataType(Kind.STRING, 0, 0, null, null);
    public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, 0, 0, null, null);
    public static final DataType TIMESTAMP = new DataType(Kind.TIMESTAMP, 0, 0, null, null);
    public static final DataType DATE = new DataType(Kind.DATE, 0, 0, null, null);
    public static final DataType NULL = new DataType(Kind.NULL, 0, 0, null, null);

    public final Kind kind;
    public final int precision;
    public final int scale;
    public final DataType element;
    public final DataType value;

    private DataType(Kind kind, int precision, int scale, DataType element, DataType value) {
        this.kind = kind;
        this.precision = precision;
        this.scale = scale;
        this.element = element;
        this.value = value;
    }

    public static DataType decimal(int precision, int scale) {
        return new DataType(Kind.DECIMAL, precision, scale, null, null);
    }

    public static DataType array(DataType element) {
        return new DataType(Kind.ARRAY, 0, 0, element, null);
    }

    public static DataType map(DataType key, DataType value) {
        return new DataType(Kind.MAP, 0, 0, key, value);
    }

    public boolean isNumeric() {
        return kind == Kind.BIGINT || kind == Kind.DOUBLE || kind == Kind.DECIMAL;
    }

    public boolean isLongBacked() {
        return kind == Kind.BIGINT || kind == Kind.BOOLEAN || kind == Kind.TIMESTAMP || kind == Kind.DATE;
    }

    public boolean isObjectBacked() {
        return kind == Kind.STRING || kind == Kind.ARRAY || kind == Kind.MAP || kind == Kind.NULL;
    }

    public boolean hasFixedScale() {
        return kind == Kind.DECIMAL && scale != ANY_SCALE;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataType)) {
            return false;
        }
        DataType t = (DataType) o;
        return kind == t.kind && precision == t.precision && scale == t.scale
                && Objects.equals(element, t.element) && Objects.equals(value, t.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, precision, scale, element, value);
    }

    @Override
    public String toString() {
        switch (kind) {
            case DECIMAL:
                return scale == ANY_SCALE ? "DECIMAL" : "DECIMAL(" + precision + "," + scale + ")";
            case ARRAY:
                return "ARRAY<" + element + ">";
            case MAP:
                return "MAP<" + element + "," + value + ">";
            default:
                return kind.name();
        }
    }
}
