package io.velo.connector.file;

import io.velo.batch.RecordBatch;
import io.velo.codec.Encoder;
import io.velo.connector.spi.Sink;
import io.velo.failure.JobFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes encoded lines to a file. Lines collect in memory and each flush appends them with a single
 * write, so a reader never sees a torn line. Missing parent directories are created; the file is
 * replaced at open unless {@code append} is set.
 */
public final class FileSink implements Sink {
    private static final int FLUSH_BYTES = 1 << 20;

    private final String name;
    private final Path path;
    private final String displayPath;
    private final Encoder encoder;
    private final boolean append;
    private final StringBuilder pending = new StringBuilder(1 << 16);
    private OutputStream out;

    public FileSink(String name, Path path, String displayPath, Encoder encoder, boolean append) {
        this.name = name;
        this.path = path;
        this.displayPath = displayPath;
        this.encoder = encoder;
        this.append = append;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void open() {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new JobFailedException("sink '" + name + "': cannot write " + path + ": " + describe(e), e);
        }
        String header = encoder.header();
        if (header != null && !(append && sizeOf() > 0)) {
            pending.append(header).append('\n');
        }
    }

    private long sizeOf() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : " " + m);
    }

    @Override
    public int write(RecordBatch batch) {
        int n = batch.liveCount();
        for (int i = 0; i < n; i++) {
            encoder.encode(batch, batch.liveRow(i), pending);
            pending.append('\n');
        }
        if (pending.length() >= FLUSH_BYTES) {
            flush();
        }
        return n;
    }

    @Override
    public void flush() {
        if (pending.length() == 0 || out == null) {
            return;
        }
        try {
            out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new JobFailedException("sink '" + name + "': cannot write " + path + ": " + describe(e), e);
        }
        pending.setLength(0);
    }

    @Override
    public void close() {
        flush();
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new JobFailedException("sink '" + name + "': cannot close " + path + ": " + describe(e), e);
            }
            out = null;
        }
    }

    @Override
    public String describe() {
        return "file_sink " + displayPath;
    }
}
