package io.velo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the trading example ({@code examples/trading/job.sql}) and compares its outputs exactly with
 * {@code examples/trading/expected/}, computed independently ({@code expected/reference.py}), with one
 * record per batch, 7, and the default: the answer must not depend on the batching.
 */
class TradingExampleTest {
    private static final Path EXAMPLE = Paths.get("../examples/trading");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000})
    void outputsAreExactlyTheReference(int batchSize) throws IOException {
        Path work = tmp.resolve("trading");
        Files.createDirectories(work.resolve("data"));
        Files.copy(EXAMPLE.resolve("job.sql"), work.resolve("job.sql"));
        try (Stream<Path> s = Files.list(EXAMPLE.resolve("data"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, work.resolve("data").resolve(p.getFileName()));
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"run", work.resolve("job.sql").toString(), "--set", "batch.size=" + batchSize},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        for (String out : new String[] {"candles.csv", "price_alerts.csv", "risk_checks.csv", "trader_exposure.csv"}) {
            assertEquals(Files.readString(EXAMPLE.resolve("expected").resolve(out)), Files.readString(work.resolve("out").resolve(out)),
                    out + " with batch.size " + batchSize);
        }
    }
}
