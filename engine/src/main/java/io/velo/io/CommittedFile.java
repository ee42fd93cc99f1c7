package io.velo.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file that grows by whole appends and knows how much of it is committed: the length after the last
 * append that completed. An append that fails part-way (disk full, I/O error) may leave a torn tail;
 * the next append cuts the file back to the committed length first, so retrying an append writes its
 * bytes exactly once and a reader never keeps half of a failed one.
 */
public final class CommittedFile implements Closeable {
    /** How bytes reach the channel; tests put a failing one in to tear an append. */
    @FunctionalInterface
    public interface ChannelWriter {
        int write(FileChannel channel, ByteBuffer bytes) throws IOException;
    }

    public static final ChannelWriter DIRECT = FileChannel::write;

    private final FileChannel channel;
    private final ChannelWriter writer;
    private long committed;
    private boolean torn;

    private CommittedFile(FileChannel channel, ChannelWriter writer) throws IOException {
        this.channel = channel;
        this.writer = writer;
        this.committed = channel.size();
    }

    /** Opens (creating it) for appending after what is there, or replacing it unless {@code keep}. */
    public static CommittedFile open(Path path, boolean keep, ChannelWriter writer) throws IOException {
        FileChannel ch = keep
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new CommittedFile(ch, writer);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Bytes in the file after the last complete append. */
    public long committed() {
        return committed;
    }

    /** Appends all of {@code bytes}, or throws leaving the committed length as it was. */
    public void append(byte[] bytes) throws IOException {
        if (torn) {
            channel.truncate(committed);
            torn = false;
        }
        channel.position(committed);
        torn = true;
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            writer.write(channel, buf);
        }
        torn = false;
        committed += bytes.length;
    }

    /** Closes the file, first cutting off the tail of a failed append that was never retried. */
    @Override
    public void close() throws IOException {
        try {
            if (torn && channel.isOpen()) {
                channel.truncate(committed);
                torn = false;
            }
        } finally {
            channel.close();
        }
    }
}
