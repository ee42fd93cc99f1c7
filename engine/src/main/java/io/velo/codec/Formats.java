package io.velo.codec;

import io.velo.codec.avro.AvroFormat;
import io.velo.codec.protobuf.ProtobufFormat;
import io.velo.config.JobProperties;
import io.velo.sql.SqlException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The formats by name: a new format is one {@link Format} class and one line here. */
public final class Formats {
    private static final Map<String, Format> BY_NAME = new LinkedHashMap<>();

    static {
        register(new JsonFormat());
        register(new CsvFormat());
        register(new AvroFormat());
        register(new ProtobufFormat());
    }

    private Formats() {
    }

    private static void register(Format f) {
        BY_NAME.put(f.name(), f);
    }

    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /** The format named {@code name}, or null. */
    public static Format get(String name) {
        return name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** The format of connector {@code connector}; an unknown name is an error at its property. */
    public static Format require(JobProperties props, String connector, String name) {
        Format f = get(name);
        if (f == null) {
            throw new SqlException(props.pos(connector + ".format"), "unknown format '" + name + "' (formats: "
                    + String.join(", ", names()) + ")");
        }
        return f;
    }
}
