package io.velo.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * One answer whatever the batching, for analytic functions, subqueries, interval joins, UNION ALL and tables: every
 * {@code over_*}, {@code subquery_*}, {@code interval_join_*}, {@code union_*} and {@code table_*} SQL case that writes files, run with
 * {@code --set batch.size=1}, 7 and 1000 writes exactly its expected output files (rows held for a
 * look-ahead, late rows and the end-of-input flush included).
 */
class OverBatchingTest {
    private static final Path CASES = Paths.get("src/test/resources/sql-cases");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> overCasesWhateverTheBatchSize() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(CASES)) {
            s.filter(d -> (d.getFileName().toString().startsWith("over_") || d.getFileName().toString().startsWith("subquery_")
                    || d.getFileName().toString().startsWith("interval_join_") || d.getFileName().toString().startsWith("union_")
                    || d.getFileName().toString().startsWith("table_")) && Files.isDirectory(d.resolve("expected/out"))).sorted().forEach(dirs::add);
        }
        assertTrue(dirs.size() >= 8, "expected the over_*, subquery_* and interval_join_* cases, found " + dirs);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path d : dirs) {
            for (int size : new int[] {1, 7, 1000}) {
                tests.add(DynamicTest.dynamicTest(d.getFileName() + " batch.size=" + size, () -> run(d, size)));
            }
        }
        return tests.stream();
    }

    private void run(Path caseDir, int size) throws IOException {
        Path work = tmp.resolve(caseDir.getFileName() + "-" + size);
        try (Stream<Path> s = Files.walk(caseDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = caseDir.relativize(p);
                if (rel.startsWith("expected")) {
                    continue;
                }
                Path to = work.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.execute(new String[] {"run", work.resolve("job.sql").toString(), "--set", "batch.size=" + size}, o, e);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, stderr);
        assertTrue(!stderr.contains("unaccounted"), stderr);
        Path expectedOut = caseDir.resolve("expected/out");
        try (Stream<Path> s = Files.walk(expectedOut)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                Path actual = work.resolve("out").resolve(expectedOut.relativize(f).toString());
                assertTrue(Files.exists(actual), "not written: " + actual + "\n" + stderr);
                assertEquals(Files.readString(f), Files.readString(actual), caseDir.getFileName() + " with batch.size " + size + ": " + f.getFileName());
            }
        }
    }
}
