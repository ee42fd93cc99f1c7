package io.velo.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.velo.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 8: {@code velo check} over the original engine's demos, unchanged, in a local checkout
 * of velostreamai/velostream named by the environment variable {@code VELO_ORIGINAL_REPO} (skipped when
 * it is unset). As {@code ci/check-original-demos.sh}: every file passes, except those listed in
 * {@code ci/original-demos-known.txt}, which must fail with the error given there.
 */
class OriginalDemosTest {
    private static final Path KNOWN = Paths.get("../ci/original-demos-known.txt");

    @Test
    void originalDemosPassCheckOrFailAsListed() throws IOException {
        String repo = System.getenv("VELO_ORIGINAL_REPO");
        assumeTrue(repo != null && !repo.isBlank(), "VELO_ORIGINAL_REPO is not set (a checkout of velostreamai/velostream)");
        Path dir = Paths.get(repo);
        assertTrue(Files.isDirectory(dir.resolve("demo/trading")), dir + " is not a checkout of velostreamai/velostream");
        Map<String, String> known = new LinkedHashMap<>();
        for (String line : Files.readAllLines(KNOWN)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int bar = line.indexOf(" | ");
                known.put(line.substring(0, bar).trim(), line.substring(bar + 3).trim());
            }
        }
        List<Path> files = new ArrayList<>();
        for (String d : List.of("demo/trading/apps", "demo/trading/sql")) {
            try (Stream<Path> s = Files.list(dir.resolve(d))) {
                s.filter(p -> p.toString().endsWith(".sql")).sorted().forEach(files::add);
            }
        }
        files.add(dir.resolve("demo/1brc/1brc.sql"));
        List<String> wrong = new ArrayList<>();
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.execute(new String[] {"check", f.toString()}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String firstError = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(": error: ")).findFirst().orElse("");
            String expected = known.get(rel);
            if (expected == null && code != 0) {
                wrong.add(rel + " fails: " + firstError);
            } else if (expected != null && code == 0) {
                wrong.add(rel + " passes now: drop it from ci/original-demos-known.txt");
            } else if (expected != null && !firstError.contains(expected)) {
                wrong.add(rel + " fails with another error than '" + expected + "': " + firstError);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
