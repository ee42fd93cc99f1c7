package io.velo.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.velo.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every case folder under {@code src/test/resources/sql-cases}: {@code job.sql} plus its input
 * files is copied to a temporary directory and run with {@code velo run} (or {@code velo check} when
 * the case has {@code check} in {@code expected/command.txt}). Then:
 * <ul>
 *   <li>every file under {@code expected/} except the ones below must equal the file of the same
 *       relative path the job wrote, and every file the job wrote under {@code out/} must be there;</li>
 *   <li>{@code expected/stdout.txt}: standard output, exactly;</li>
 *   <li>{@code expected/stderr.txt}: each line must appear in standard error ({@code $DIR} stands for
 *       the case directory);</li>
 *   <li>{@code expected/exit.txt}: the exit code (default 0).</li>
 * </ul>
 * Run with {@code -Dvelo.updateGolden=true} to rewrite the expected files from the actual output
 * (then review the diff: a golden file is only as good as its review).
 */
class SqlScriptTest {
    private static final Path CASES = Paths.get("src/test/resources/sql-cases");
    private static final boolean UPDATE = Boolean.getBoolean("velo.updateGolden");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> sqlCases() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(CASES)) {
            s.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        String only = System.getProperty("velo.case");
        if (only != null) {
            dirs.removeIf(d -> !d.getFileName().toString().matches(only));
        } else if (!UPDATE) {
            assertTrue(dirs.size() >= 10, "expected the SQL case folders, found " + dirs.size());
        }
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> runCase(d)));
    }

    private void runCase(Path caseDir) throws IOException {
        Path work = tmp.resolve(caseDir.getFileName().toString());
        copyTree(caseDir, work, true);
        Path expected = caseDir.resolve("expected");
        String command = read(expected.resolve("command.txt"), "run").trim();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            List<String> args = new ArrayList<>(List.of(command.split("\\s+")));
            args.add(1, work.resolve("job.sql").toString());
            code = Main.execute(args.toArray(new String[0]), o, e);
        }
        String stdout = out.toString(StandardCharsets.UTF_8).replace(work.toString(), "$DIR");
        String stderr = err.toString(StandardCharsets.UTF_8).replace(work.toString(), "$DIR");
        if (UPDATE) {
            updateGolden(caseDir, work, expected, code, stdout, stderr);
            return;
        }
        assertTrue(!stderr.contains("unaccounted"), caseDir.getFileName() + ": every input record must be accounted for\n" + stderr);
        int expectedCode = Integer.parseInt(read(expected.resolve("exit.txt"), "0").trim());
        assertEquals(expectedCode, code, "exit code of " + caseDir.getFileName() + "\nstderr:\n" + stderr);
        if (Files.exists(expected.resolve("stdout.txt"))) {
            assertEquals(read(expected.resolve("stdout.txt"), ""), stdout, "stdout of " + caseDir.getFileName());
        }
        if (Files.exists(expected.resolve("stderr.txt"))) {
            for (String line : Files.readAllLines(expected.resolve("stderr.txt"))) {
                if (!line.isBlank() && !stderr.contains(line)) {
                    fail("stderr of " + caseDir.getFileName() + " lacks the line\n  " + line + "\nactual stderr:\n" + stderr);
                }
            }
        }
        try (Stream<Path> files = Files.walk(expected)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = expected.relativize(f).toString();
                if (isMeta(rel)) {
                    continue;
                }
                Path actual = work.resolve(rel);
                assertTrue(Files.exists(actual), caseDir.getFileName() + ": the job did not write " + rel + "\nstderr:\n" + stderr);
                assertEquals(Files.readString(f), Files.readString(actual), caseDir.getFileName() + ": content of " + rel);
            }
        }
        // and nothing the job wrote goes unchecked (a golden file that is missing, e.g. ignored by git, checks nothing)
        Path written = work.resolve("out");
        if (Files.isDirectory(written)) {
            try (Stream<Path> files = Files.walk(written)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String rel = work.relativize(f).toString();
                    assertTrue(Files.exists(expected.resolve(rel)), caseDir.getFileName() + ": the job wrote " + rel
                            + " but expected/" + rel + " is missing (run with -Dvelo.updateGolden=true and review it)");
                }
            }
        }
    }

    private static boolean isMeta(String rel) {
        return rel.equals("stdout.txt") || rel.equals("stderr.txt") || rel.equals("exit.txt") || rel.equals("command.txt");
    }

    private static void updateGolden(Path caseDir, Path work, Path expected, int code, String stdout, String stderr) throws IOException {
        Path src = Paths.get("src/test/resources/sql-cases").resolve(caseDir.getFileName());
        Path exp = src.resolve("expected");
        Files.createDirectories(exp);
        Files.writeString(exp.resolve("exit.txt"), code + "\n");
        Files.writeString(exp.resolve("stdout.txt"), stdout);
        if (!Files.exists(exp.resolve("stderr.txt"))) {
            Files.writeString(exp.resolve("stderr.txt"), stderr);
        }
        Path out = work.resolve("out");
        if (Files.isDirectory(out)) {
            copyTree(out, exp.resolve("out"), false);
        }
    }

    private static String read(Path p, String dflt) throws IOException {
        return Files.exists(p) ? Files.readString(p) : dflt;
    }

    private static void copyTree(Path from, Path to, boolean skipExpected) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = from.relativize(p);
                if (skipExpected && rel.toString().startsWith("expected")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
