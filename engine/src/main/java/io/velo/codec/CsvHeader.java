package io.velo.codec;

import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CSV header row against the source's schema. With a declared schema, every declared column must
 * appear in the header exactly once (names compare case-insensitively, like column names); header
 * fields that are not declared are ignored. With an inferred schema every field is a column: an
 * empty name becomes {@code c<N>} (its 1-based position, as without a header) and a repeated name
 * gets a suffix ({@code id}, {@code id_2}), so no value is lost.
 */
public final class CsvHeader {
    private CsvHeader() {
    }

    /** The column names an inferred schema gives the header's fields, all distinct. */
    public static List<String> inferredNames(List<String> cells) {
        List<String> out = new ArrayList<>(cells.size());
        Set<String> used = new HashSet<>();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String name = c == null || c.isBlank() ? "c" + (i + 1) : c.trim();
            String candidate = name;
            for (int k = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); k++) {
                candidate = name + "_" + k;
            }
            out.add(candidate);
        }
        return out;
    }

    /** Null when the header gives every column of the schema exactly one field, else what is wrong. */
    public static String problem(List<String> header, Schema schema) {
        int[] fieldOf = new int[schema.size()];
        java.util.Arrays.fill(fieldOf, -1);
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            int col = h == null ? -1 : schema.indexOf(h.trim());
            if (col < 0) {
                continue;
            }
            if (fieldOf[col] >= 0) {
                return "the header names column '" + schema.field(col).name() + "' twice (fields " + (fieldOf[col] + 1)
                        + " and " + (i + 1) + "): rename one, or leave the schema undeclared to read both (as "
                        + schema.field(col).name() + " and " + schema.field(col).name() + "_2)";
            }
            fieldOf[col] = i;
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < fieldOf.length; c++) {
            if (fieldOf[c] < 0) {
                missing.add("'" + schema.field(c).name() + "'");
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return (missing.size() == 1 ? "column " + missing.get(0) + " is declared but the header has no such field"
                : "columns " + String.join(", ", missing) + " are declared but the header has no such fields")
                + " (header: " + describe(header) + ")";
    }

    private static String describe(List<String> header) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < header.size() && sb.length() < 200; i++) {
            String h = header.get(i);
            sb.append(i == 0 ? "" : ", ").append(h == null || h.isBlank() ? "<empty>" : h.trim());
        }
        return i < header.size() ? sb + ", …" : sb.toString();
    }
}
