package io.velo.failure;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.velo.types.Values;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Dead letters as JSON lines: {@code {"job","source","position","error_code","error","failed_at","record"}}.
 * Each flush appends whole lines with one write, so a reader never sees half a record.
 */
public final class FileDeadLetterWriter implements DeadLetterWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path path;
    private final StringBuilder pending = new StringBuilder();
    private BufferedWriter out;

    public FileDeadLetterWriter(Path path) {
        this.path = path;
    }

    @Override
    public void write(DeadLetter l) throws IOException {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartObject();
            g.writeStringField("job", l.job());
            g.writeStringField("source", l.source());
            g.writeNumberField("position", l.position());
            g.writeStringField("error_code", l.errorCode());
            g.writeStringField("error", l.error());
            g.writeStringField("failed_at", Values.formatTimestamp(l.failedAtMillis()));
            g.writeStringField("record", l.record());
            g.writeEndObject();
        }
        pending.append(sw).append('\n');
        if (pending.length() > 1 << 16) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException {
        if (pending.length() == 0) {
            return;
        }
        if (out == null) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
        out.write(pending.toString());
        out.flush();
        pending.setLength(0);
    }

    @Override
    public void close() throws IOException {
        flush();
        if (out != null) {
            out.close();
        }
    }
}
