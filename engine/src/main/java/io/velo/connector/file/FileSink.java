package io.velo.connector.file;

import io.velo.batch.RecordBatch;
import io.velo.codec.Encoder;
import io.velo.connector.spi.Sink;
import io.velo.failure.JobFailedException;
import io.velo.io.CommittedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes encoded lines to a file. Lines collect in memory and each flush appends them with a single
 * write, so a reader never sees a torn line. Missing parent directories are created; the file is
 * replaced at open unless {@code append} is set.
 *
 * <p>Retries write each row once: {@link #write} accepts a whole batch or (when flushing the rows
 * before it fails) none of it, and a flush after a failed one first cuts the file back to what was
 * committed, then writes everything not yet committed.
 */
public final class FileSink implements Sink {
    private static final int FLUSH_BYTES = 1 << 20;

    private final String name;
    private final Path path;
    private final String displayPath;
    private final Encoder encoder;
    private final boolean append;
    private final int flushBytes;
    private final CommittedFile.ChannelWriter writer;
    private final StringBuilder pending = new StringBuilder(1 << 16);
    private CommittedFile out;
    private boolean opened;

    public FileSink(String name, Path path, String displayPath, Encoder encoder, boolean append) {
        this(name, path, displayPath, encoder, append, FLUSH_BYTES, CommittedFile.DIRECT);
    }

    /** With a flush threshold and a channel writer of the test's choosing (to fail a flush part-way). */
    FileSink(String name, Path path, String displayPath, Encoder encoder, boolean append, int flushBytes, CommittedFile.ChannelWriter writer) {
        this.name = name;
        this.path = path;
        this.displayPath = displayPath;
        this.encoder = encoder;
        this.append = append;
        this.flushBytes = flushBytes;
        this.writer = writer;
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
            out = CommittedFile.open(path, append, writer);
            opened = true;
        } catch (IOException e) {
            throw new JobFailedException("sink '" + name + "': cannot write " + path + ": " + io.velo.io.IoErrors.describe(e), e);
        }
        String header = encoder.header();
        if (header != null && out.committed() == 0) {
            pending.append(header).append('\n');
        }
    }

    @Override
    public int write(RecordBatch batch) {
        if (pending.length() >= flushBytes) {
            flush(); // before taking the batch: when this fails, none of the batch was taken and a retry adds it once
        }
        int n = batch.liveCount();
        int mark = pending.length();
        try {
            for (int i = 0; i < n; i++) {
                encoder.encode(batch, batch.liveRow(i), pending);
                pending.append('\n');
            }
        } catch (RuntimeException e) {
            pending.setLength(mark);
            throw e;
        }
        return n;
    }

    @Override
    public void flush() {
        if (pending.length() == 0 || !opened) {
            return;
        }
        try {
            if (out == null) {
                out = CommittedFile.open(path, true, writer); // a close whose flush failed is being retried
            }
            out.append(pending.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JobFailedException("sink '" + name + "': cannot write " + path + ": " + io.velo.io.IoErrors.describe(e), e);
        }
        pending.setLength(0);
    }

    /**
     * Flushes and closes. When the flush fails the file is still closed (without the torn tail) and
     * the rows stay pending, so a retried close writes them once.
     */
    @Override
    public void close() {
        try {
            flush();
        } finally {
            if (out != null) {
                CommittedFile f = out;
                out = null;
                try {
                    f.close();
                } catch (IOException e) {
                    throw new JobFailedException("sink '" + name + "': cannot close " + path + ": " + io.velo.io.IoErrors.describe(e), e);
                }
            }
        }
    }

    @Override
    public String describe() {
        return "file_sink " + displayPath;
    }
}
