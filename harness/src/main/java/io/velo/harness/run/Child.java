package io.velo.harness.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A JVM the harness forks for one part of a scenario (the engine, the load generator, the broker):
 * its own process so that the CPU and memory each part uses can be told apart, and a scenario's JVM
 * options (a small heap) apply to the engine alone. Its stdout is read line by line and handed to a
 * listener; its stderr goes to a log file in the run's directory. Lines to its stdin steer it.
 */
public final class Child implements AutoCloseable {
    private final Process process;
    private final String name;
    private final Thread reader;
    private final OutputStream stdin;
    /** Every child still running: a harness that exits (Ctrl-C included) takes its children with it. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.destroyForcibly();
            }
        }, "velo-children-stop"));
    }

    private Child(String name, Process process, Consumer<String> lines) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "velo-child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmOptions] -cp <this classpath> mainClass args}. */
    public static Child start(String name, List<String> jvmOptions, String mainClass, List<String> args, Path log, Consumer<String> lines)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return new Child(name, p, lines);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** CPU time the process has used so far, in nanoseconds (-1 once it has ended or where the OS does not say). */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    public void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            // it has ended: its exit code tells
        }
    }

    /** Waits for the process to end; false when it did not within the time. */
    public boolean waitFor(Duration d) throws InterruptedException {
        boolean ended = process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        if (ended) {
            reader.join(2_000);
        }
        return ended;
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** SIGKILL: the crash of the exactly-once scenario. */
    public void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
