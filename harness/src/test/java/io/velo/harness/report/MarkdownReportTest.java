package io.velo.harness.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
    @Test
    void headlineVerdictsSummaryPeerAndLinks() {
        ObjectNode base = ResultFixtures.scenarioResult("20261201-201500-sustained-load", 2, 5, 1.0);
        ObjectNode now = ResultFixtures.scenarioResult("20261201-211500-sustained-load", 3, 5, 0.9);
        String md = MarkdownReport.render(now, base, ResultFixtures.gateVerdicts(base, now));
        assertTrue(md.startsWith("# Velo benchmark report: sustained-load\n"));
        assertTrue(md.contains("**Verdict: REGRESSION** — 2 of 5 gated metrics regressed"), md);
        assertTrue(md.contains("| `cpu_ns_per_record` | REGRESSION |"));
        assertTrue(md.contains("| `alloc_bytes_per_record` | MISSING | — |"));
        assertTrue(md.contains("| Throughput (records/s) | 19,"));
        assertTrue(md.contains("## Velo vs Kafka Streams"));
        assertTrue(md.contains("| `filter_projection` | 370,800 | 231,000 | 1.61× | yes |"), md);
        assertTrue(md.contains("- [CPU flame graph](flame-cpu.html)"));
        assertTrue(md.contains("- [report.html](report.html)"));
        assertTrue(md.contains("| Generator limited | no |"));
    }

    @Test
    void notVerifiedAndEscaping() {
        ObjectNode r = ResultFixtures.scenarioResult("r|1", 2, 1, 1.0);
        r.put("verified", false);
        r.putArray("problems").add("2 records lost | <b>");
        r.remove("peer");
        String md = MarkdownReport.render(r, null, null);
        assertTrue(md.contains("**NOT VERIFIED: the output check failed**"));
        assertTrue(md.contains("2 records lost \\| \\<b\\>"));
        assertTrue(md.contains("`r\\|1`"));
        assertFalse(md.contains("## Verdicts"));
        assertFalse(md.contains("Kafka Streams"));
    }
}
