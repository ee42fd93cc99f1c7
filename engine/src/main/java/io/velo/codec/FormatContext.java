package io.velo.codec;

import io.velo.config.JobProperties;
import io.velo.sql.SqlException;
import io.velo.types.Schema;
import java.nio.file.Path;

/**
 * What a format is built from: the connector's name (its properties are {@code '<connector>.<key>'}),
 * the columns it reads or writes, the job's properties, the SQL file's directory (relative schema
 * paths), the shared field decoder, and whether a sink's rows may be retractions (then each message
 * carries {@code _deleted}).
 */
public record FormatContext(String connector, Schema schema, JobProperties props, Path baseDir, TextFieldDecoder fields,
                            boolean retractions) {
    public String get(String key) {
        return props.get(connector + "." + key);
    }

    public String get(String key, String fallback) {
        return props.get(connector + "." + key, fallback);
    }

    /** A property mistake, positioned at {@code key} (or at the format when the key is not set). */
    public SqlException error(String key, String message) {
        String k = connector + "." + key;
        return new SqlException(props.setting(k) != null ? props.pos(k) : props.pos(connector + ".format"), message);
    }

    /** A property that must be set, positioned at the format that needs it. */
    public String require(String key, String why) {
        String v = get(key);
        if (v == null || v.isBlank()) {
            throw new SqlException(props.pos(connector + ".format"), "'" + connector + ".format' = '" + get("format", "json")
                    + "' needs '" + connector + "." + key + "' (" + why + ")");
        }
        return v;
    }

    /** A path property resolved against the SQL file's directory. */
    public Path path(String value) {
        Path p = Path.of(value);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    public char delimiter() {
        String d = get("delimiter", ",");
        return d.equals("\\t") ? '\t' : d.charAt(0);
    }
}
