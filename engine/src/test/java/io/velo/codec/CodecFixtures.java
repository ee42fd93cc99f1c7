package io.velo.codec;

import io.velo.batch.RecordBatch;
import io.velo.config.JobProperties;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Statement;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds format contexts and batches for codec tests from plain property maps. */
public final class CodecFixtures {
    private CodecFixtures() {
    }

    /** A context for connector {@code t} with {@code props} given as {@code key, value, key, value…} (without the "t." prefix). */
    public static FormatContext context(Schema schema, Path dir, boolean retractions, String... props) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < props.length; i += 2) {
            m.put("t." + props[i], props[i + 1]);
        }
        List<Statement.Property> ps = new ArrayList<>();
        m.forEach((k, v) -> ps.add(new Statement.Property(Pos.NONE, k, Pos.NONE, v)));
        JobProperties jp = JobProperties.resolve(List.of(Map.entry("WITH", ps)), Set.of("t"), dir);
        return new FormatContext("t", schema, jp, dir, new TextFieldDecoder(DecimalRounding.HALF_UP), retractions);
    }

    public static RecordBatch batch(Schema schema, int capacity) {
        return new RecordBatch(schema, capacity, null);
    }

    /** Every cell of a row as text (NULL as "null"), for comparing rows. */
    public static String row(RecordBatch b, int row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < b.columns.length; c++) {
            sb.append(c == 0 ? "" : "|").append(b.columns[c].isNull(row) ? "null" : b.columns[c].text(row));
        }
        return sb.toString();
    }
}
