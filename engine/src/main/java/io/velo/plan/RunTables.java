package io.velo.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The tables of one run that no sink was named for: a {@code CREATE TABLE … AS} without a sink (the
 * original engine's way to keep a table for later queries) writes its changelog to a scratch file of
 * the run, which later statements read back exactly as they read a file sink's table (by key, with
 * {@code _deleted} rows deleting), and the run removes when it ends. Nothing is created while a script
 * is only planned ({@code velo check}): the file sink creates the directory when the job opens it.
 */
public final class RunTables implements AutoCloseable {
    static final String PREFIX = "velo-run-tables-";
    /** The origin of the settings a table of the run is given (shown by {@code velo check}). */
    static final String ORIGIN = "a table of this run (no sink named)";

    private final Path dir;
    private final String runId;
    private boolean inKafka;

    public RunTables() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    RunTables(Path parent) {
        UUID id = UUID.randomUUID();
        this.dir = parent.toAbsolutePath().resolve(PREFIX + id);
        this.runId = id.toString().substring(0, 8);
    }

    /**
     * Keeps every table of the run in a Kafka topic: for a script whose jobs all run at once (an
     * unbounded source), where a later job reads a table while its writer runs, which only a topic
     * allows (a file is read once its writer ended).
     */
    public void keepInKafka() {
        inKafka = true;
    }

    boolean inKafka() {
        return inKafka;
    }

    /** The topic of table {@code name}: this run's own, so no earlier run's rows and no topic of the user's are read or written. */
    String topicOf(String name) {
        return "velo-run-" + runId + "-" + name.toLowerCase(java.util.Locale.ROOT);
    }

    /** The scratch file of table {@code name}. */
    String pathOf(String name) {
        return dir.resolve(name.toLowerCase(java.util.Locale.ROOT) + ".json").toString();
    }

    /** Whether {@code path} is the scratch file of a table of a run. */
    static boolean holds(String path) {
        if (path == null) {
            return false;
        }
        Path parent = Path.of(path).getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().startsWith(PREFIX);
    }

    /** The scratch directory (it exists once a table of the run was written). */
    public Path dir() {
        return dir;
    }

    /** Removes the run's scratch files. */
    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("velo: warning: could not remove the run's table files under " + dir + ": " + e.getMessage());
        }
    }
}
