package io.velo.harness.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one call a run makes for its reports: {@code report.html} and {@code report.md} in the run's
 * directory, then the index of all runs in the directory above refreshed.
 */
public final class Reports {
    private Reports() {
    }

    /**
     * Writes {@code runDir/report.html} and {@code runDir/report.md} for {@code result} (compared with
     * the baseline and its verdicts, either may be null) and refreshes {@code runDir/../index.html}.
     *
     * @return the path of {@code report.html}
     */
    public static Path writeRunReport(Path runDir, ObjectNode result, ObjectNode baselineOrNull, ArrayNode verdictsOrNull) throws IOException {
        if (result == null) {
            throw new IllegalArgumentException("no result to report");
        }
        Files.createDirectories(runDir);
        Path html = runDir.resolve("report.html");
        // render both before writing either, so a rendering failure leaves no half-updated pair
        String page = HtmlReport.render(result, baselineOrNull, verdictsOrNull);
        String md = MarkdownReport.render(result, baselineOrNull, verdictsOrNull);
        ReportSupport.writeAtomically(html, page);
        ReportSupport.writeAtomically(runDir.resolve("report.md"), md);
        Path parent = runDir.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            ReportIndex.write(parent);
        }
        return html;
    }
}
