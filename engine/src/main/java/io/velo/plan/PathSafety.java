package io.velo.plan;

import io.velo.config.JobProperties;
import io.velo.config.Setting;
import io.velo.connector.file.FilePaths;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Path safety (SPEC §6): while a script is planned, every file a statement reads (sources, config
 * files) and writes (file sinks, the dead-letter file) is recorded under its canonical path, and a
 * write that would destroy data is a SQL error at the property that names it, before anything runs:
 * a write onto a file this statement or an earlier one reads (sinks truncate, appending sinks mix
 * their output into their input), or onto a file another sink or dead-letter file writes. A later
 * statement reading what an earlier one wrote is the normal way to chain jobs and stays legal.
 *
 * <p>Paths are compared after resolving them against the script's directory, {@code ..} and
 * symbolic links (a file that does not exist yet is placed under the real path of its nearest
 * existing parent), and existing files also by their file key, so a hard link is caught as well. A
 * glob source is compared by matching its pattern, anchored at its real directory, against the
 * canonical path written.
 */
final class PathSafety {
    /** One file use: {@code label} names it in messages ({@code 't.path'}), {@code at} is where it was written. */
    private record Use(int statement, String label, String path, Pos at, Target target) { }

    /** A resolved file: its canonical path, the file key of an existing file, and a matcher for a glob. */
    private record Target(Path canonical, Object fileKey, PathMatcher glob, List<Target> globMatches) {
        boolean sameFile(Target written) {
            if (glob != null) {
                if (glob.matches(written.canonical)) {
                    return true;
                }
                for (Target m : globMatches) {
                    if (m.sameFile(written)) {
                        return true;
                    }
                }
                return false;
            }
            return canonical.equals(written.canonical) || (fileKey != null && fileKey.equals(written.fileKey));
        }
    }

    private static final int MAX_LINKS = 40;

    private final Path baseDir;
    private final List<Use> reads = new ArrayList<>();
    private final List<Use> writes = new ArrayList<>();
    /** Reads of a file an earlier statement writes (the usual chaining of jobs), each with that write. */
    private final List<Use[]> chained = new ArrayList<>();
    private int statement;

