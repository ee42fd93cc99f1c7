package io.velo.failure;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.velo.io.CommittedFile;
import io.velo.types.Values;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dead letters as JSON lines: {@code {"job","source","position","error_code","error","failed_at","record"}},
 * plus {@code "record_base64"} (the original bytes) for a record that is not valid UTF-8.
 * Each flush appends whole lines with one write, so a reader never sees half a record; a flush after
 * a failed one (the final flush at close) cuts off the failed attempt's tail and writes each line once.
 */
public final class FileDeadLetterWriter implements DeadLetterWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path path;
    private final StringBuilder pending = new StringBuilder();
    private CommittedFile out;

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
            if (l.recordBytes() != null) {
                g.writeStringField("record_base64", java.util.Base64.getEncoder().encodeToString(l.recordBytes()));
            }
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
            out = CommittedFile.open(path, false, CommittedFile.DIRECT);
        }
        out.append(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }
}
