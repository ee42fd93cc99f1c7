package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A fault that escapes the engine is one line on the terminal and exit 1, never a stack trace. */
class InternalErrorTest {
    private static String report(Throwable fault, int[] code) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code[0] = new Main.Run(new PrintStream(PrintStream.nullOutputStream()), e).internalError(fault);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBugIsOneLineAndExitOne() {
        int[] code = new int[1];
        String text = report(new IllegalStateException("pool empty"), code);
        assertEquals(1, code[0]);
        assertTrue(text.startsWith("velo: internal error: IllegalStateException: pool empty (a bug"), text);
        assertEquals(1, text.lines().count(), text);
        assertFalse(text.contains("\tat "), text);
    }

    @Test
    void exhaustedMemorySaysHowToGiveMore() {
        int[] code = new int[1];
        String text = report(new OutOfMemoryError("Java heap space"), code);
        assertEquals(1, code[0]);
        assertTrue(text.contains("OutOfMemoryError: Java heap space (give the JVM more heap"), text);
    }
}