    PathSafety(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Starts the uses of the next statement (its reads must be recorded before its writes). */
    void nextStatement() {
        statement++;
    }

    /** Runs {@code planning} (an EXPLAIN): its uses are checked like any, then forgotten, since it runs nothing. */
    <T> T forgetting(java.util.function.Supplier<T> planning) {
        int r = reads.size();
        int w = writes.size();
        int c = chained.size();
        try {
            return planning.get();
        } finally {
            reads.subList(r, reads.size()).clear();
            writes.subList(w, writes.size()).clear();
            chained.subList(c, chained.size()).clear();
        }
    }

    /** The config files of this statement's connectors (a sink writing over one would destroy it). */
    void readConfigFiles(JobProperties props, Iterable<String> connectorNames) {
        for (String n : connectorNames) {
            Setting cf = props.setting(n + ".config_file");
            if (cf != null) {
                read(quote(cf.key()), cf.value().trim(), cf.pos());
            }
        }
    }

    /** A file source: {@code '<src>.path'}, or the file an earlier statement's sink wrote ({@code fallbackPos}: FROM). */
    void readSource(JobProperties props, String srcName, String path, Pos fallbackPos) {
        Setting s = props.setting(srcName + ".path");
        read(s != null ? quote(s.key()) : "source '" + srcName + "'", path, s != null ? s.pos() : fallbackPos);
    }

    /**
     * A file sink's path. A path inherited from a declaration is reported at the statement's sink name
     * (two INSERT INTO one declared stream share the declaration's position).
     */
    void writeSink(JobProperties props, String sinkName, String path, Pos sinkPos) {
        Setting s = props.setting(sinkName + ".path");
        boolean inherited = s == null || s.origin().startsWith("declared") || s.pos() == Pos.NONE;
        write(quote(sinkName + ".path"), path, inherited ? sinkPos : s.pos());
    }

    /**
     * The dead-letter file, whenever one is configured (whether a record ends there depends on the
     * data). Inherited from a declaration, it is reported at the statement.
     */
    void writeDeadLetters(JobProperties props, Pos statementPos) {
        Setting s = props.setting("dlq.path");
        if (s != null) {
            write(quote(s.key()), s.value().trim(), s.origin().startsWith("declared") ? statementPos : s.pos());
        }
    }

    /** The script's own file, read before any statement (statement 0). */
    void readScript(Path file) {
        reads.add(new Use(0, "the SQL script", file.toString(), null, target(baseDir.resolve(file))));
    }

    void read(String label, String path, Pos at) {
        Use r = new Use(statement, label, path, at, FilePaths.isGlob(path) ? glob(path) : target(baseDir.resolve(path)));
        reads.add(r);
        for (Use o : writes) {
            if (o.statement < statement && r.target.sameFile(o.target)) {
                chained.add(new Use[] {r, o});
                break;
            }
        }
    }

    /**
     * The first read of a file that an earlier statement writes, as an error for a script whose jobs all
     * run at once (one of them has an unbounded source): the reader would start before the writer's file
     * is there, and a file sink's output appears only as the writer commits it. Null when nothing chains.
     */
    /** Whether a statement reads the scratch file of a table of the run that an earlier statement writes. */
    boolean readsRunTableFile() {
        for (Use[] c : chained) {
            if (RunTables.holds(c[1].path)) {
                return true;
            }
        }
        return false;
    }

    SqlException chainedWhileConcurrent() {
        if (chained.isEmpty()) {
            return null;
        }
        Use r = chained.get(0)[0];
        Use w = chained.get(0)[1];
        return new SqlException(r.at, r.label + " reads the file the statement at " + w.at + " writes (" + w.label + "), but this "
                + "script has an unbounded source, so all its jobs run at once and this one would start before that output is "
                + "there: pass a table or stream between running jobs through a Kafka topic, or run the jobs in separate scripts");
    }

    /** Records a write, refusing it when it would destroy a file the script reads or writes elsewhere. */
    void write(String label, String path, Pos at) {
        Use w = new Use(statement, label, path, at, target(baseDir.resolve(path)));
        for (Use o : writes) {
            if (o.statement == statement && o.label.equals(label) && o.target.sameFile(w.target)) {
                return; // the same setting of the same statement again (the branches of a UNION ALL share its sink and dead letters)
            }
        }
        for (Use r : reads) {
            if (r.statement <= statement && r.target.sameFile(w.target)) {
                if (r.statement == 0) {
                    throw new SqlException(at, w.label + " = " + quote(path) + " is the SQL script itself: writing it would destroy the script");
                }
                String whose = r.statement == statement ? "this statement" : "an earlier statement (at " + r.at + ")";
                String how = r.target.glob != null ? "matches the glob " + quote(r.path) + " that " + whose + " reads as " + r.label
                        : "is the file " + whose + " reads as " + r.label + (r.path.equals(path) ? "" : " = " + quote(r.path));
                throw new SqlException(at, w.label + " = " + quote(path) + " " + how
                        + (r.target.glob != null ? ": writing there would destroy or feed back into that input" : ": writing it would destroy that input"));
            }
        }
        for (Use o : writes) {
            if (o.target.sameFile(w.target)) {
                String whose = o.statement == statement ? "this statement" : "the statement at " + o.at;
                throw new SqlException(at, w.label + " = " + quote(path) + " is also written by " + whose + " as " + o.label
                        + (o.path.equals(path) ? "" : " = " + quote(o.path))
                        + ": one would overwrite the other (give each its own file; a glob source reads several)");
            }
        }
        writes.add(w);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    private Target glob(String path) {
        Path full = baseDir.resolve(path);
        int i = 0;
        Path dir = full.getRoot() == null ? Path.of("") : full.getRoot();
        for (; i < full.getNameCount() && !FilePaths.isGlob(full.getName(i).toString()); i++) {
            dir = dir.resolve(full.getName(i).toString());
        }
        StringBuilder pattern = new StringBuilder();
        escapeGlob(canonical(dir).toString(), pattern);
        for (int k = i; k < full.getNameCount(); k++) {
            pattern.append(full.getFileSystem().getSeparator()).append(full.getName(k));
        }
        List<Target> matches = new ArrayList<>();
        try {
            for (Path p : FilePaths.expand(baseDir, path)) {
                matches.add(target(p));
            }
        } catch (IOException e) {
            // an unreadable directory: the pattern alone is compared (and the job reports it when it runs)
        }
        return new Target(canonical(dir), null, FileSystems.getDefault().getPathMatcher("glob:" + pattern), matches);
    }

    private static void escapeGlob(String literal, StringBuilder out) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if ("\\*?[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    private static Target target(Path p) {
        Object key = null;
        try {
            key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            // not there yet: compared by path alone
        }
        return new Target(canonical(p), key, null, List.of());
    }

    /**
     * The real path of {@code p}, or for a path that does not exist (yet) the real path of its nearest
     * existing parent with the rest appended and normalized (names that do not exist cannot be links).
     * A dangling symbolic link is followed to where a write through it would land.
     */
    static Path canonical(Path p) {
        return canonical(p.toAbsolutePath(), 0);
    }

    private static Path canonical(Path abs, int links) {
        Path tail = null;
        for (Path cur = abs; cur != null; cur = cur.getParent()) {
            try {
                Path real = cur.toRealPath();
                return (tail == null ? real : real.resolve(tail)).normalize();
            } catch (IOException e) {
                if (links < MAX_LINKS && Files.isSymbolicLink(cur)) {
                    try {
                        Path to = cur.getParent() == null ? Files.readSymbolicLink(cur) : cur.getParent().resolve(Files.readSymbolicLink(cur));
                        Path resolved = canonical(to.toAbsolutePath(), links + 1);
                        return (tail == null ? resolved : resolved.resolve(tail)).normalize();
                    } catch (IOException ignored) {
                        // unreadable link: fall through to its parent
                    }
                }
                Path name = cur.getFileName();
                if (name == null) {
                    break;
                }
                tail = tail == null ? name : name.resolve(tail);
            }
        }
        return abs.normalize();
    }
}
