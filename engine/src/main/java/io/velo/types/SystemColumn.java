package io.velo.types;

/** The system columns every record carries, by their SQL names. */
public enum SystemColumn {
    TIMESTAMP("_timestamp", DataType.TIMESTAMP),
    EVENT_TIME("_event_time", DataType.TIMESTAMP),
    KEY("_key", DataType.STRING),
    PARTITION("_partition", DataType.BIGINT),
    OFFSET("_offset", DataType.BIGINT);

    private final String sqlName;
    private final DataType type;

    SystemColumn(String sqlName, DataType type) {
        this.sqlName = sqlName;
        this.type = type;
    }

    public String sqlName() {
        return sqlName;
    }

    public DataType type() {
        return type;
    }

    /** The system column of that (lower-case) name, or null. */
    public static SystemColumn named(String name) {
        for (SystemColumn c : values()) {
            if (c.sqlName.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
