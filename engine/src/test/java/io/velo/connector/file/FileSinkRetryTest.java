package io.velo.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.BatchPool;
import io.velo.batch.RecordBatch;
import io.velo.codec.CsvEncoder;
import io.velo.connector.RetryingSink;
import io.velo.connector.spi.Sink;
import io.velo.failure.JobFailedException;
import io.velo.io.CommittedFile;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real file sink whose flushes fail part-way (some bytes reach the file, then an I/O error): with
 * RetryWithBackoff every row ends in the file exactly once, whether the failing flush came from a
 * write, from the end of the job or from close.
 */
class FileSinkRetryTest {
    private static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("name", DataType.STRING)));

    @TempDir
    Path dir;

    /** Tears the appends whose (1-based) numbers are listed: writes half the bytes, then fails. */
    static final class TearingWriter implements CommittedFile.ChannelWriter {
        final Set<Integer> tear;
        int appends;
        int torn;
        private ByteBuffer current;

        TearingWriter(Set<Integer> tear) {
            this.tear = tear;
        }

        @Override
        public int write(FileChannel channel, ByteBuffer bytes) throws IOException {
            if (bytes != current) {
                current = bytes;
                appends++;
                if (tear.contains(appends)) {
                    int limit = bytes.limit();
                    bytes.limit(bytes.position() + Math.max(1, bytes.remaining() / 2));
                    int n = channel.write(bytes);
                    bytes.limit(limit);
                    torn++;
                    throw new IOException("injected failure after " + n + " bytes");
                }
            }
            return channel.write(bytes);
        }
    }

    private final BatchPool pool = new BatchPool(SCHEMA, 16, 2);
    private long nextId;

    private RecordBatch batch(int rows) {
        RecordBatch b = pool.acquire();
        for (int i = 0; i < rows; i++) {
            long id = nextId++;
            b.columns[0].setLong(i, id);
            b.columns[1].setObject(i, "row number " + id);
        }
        b.size = rows;
        return b;
    }

    private void writeBatches(Sink sink, int batches, int rows) {
        for (int i = 0; i < batches; i++) {
            RecordBatch b = batch(rows);
            try {
                assertEquals(rows, sink.write(b));
            } finally {
                b.release();
            }
        }
    }

    private List<String> expected(long from, long to, boolean header) {
        List<String> lines = new ArrayList<>();
        if (header) {
            lines.add("id,name");
        }
        for (long id = from; id < to; id++) {
            lines.add(id + ",row number " + id);
        }
        return lines;
    }

    private RetryingSink retrying(Path file, boolean append, TearingWriter w, ByteArrayOutputStream log) {
        FileSink inner = new FileSink("o", file, "o.csv", new CsvEncoder(SCHEMA, ',', true), append, 100, w);
        return new RetryingSink(inner, 3, 0, new PrintStream(log, true));
    }

    @Test
    void aRetriedFlushWritesEveryRowOnce() throws IOException {
        Path file = dir.resolve("o.csv");
        // appends 3 and 4 (a flush and its first retry) tear, then 9, then the flush at the end and the one at close
        TearingWriter w = new TearingWriter(Set.of(3, 4, 9, 15, 16));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RetryingSink sink = retrying(file, false, w, log);
        sink.open();
        writeBatches(sink, 40, 3);
        int before = w.appends;
        sink.flush();
        writeBatches(sink, 1, 2);
        sink.close();
        assertTrue(w.torn >= 3 && w.appends > before, "the failures were injected: " + w.torn + " of " + w.appends);
        assertEquals(w.torn, sink.retries(), log.toString());
        assertEquals(expected(0, 122, true), Files.readAllLines(file));
    }

    @Test
    void appendingKeepsWhatWasThereAndRetriesOnce() throws IOException {
        Path file = dir.resolve("o.csv");
        Files.writeString(file, "id,name\n-1,earlier run\n");
        TearingWriter w = new TearingWriter(Set.of(1, 2, 5));
        RetryingSink sink = retrying(file, true, w, new ByteArrayOutputStream());
        sink.open();
        writeBatches(sink, 30, 4);
        sink.close();
        List<String> want = new ArrayList<>(List.of("id,name", "-1,earlier run"));
        want.addAll(expected(0, 120, false));
        assertEquals(want, Files.readAllLines(file));
        assertEquals(3, sink.retries());
    }

    @Test
    void aFlushThatKeepsFailingLeavesOnlyWholeRows() throws IOException {
        Path file = dir.resolve("o.csv");
        TearingWriter w = new TearingWriter(Set.of(2, 3, 4, 5, 6, 7, 8, 9, 10));
        RetryingSink sink = retrying(file, false, w, new ByteArrayOutputStream());
        sink.open();
        JobFailedException e = assertThrows(JobFailedException.class, () -> writeBatches(sink, 40, 3));
        assertTrue(e.getMessage().contains("after 3 retries"), e.getMessage());
        assertThrows(JobFailedException.class, sink::close);
        // the first flush's rows are there once; the torn attempts left nothing behind
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.size() > 1, lines.toString());
        assertEquals(expected(0, lines.size() - 1, true), lines);
        assertTrue(Files.readString(file).endsWith("\n"));
    }

    @Test
    void withoutRetriesAFailedCloseStillCutsTheTornTail() throws IOException {
        Path file = dir.resolve("o.csv");
        TearingWriter w = new TearingWriter(Set.of(1));
        FileSink sink = new FileSink("o", file, "o.csv", new CsvEncoder(SCHEMA, ',', true), false, 1 << 20, w);
        sink.open();
        writeBatches(sink, 5, 3);
        assertThrows(JobFailedException.class, sink::close);
        assertEquals("", Files.readString(file));
        sink.close(); // a retried close writes the pending rows once
        assertEquals(expected(0, 15, true), Files.readAllLines(file));
    }
}
