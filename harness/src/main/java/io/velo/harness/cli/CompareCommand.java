package io.velo.harness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.report.Comparison;
import io.velo.harness.report.HtmlReport;
import io.velo.harness.report.MarkdownReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code velo bench compare BASE.json NEW.json}: the report of NEW with BASE as its baseline, for any
 * two results (not only a result and its saved baseline). The verdicts are plain median changes
 * judged by each metric's tolerance, without a significance test, and say so; the gate makes the
 * real decision. Exit 0 when the report is written, 2 when an input is not a readable result.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Renders a comparison report (report.html, report.md, verdicts.json) of NEW against BASE.")
public final class CompareCommand implements Callable<Integer> {
    private static final Set<String> KINDS = Set.of("velo-scenario-result", "velo-jmh-result");

    @CommandLine.ParentCommand
    BenchCommand bench;

    @Parameters(index = "0", paramLabel = "BASE.json", description = "the result compared against")
    Path base;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "the result being judged")
    Path now;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default reports/compare-<time>/)")
    Path out;

    /** An input that is not a result this command can compare. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws IOException {
        ObjectNode b;
        ObjectNode n;
        try {
            b = read(base);
            n = read(now);
            String kb = b.get("kind").asText();
            String kn = n.get("kind").asText();
            if (!kb.equals(kn)) {
                throw new BadInput("cannot compare a " + kb + " (" + base + ") with a " + kn + " (" + now + ")");
            }
        } catch (BadInput e) {
            bench.err.println("velo bench compare: " + e.getMessage());
            return 2;
        }
        Path dir = out != null ? out : Path.of("reports", "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            bench.err.println("velo bench compare: --out " + dir + " exists and is not a directory");
            return 2;
        }
        // the gate's own statistics (Mann-Whitney U on the repetitions, and the tolerance as minimum effect)
        ArrayNode verdicts = io.velo.harness.gate.Gate.toJson(io.velo.harness.gate.Gate.compare(b, n, java.util.Map.of()));
        // everything is rendered before anything is written
        String html = HtmlReport.render(n, b, verdicts);
        String md = MarkdownReport.render(n, b, verdicts);
        String vj = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(verdicts);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("verdicts.json"), vj + "\n", StandardCharsets.UTF_8);

        String sb = b.path("scenario").asText("");
        String sn = n.path("scenario").asText("");
        if (!sb.equals(sn)) {
            bench.err.println("velo bench compare: warning: different scenarios ('" + sb + "' vs '" + sn + "'); the report says so");
        }
        bench.out.println("Comparison of " + now + " against " + base + " (one-sided Mann-Whitney U over the repetitions, the tolerance as minimum effect):");
        if (verdicts.isEmpty()) {
            bench.out.println("  no gated metrics in " + now + " (gate.metrics is empty)");
        }
        for (JsonNode v : verdicts) {
            bench.out.println("  " + v.path("line").asText());
        }
        bench.out.println("wrote " + dir.resolve("report.html"));
        return 0;
    }

    private static ObjectNode read(Path file) throws BadInput {
        try {
            return io.velo.harness.result.ResultFile.read(file);
        } catch (io.velo.harness.result.ResultFile.Invalid e) {
            throw new BadInput(e.getMessage());
        }
    }
}
