package io.velo.plan;

import io.velo.codec.SchemaInference;
import io.velo.config.JobProperties;
import io.velo.connector.file.FilePaths;
import io.velo.connector.file.RecordReader;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a source's schema comes from: declared columns, an inline {@code '<src>.schema'}, or inference
 * from the first records of its file (the only I/O planning does).
 */
final class SourceSchemas {
    private static final int INFERENCE_SAMPLE = 1000;

    private SourceSchemas() {
    }

    static char delimiter(JobProperties props, String name) {
        String d = props.get(name + ".delimiter", ",");
        return d.equals("\\t") ? '\t' : d.charAt(0);
    }

    /** Whether {@link #resolve} infers the schema from the file (then every CSV header field is a column). */
    static boolean inferred(String name, Catalog.Entry declared, JobProperties props) {
        return !(declared != null && declared.schema() != null && declared.schema().size() > 0) && props.get(name + ".schema") == null;
    }

    static Schema resolve(String name, Catalog.Entry declared, JobProperties props, boolean samplesFiles, String format, Pos pos,
                         Path baseDir) {
        if (declared != null && declared.schema() != null && declared.schema().size() > 0) {
            if (props.get(name + ".schema") != null && declared.origin().startsWith("declared")) {
                throw new SqlException(props.pos(name + ".schema"), "'" + name + "' declares its columns already; drop '" + name + ".schema'");
            }
            return declared.schema();
        }
        String inline = props.get(name + ".schema");
        if (inline != null) {
            return parseInlineSchema(inline, props.pos(name + ".schema"));
        }
        io.velo.codec.Format f = io.velo.codec.Formats.get(format);
        Schema carried = f == null ? null : f.columns(new io.velo.codec.FormatContext(name, null, props, baseDir, null, false));
        if (carried != null) {
            return carried; // a schema-carrying format (Avro, Protobuf): its fields are the columns
        }
        Path original = samplesFiles ? null : io.velo.config.OriginalSchema.schemaFile(baseDir, name);
        String topic = props.get(name + ".topic.name", props.get(name + ".topic"));
        if (original == null && !samplesFiles && topic != null) {
            original = io.velo.config.OriginalSchema.schemaFile(baseDir, topic); // the file describing the topic's records
        }
        if (original != null) {
            String shown = baseDir.toAbsolutePath().normalize().relativize(original).toString();
            try {
                List<String> notes = new java.util.ArrayList<>();
                Schema s = parseInlineSchema(io.velo.config.OriginalSchema.columnsOfFile(original, notes), pos);
                props.note(pos, "the columns of '" + name + "' are read from " + shown + " (the original engine's schema file)");
                for (String n : notes) {
                    props.note(pos, shown + ": " + n);
                }
                return s;
            } catch (IOException | IllegalArgumentException e) {
                throw new SqlException(pos, "cannot read the columns of '" + name + "' from " + shown + ": " + e.getMessage());
            }
        }
        if (!samplesFiles) {
            throw new SqlException(pos, "source '" + name + "' needs a schema: declare its columns, set '" + name
                    + ".schema', or give a schemas/" + name + ".schema.yaml file");
        }
        String path = props.get(name + ".path");
        if (path == null) {
            throw new SqlException(pos, "file source '" + name + "' needs '" + name + ".path'");
        }
        List<Path> files;
        try {
            files = FilePaths.expand(baseDir, path);
        } catch (IOException e) {
            files = List.of();
        }
        if (files.isEmpty()) {
            throw new SqlException(props.pos(name + ".path"), "cannot infer the schema of '" + name + "': no file matches '" + path
                    + "' (declare the columns or set '" + name + ".schema' to plan without the file)"
                    + JobProperties.elsewhere(baseDir, path).replace(" (paths are relative to the SQL file's directory)", ""));
        }
        char d = delimiter(props, name);
        List<String> lines;
        try {
            // records, not lines: a quoted CSV field may span lines; records that are not valid UTF-8 are
            // left out here and reported with their lines when the job reads them
            lines = RecordReader.sample(files.get(0), format.equals("csv"), d, INFERENCE_SAMPLE + 1);
        } catch (IOException e) {
            throw new SqlException(props.pos(name + ".path"), "cannot read " + files.get(0) + ": " + e.getMessage());
        }
        Schema s;
        if (format.equals("csv")) {
            boolean headers = props.bool(name + ".has_headers", true);
            List<List<String>> rows = new ArrayList<>();
            for (String l : lines) {
                try {
                    rows.add(io.velo.codec.CsvDecoder.split(l, d));
                } catch (RuntimeException e) {
                    rows.add(List.of());
                }
            }
            List<String> header;
            if (headers && !rows.isEmpty()) {
                header = new ArrayList<>();
                for (String h : rows.remove(0)) {
                    header.add(h == null ? "" : h);
                }
            } else {
                header = new ArrayList<>();
                int n = rows.isEmpty() ? 0 : rows.get(0).size();
                for (int i = 0; i < n; i++) {
                    header.add("c" + (i + 1));
                }
            }
            s = SchemaInference.csv(header, rows);
        } else {
            s = SchemaInference.json(lines);
        }
        if (s.size() == 0) {
            throw new SqlException(props.pos(name + ".path"), "cannot infer the schema of '" + name + "' from " + files.get(0) + ": no records");
        }
        return s;
    }

    /** Parses {@code 'id BIGINT, price DECIMAL(18,4), ts TIMESTAMP'}. */
    static Schema parseInlineSchema(String text, Pos pos) {
        try {
            List<Statement> st = Parser.parseScript("CREATE STREAM s (" + text + ") WITH ()");
            Statement.CreateSource cs = (Statement.CreateSource) st.get(0);
            List<Field> fields = new ArrayList<>();
            for (Statement.ColumnDef c : cs.columns()) {
                fields.add(new Field(c.name(), c.type()));
            }
            return new Schema(fields);
        } catch (SqlException | ClassCastException e) {
            throw new SqlException(pos, "bad inline schema '" + text + "': " + e.getMessage());
        }
    }
}
