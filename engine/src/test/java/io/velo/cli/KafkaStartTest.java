package io.velo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code velo kafka start} in a child JVM: it prints its bootstrap address, serves clients, and stops
 * cleanly with exit 0 on SIGTERM, leaving the data directory it was given; a port in use is exit 1.
 */
@DisabledOnOs(OS.WINDOWS)
class KafkaStartTest {
    private static final Pattern READY = Pattern.compile("Kafka broker ready at (127\\.0\\.0\\.1:(\\d+))");

    @TempDir
    Path dir;

    @Test
    void startsServesAndStopsOnSigterm() throws Exception {
        Path log = dir.resolve("log.txt");
        Path data = dir.resolve("data");
        Process p = velo(log, "kafka", "start", "--port", "0", "--data-dir", data.toString());
        try {
            Matcher m = awaitReady(p, log);
            String bootstrap = m.group(1);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("t", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("t"));
            }
            p.destroy(); // SIGTERM on Unix
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "velo kafka start did not stop");
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertTrue(Files.exists(data.resolve("meta.properties")), "the data directory is kept");
            assertFalse(out.contains("INFO") || out.contains("WARN") || out.contains("SLF4J"), "the broker's logs stay off the terminal: " + out);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(2))));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aPortInUseIsExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path log = dir.resolve("log2.txt");
            Process p = velo(log, "kafka", "start", "--port", Integer.toString(taken.getLocalPort()));
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "velo kafka start did not give up");
                String out = Files.readString(log);
                assertEquals(1, p.exitValue(), out);
                assertTrue(out.contains("velo: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (port in use)"), out);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static Process velo(Path log, String... args) throws IOException {
        String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Matcher awaitReady(Process p, Path log) throws Exception {
        long end = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < end) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = READY.matcher(out);
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new AssertionError("velo kafka start ended with " + p.exitValue() + ": " + out);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no 'ready at' line: " + Files.readString(log));
    }
}
