package io.velo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommittedFileTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a few bytes of every append, then fails, while {@code failing} is set. */
    private boolean failing;

    private final CommittedFile.ChannelWriter tearing = (ch, buf) -> {
        if (failing) {
            buf.limit(buf.position() + 3);
            ch.write(buf);
            throw new IOException("injected");
        }
        return ch.write(buf);
    };

    @Test
    void aRetriedAppendReplacesTheTornTail() throws IOException {
        Path p = dir.resolve("f");
        try (CommittedFile f = CommittedFile.open(p, false, tearing)) {
            f.append(bytes("one\n"));
            failing = true;
            assertThrows(IOException.class, () -> f.append(bytes("two\n")));
            assertThrows(IOException.class, () -> f.append(bytes("two\n")));
            assertEquals("one\ntwo", Files.readString(p), "the torn bytes are on disk until the retry");
            failing = false;
            f.append(bytes("two\n"));
            assertEquals(8, f.committed());
        }
        assertEquals("one\ntwo\n", Files.readString(p));
    }

    @Test
    void closeCutsATornTailThatWasNeverRetried() throws IOException {
        Path p = dir.resolve("f");
        Files.writeString(p, "kept\n");
        CommittedFile f = CommittedFile.open(p, true, tearing);
        assertEquals(5, f.committed());
        failing = true;
        assertThrows(IOException.class, () -> f.append(bytes("lost\n")));
        f.close();
        assertEquals("kept\n", Files.readString(p));
    }
}
