package io.velo.harness.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium, to check that a report really renders: the DOM after the page's script ran
 * ({@code --dump-dom}) and a screenshot. Each call uses a fresh profile directory and turns off
 * everything that would reach the network, so the check also proves the page needs none.
 */
public final class Chromium {
    private static final String[] NAMES = {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"};

    private final Path binary;
    private final Duration timeout;

    public Chromium(Path binary) {
        this(binary, Duration.ofSeconds(120));
    }

    public Chromium(Path binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    /** The first Chromium or Chrome binary on {@code PATH} or in {@code /usr/bin}, if any. */
    public static Optional<Path> find() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.add(Path.of("/usr/bin"));
        for (String name : NAMES) {
            for (Path d : dirs) {
                Path p = d.resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    public Path binary() {
        return binary;
    }

    /** The serialized DOM of {@code html} after its scripts ran (up to 5 s of virtual time). */
    public String dumpDom(Path html) throws IOException {
        Path out = Files.createTempFile("chromium-dom", ".html");
        try {
            run(List.of("--dump-dom", html.toAbsolutePath().toUri().toString()), out);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** A PNG screenshot of {@code html} at the given window size. */
    public void screenshot(Path html, Path png, int width, int height) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        Path out = Files.createTempFile("chromium-out", ".txt");
        try {
            run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars",
                    html.toAbsolutePath().toUri().toString()), out);
        } finally {
            Files.deleteIfExists(out);
        }
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private void run(List<String> args, Path stdout) throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path stderr = Files.createTempFile("chromium-err", ".txt");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for chromium", e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("chromium did not finish within " + timeout.toSeconds() + " s: " + tail(stderr));
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue() + ": " + tail(stderr));
            }
        } finally {
            Files.deleteIfExists(stderr);
            deleteTree(profile);
        }
    }

    private static String tail(Path f) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}
