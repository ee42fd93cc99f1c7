package io.velo.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportIndexTest {
    @TempDir
    Path reports;

    @Test
    void listsRunsNewestFirstAndBrokenOnesAsBroken() throws Exception {
        ObjectNode older = ResultFixtures.scenarioResult("run-old", 1, 3, 1.0);
        older.put("started_at", "2026-11-30T10:00:00Z");
        ObjectNode newer = ResultFixtures.scenarioResult("run-new", 2, 3, 0.9);
        newer.put("started_at", "2026-12-01T10:00:00Z");
        ArrayNode verdicts = ResultFixtures.gateVerdicts(older, newer);
        Path oldDir = Files.createDirectories(reports.resolve("run-old"));
        Path newDir = Files.createDirectories(reports.resolve("run-new"));
        Files.writeString(oldDir.resolve("result.json"), older.toString());
        Files.writeString(newDir.resolve("result.json"), newer.toString());
        Files.writeString(newDir.resolve("verdicts.json"), verdicts.toString());
        Files.writeString(newDir.resolve("report.html"), "<html></html>");
        Files.writeString(oldDir.resolve("gate.md"), "# gate");
        Path truncated = Files.createDirectories(reports.resolve("run-truncated"));
        String s = newer.toString();
        Files.writeString(truncated.resolve("result.json"), s.substring(0, s.length() / 2));
        Path jmhRaw = Files.createDirectories(reports.resolve("run-array"));
        Files.writeString(jmhRaw.resolve("result.json"), "[{\"benchmark\": \"x\"}]");
        Files.createDirectories(reports.resolve("not-a-run"));
        // broken results have only their file time to sort by: make it older than both runs
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(truncated.resolve("result.json"), old);
        Files.setLastModifiedTime(jmhRaw.resolve("result.json"), old);

        List<ReportIndex.Entry> es = ReportIndex.entries(reports);
        assertEquals(4, es.size());
        assertEquals("run-new", es.get(0).runId(), "newest first");
        assertEquals("run-old", es.get(1).runId());
        assertEquals("REGRESSION", es.get(0).verdict());
        assertEquals("see gate.md", es.get(1).verdict());

        ReportIndex.write(reports);
        String html = Files.readString(reports.resolve("index.html"));
        assertTrue(html.contains("href=\"run-new/report.html\""));
        assertTrue(html.contains("href=\"run-old/result.json\""), "no report.html: the result is linked");
        assertTrue(html.contains("<span class=\"badge REGRESSION\">REGRESSION</span>"));
        assertTrue(html.contains("broken: unreadable result.json"));
        assertTrue(html.contains("broken: result.json is not a JSON object (an array: raw JMH output?)"));
        assertTrue(html.indexOf("run-new") < html.indexOf("run-old"));
    }

    @Test
    void emptyOrMissingDirectory() throws Exception {
        Path d = reports.resolve("nothing-yet");
        ReportIndex.write(d);
        assertTrue(Files.readString(d.resolve("index.html")).contains("No runs yet"));
    }

    @Test
    void writeRunReportWritesBothAndTheIndex() throws Exception {
        ObjectNode r = ResultFixtures.scenarioResult("run-a", 1, 3, 1.0);
        Path run = reports.resolve("run-a");
        Files.createDirectories(run);
        Files.writeString(run.resolve("result.json"), r.toString());
        Path html = Reports.writeRunReport(run, r, null, null);
        assertEquals(run.resolve("report.html"), html);
        assertTrue(Files.readString(html).contains("No baseline compared"));
        assertTrue(Files.readString(run.resolve("report.md")).contains("# Velo benchmark report"));
        assertTrue(Files.readString(reports.resolve("index.html")).contains("href=\"run-a/report.html\""));
        try (var s = Files.list(run)) {
            assertEquals(List.of("report.html", "report.md", "result.json"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left behind");
        }
    }
}
