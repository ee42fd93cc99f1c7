package io.velo.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders reports in real headless Chromium: the charts must draw without a script error. */
class ReportRenderTest {
    static Chromium chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        var bin = Chromium.find();
        Assumptions.assumeTrue(bin.isPresent(), "no chromium, chromium-browser or google-chrome on PATH or in /usr/bin: render test skipped");
        chromium = new Chromium(bin.get());
    }

    private static String attr(String dom, String name) {
        Matcher m = Pattern.compile("<html[^>]*\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void fullReportDrawsEveryChartWithoutErrors() throws IOException {
        ObjectNode base = ResultFixtures.scenarioResult("20261201-201500-sustained-load", 14, 5, 1.0);
        ObjectNode now = ResultFixtures.scenarioResult("20261201-211500-sustained-load", 15, 5, 0.9);
        ArrayNode verdicts = ResultFixtures.gateVerdicts(base, now);
        Path html = dir.resolve("run").resolve("report.html");
        HtmlReport.write(now, base, verdicts, html);

        String dom = chromium.dumpDom(html);
        int expected = HtmlReport.expectedCharts(now, base);
        assertEquals(7, expected);
        assertEquals(null, attr(dom, "data-errors"), "script errors in the page");
        String charts = attr(dom, "data-charts");
        assertTrue(charts != null && Integer.parseInt(charts) >= expected, "data-charts=" + charts + ", expected " + expected);
        int paths = dom.split("<path ", -1).length - 1;
        assertTrue(paths >= 8, "expected the line charts' SVG paths, found " + paths);
        assertTrue(dom.contains("<rect "), "bar charts draw rects");
        assertFalse(dom.contains("not measured</p>"), "no chart should say not measured in the full fixture");
        for (String tick : new String[] {">50%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<", ">max<"}) {
            assertTrue(dom.contains(tick), "the percentile axis has its " + tick + " tick");
        }
        Files.copy(html, Path.of("target", "report-fixture.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
        chromium.screenshot(html, png, 1280, 2400);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 30_000, "screenshot is only " + bytes.length + " bytes");
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        assertEquals('N', bytes[2]);
        assertEquals('G', bytes[3]);
    }

    @Test
    void reportWithMissingSectionsRendersWithZeroErrors() throws IOException {
        ObjectNode r = ResultFixtures.scenarioResult("20261201-220000-burst", 3, 1, 1.0);
        r.remove("series");
        r.remove("peer");
        r.remove("stages_ns_per_record");
        r.remove("profile");
        r.remove("cpu");
        r.put("throughput_rps", Double.NaN);
        Path html = dir.resolve("report.html");
        HtmlReport.write(r, null, null, html);
        String dom = chromium.dumpDom(html);
        assertEquals(null, attr(dom, "data-errors"));
        assertEquals(String.valueOf(HtmlReport.expectedCharts(r, null)), attr(dom, "data-charts"));
        assertEquals("1", attr(dom, "data-charts"), "only the latency distribution has data");
        assertTrue(dom.contains("Throughput over time: not measured"));
        assertTrue(dom.contains("GC pauses: not measured"));
        assertTrue(dom.contains("Peer comparison: not measured"));

        // nothing at all but the envelope
        ObjectNode bare = ResultFixtures.M.createObjectNode().put("kind", "velo-scenario-result").put("scenario", "empty");
        HtmlReport.write(bare, null, null, html);
        String dom2 = chromium.dumpDom(html);
        assertEquals(null, attr(dom2, "data-errors"));
        assertEquals("0", attr(dom2, "data-charts"));
    }

    @Test
    void aBrokenScriptIsRecordedAndShown() throws IOException {
        ObjectNode r = ResultFixtures.scenarioResult("x", 1, 2, 1.0);
        String page = HtmlReport.render(r, null, null);
        // corrupt the embedded data: the page must say so rather than show an empty page silently
        page = page.replaceFirst("(<script type=\"application/json\" id=\"report-data\">)\\{", "$1{oops");
        Path html = dir.resolve("broken.html");
        Files.writeString(html, page);
        String dom = chromium.dumpDom(html);
        String errors = attr(dom, "data-errors");
        assertTrue(errors != null && !errors.isEmpty(), "a JSON error must land in data-errors");
        assertTrue(dom.contains("Chart script error"), "and be shown on the page");
    }
}
