package io.velo.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An ordered list of fields with case-insensitive lookup by name. */
public final class Schema {
    private final List<Field> fields;
    private final Map<String, Integer> index = new HashMap<>();

    public Schema(List<Field> fields) {
        this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
        for (int i = 0; i < fields.size(); i++) {
            index.putIfAbsent(fields.get(i).name().toLowerCase(Locale.ROOT), i);
        }
    }

    public List<Field> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public Field field(int i) {
        return fields.get(i);
    }

    /** Index of the named field, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(fields.get(i));
        }
        return sb.toString();
    }
}
