package io.velo.harness.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles a real busy workload and checks the flame graphs show it. */
class ProfilerTest {
    @TempDir
    Path dir;

    static volatile Object sink;

    /** Decimal arithmetic that allocates on every step, for about {@code millis}. */
    static BigDecimal decimalWorkload(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        BigDecimal sum = BigDecimal.ZERO;
        long i = 0;
        while (System.nanoTime() < end) {
            BigDecimal x = BigDecimal.valueOf(++i % 10_007, 2).multiply(BigDecimal.valueOf(31, 1));
            sum = sum.add(x.divide(BigDecimal.valueOf(7), 12, RoundingMode.HALF_EVEN));
            if ((i & 1023) == 0) {
                sink = new StringBuilder().append(sum).toString();
            }
        }
        return sum;
    }

    private static void assertProfile(Path dir, ObjectNode p, String recorder) throws Exception {
        assertEquals(recorder, p.path("recorder").asText(), p.toString());
        assertEquals("flame-cpu.html", p.path("cpu").asText(), p.toString());
        assertEquals("flame-alloc.html", p.path("alloc").asText(), p.toString());
        assertEquals("engine.jfr", p.path("jfr").asText());
        assertTrue(p.path("note").asText().startsWith("recorded with " + recorder), p.toString());
        assertTrue(Files.size(dir.resolve("engine.jfr")) > 10_000);
        String cpu = Files.readString(dir.resolve("flame-cpu.html"));
        String alloc = Files.readString(dir.resolve("flame-alloc.html"));
        assertTrue(cpu.length() > 5_000 && alloc.length() > 5_000, "flame graphs are non-trivial");
        assertTrue(p.path("cpu_samples").asLong() > 20, "CPU samples: " + p);
        assertTrue(p.path("alloc_samples").asLong() > 5, "allocation samples: " + p);
        assertTrue(cpu.contains("decimalWorkload"), "the CPU flame graph shows the workload's frame");
        assertTrue(alloc.contains("BigDecimal"), "the allocation flame graph shows what the workload allocates");
    }

    @Test
    void profilesWithWhateverTheMachineAllows() throws Exception {
        Profiler p = Profiler.start(dir);
        sink = decimalWorkload(2000);
        ObjectNode profile = p.stop();
        System.out.println("profile: " + profile);
        assertProfile(dir, profile, p.recorder());
        assertThrows(IllegalStateException.class, p::stop);
    }

    @Test
    void jdkFlightRecorderFallback() throws Exception {
        Profiler p = Profiler.start(dir, false);
        assertEquals("jfr", p.recorder());
        sink = decimalWorkload(2000);
        assertProfile(dir, p.stop(), "jfr");
    }
}
