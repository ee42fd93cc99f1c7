package io.velo.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's content and safety, without a browser. */
class HtmlReportTest {
    static String embedded(String page) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "the data is embedded");
        return m.group(1);
    }

    @Test
    void selfContainedNoNetwork() {
        ObjectNode base = ResultFixtures.scenarioResult("b", 2, 5, 1.0);
        ObjectNode now = ResultFixtures.scenarioResult("n", 3, 5, 0.9);
        String page = HtmlReport.render(now, base, ResultFixtures.gateVerdicts(base, now));
        assertFalse(page.contains("<link"), "no stylesheets or fonts fetched");
        assertFalse(Pattern.compile("<script[^>]+src=").matcher(page).find(), "no external scripts");
        assertFalse(page.contains("@import") || page.contains("url("), "no CSS fetches");
        // the only absolute URL is the SVG namespace name, which is never fetched
        assertEquals(page.split("http", -1).length - 1, page.split("http://www.w3.org/2000/svg", -1).length - 1);
        assertTrue(page.contains("href=\"flame-cpu.html\""));
        assertTrue(page.contains("href=\"flame-alloc.html\""));
        assertTrue(page.contains("Verdict: REGRESSION"));
        assertTrue(page.contains("<span class=\"badge MISSING\">MISSING</span>"));
        assertTrue(page.contains("filter_projection"));
        assertEquals(7, HtmlReport.CHARTS.length);
        for (String[] c : HtmlReport.CHARTS) {
            assertTrue(page.contains("id=\"chart-" + c[0] + "\""), c[0]);
        }
    }

    @Test
    void stringsAreEscapedAndEmbeddedDataRoundTrips() throws Exception {
        ObjectNode r = ResultFixtures.scenarioResult("</script><script>alert(1)</script>", 4, 2, 1.0);
        r.put("scenario", "<img src=x onerror=alert(2)>");
        r.putArray("problems").add("count mismatch: <b>12</b> & more");
        r.put("verified", false);
        r.put("alloc_rate_mb_s", Double.NaN);
        r.with("profile").put("cpu", "javascript:alert(3)");
        String page = HtmlReport.render(r, null, null);
        assertFalse(page.contains("<img src=x"), "scenario escaped");
        assertFalse(page.contains("<script>alert(1)"), "run id escaped, also inside the JSON");
        assertFalse(page.contains("<b>12</b>"));
        assertFalse(page.contains("href=\"javascript"), "a non-relative profile link is dropped");
        assertFalse(page.contains("CPU flame graph"));
        assertTrue(page.contains("&lt;img src=x onerror=alert(2)&gt;"));
        assertTrue(page.contains("NOT VERIFIED"));
        JsonNode data = ResultFixtures.M.readTree(embedded(page));
        assertEquals("</script><script>alert(1)</script>", data.path("result").path("run_id").asText());
        assertTrue(data.path("result").path("alloc_rate_mb_s").isNull(), "NaN is embedded as null, keeping the JSON valid");
        assertEquals(r.get("latency_distribution"), data.path("result").path("latency_distribution"));
        assertTrue(data.path("baseline").isNull());
    }

    @Test
    void generatorLimitedAndScenarioMismatchAreVisible() {
        ObjectNode base = ResultFixtures.scenarioResult("b", 2, 3, 1.0);
        base.put("scenario", "burst");
        ObjectNode now = ResultFixtures.scenarioResult("n", 3, 3, 1.0);
        now.with("cpu").put("generator_limited", true).put("achieved_send_rate", 14200.0);
        String page = HtmlReport.render(now, base, Comparison.verdicts(base, now));
        assertTrue(page.contains("The load generator was the limit"));
        assertTrue(page.contains("achieved 14,200 records/s of 20,000"));
        assertTrue(page.contains("YES — the load generator was the limit"));
        assertTrue(page.contains("Different scenarios: this run is &#39;sustained-load&#39;, the baseline is &#39;burst&#39;"));
        assertTrue(page.contains(Comparison.METHOD));
    }

    @Test
    void expectedChartsFollowsTheData() {
        ObjectNode r = ResultFixtures.scenarioResult("n", 3, 3, 1.0);
        assertEquals(7, HtmlReport.expectedCharts(r, null));
        r.remove("peer");
        r.with("series").remove("gc_pause_ms");
        assertEquals(5, HtmlReport.expectedCharts(r, null));
        r.remove("series");
        assertEquals(2, HtmlReport.expectedCharts(r, null));
    }

    @Test
    void jmhResultsGetTheirTable() {
        ObjectNode base = jmh(12.0, 12.4, 12.2);
        ObjectNode now = jmh(13.5, 13.9, 13.7);
        ArrayNode v = Comparison.verdicts(base, now);
        String page = HtmlReport.render(now, base, v);
        assertTrue(page.contains("DecimalBenchmark.addDecimal"));
        assertTrue(page.contains("Micro-benchmarks"));
        assertEquals("REGRESSION", v.get(0).get("status").asText());
    }

    static ObjectNode jmh(double... scores) {
        ObjectNode r = ResultFixtures.M.createObjectNode();
        r.put("kind", "velo-jmh-result").put("scenario", "micro").put("run_id", "micro-1");
        r.putObject("jmh").putObject("DecimalBenchmark.addDecimal").put("score", scores[1]).put("unit", "ns/op").put("mode", "avgt")
                .put("alloc_bytes_per_op", 0.0);
        r.putObject("gate").putObject("metrics").putObject("jmh.DecimalBenchmark.addDecimal.score").put("direction", "lower").put("tolerance", 0.05);
        ArrayNode reps = r.putArray("repetitions");
        for (double s : scores) {
            reps.addObject().putObject("jmh").putObject("DecimalBenchmark.addDecimal").put("score", s);
        }
        return r;
    }
}
