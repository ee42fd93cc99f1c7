package io.velo.harness.gate;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The gate's outputs besides the terminal lines: a Markdown summary (for CI job summaries and
 * pull-request comments) and JUnit XML (so CI lists each gated metric as a test case).
 */
public final class GateReport {
    private GateReport() {
    }

    /**
     * What the gate found for one result file: its verdicts and warnings, or the input error that kept
     * it from being compared ({@code error} non-null, verdicts empty).
     */
    public record Entry(Path result, String scenario, Path baseline, List<String> warnings, List<Verdict> verdicts,
                        String error) {
        public static Entry failed(Path result, String scenario, String error) {
            return new Entry(result, scenario, null, List.of(), List.of(), error);
        }
    }

    /** REGRESSION if any metric regressed, ERROR if any input was unusable (and nothing regressed), else PASS. */
    public static String overall(List<Entry> entries) {
        boolean regression = entries.stream().anyMatch(e -> Gate.anyRegression(e.verdicts()));
        boolean error = entries.stream().anyMatch(e -> e.error() != null
                || e.verdicts().stream().anyMatch(v -> v.status() == Verdict.Status.ERROR));
        return regression ? "REGRESSION" : error ? "ERROR" : "PASS";
    }

    private static long count(List<Entry> entries, Verdict.Status s) {
        return entries.stream().flatMap(e -> e.verdicts().stream()).filter(v -> v.status() == s).count();
    }

    /** The headline: overall verdict and counts. */
    public static String headline(List<Entry> entries) {
        String overall = overall(entries);
        String icon = switch (overall) {
            case "PASS" -> "✅";
            case "REGRESSION" -> "❌";
            default -> "⚠️";
        };
        long failedInputs = entries.stream().filter(e -> e.error() != null).count();
        return String.format(Locale.ROOT, "%s **Gate: %s** — %d regression(s), %d improvement(s), %d pass, %d missing, %d error(s) in %d result(s)",
                icon, overall, count(entries, Verdict.Status.REGRESSION), count(entries, Verdict.Status.IMPROVEMENT),
                count(entries, Verdict.Status.PASS), count(entries, Verdict.Status.MISSING),
                count(entries, Verdict.Status.ERROR) + failedInputs, entries.size());
    }

    public static String markdown(List<Entry> entries) {
        StringBuilder md = new StringBuilder();
        md.append("## Velo regression gate\n\n").append(headline(entries)).append("\n");
        for (Entry e : entries) {
            md.append("\n### ").append(escape(e.scenario())).append("\n\n");
            md.append("Result `").append(e.result()).append('`');
            if (e.baseline() != null) {
                md.append(" against baseline `").append(e.baseline()).append('`');
            }
            md.append("\n\n");
            if (e.error() != null) {
                md.append("**Not compared:** ").append(escape(e.error())).append("\n");
                continue;
            }
            for (String w : e.warnings()) {
                md.append("> ").append(escape(w)).append("\n\n");
            }
            md.append("| Status | Metric | Baseline | New | Change | Tolerance | p | n (base/new) |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
            List<String> notes = new ArrayList<>();
            for (Verdict v : e.verdicts()) {
                String unit = v.unit().isEmpty() ? "" : " " + v.unit();
                md.append("| ").append(badge(v.status())).append(" | `").append(v.metric()).append("` | ")
                        .append(Double.isNaN(v.baselineMedian()) ? "—" : Verdict.number(v.baselineMedian()) + unit).append(" | ")
                        .append(Double.isNaN(v.newMedian()) ? "—" : Verdict.number(v.newMedian()) + unit).append(" | ")
                        .append(Verdict.percent(v.change())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f%%", v.tolerance() * 100)).append(" | ")
                        .append(Verdict.pValueText(v.pValue())).append(" | ")
                        .append(v.nBase()).append('/').append(v.nNew()).append(" |\n");
                if (!v.note().isEmpty()) {
                    notes.add("`" + v.metric() + "`: " + escape(v.note()));
                }
            }
            if (!notes.isEmpty()) {
                md.append('\n');
                notes.forEach(n -> md.append("- ").append(n).append('\n'));
            }
        }
        md.append("\nA metric regresses only when its change in the bad direction is significant "
                + "(one-sided Mann–Whitney U, p < alpha) and larger than its tolerance.\n");
        return md.toString();
    }

    private static String badge(Verdict.Status s) {
        return switch (s) {
            case REGRESSION -> "❌ REGRESSION";
            case IMPROVEMENT -> "🚀 IMPROVEMENT";
            case PASS -> "✅ PASS";
            case MISSING -> "➖ MISSING";
            case ERROR -> "⚠️ ERROR";
        };
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** JUnit XML: one testsuite per result (named by scenario), one testcase per gated metric. */
    public static String junitXml(List<Entry> entries) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            suites.setAttribute("name", "velo bench gate");
            doc.appendChild(suites);
            int tests = 0;
            int failures = 0;
            int errors = 0;
            int skipped = 0;
            for (Entry e : entries) {
                Element suite = doc.createElement("testsuite");
                suite.setAttribute("name", e.scenario());
                suites.appendChild(suite);
                int sTests = 0;
                int sFailures = 0;
                int sErrors = 0;
                int sSkipped = 0;
                if (e.error() != null) {
                    Element tc = testcase(doc, e.scenario(), "baseline");
                    Element err = doc.createElement("error");
                    err.setAttribute("message", e.error());
                    err.setAttribute("type", "input");
                    err.setTextContent(e.error());
                    tc.appendChild(err);
                    suite.appendChild(tc);
                    sTests++;
                    sErrors++;
                }
                for (Verdict v : e.verdicts()) {
                    Element tc = testcase(doc, e.scenario(), v.metric());
                    sTests++;
                    switch (v.status()) {
                        case REGRESSION -> {
                            Element f = doc.createElement("failure");
                            f.setAttribute("message", v.line());
                            f.setAttribute("type", "regression");
                            f.setTextContent(v.line());
                            tc.appendChild(f);
                            sFailures++;
                        }
                        case MISSING -> {
                            Element s = doc.createElement("skipped");
                            s.setAttribute("message", v.note());
                            tc.appendChild(s);
                            sSkipped++;
                        }
                        case ERROR -> {
                            Element f = doc.createElement("error");
                            f.setAttribute("message", v.note());
                            f.setAttribute("type", "missing-metric");
                            tc.appendChild(f);
                            sErrors++;
                        }
                        default -> {
                            Element out = doc.createElement("system-out");
                            out.setTextContent(v.line());
                            tc.appendChild(out);
                        }
                    }
                    suite.appendChild(tc);
                }
                for (String w : e.warnings()) {
                    Element err = doc.createElement("system-err");
                    err.setTextContent(w);
                    suite.appendChild(err);
                }
                suite.setAttribute("tests", Integer.toString(sTests));
                suite.setAttribute("failures", Integer.toString(sFailures));
                suite.setAttribute("errors", Integer.toString(sErrors));
                suite.setAttribute("skipped", Integer.toString(sSkipped));
                tests += sTests;
                failures += sFailures;
                errors += sErrors;
                skipped += sSkipped;
            }
            suites.setAttribute("tests", Integer.toString(tests));
            suites.setAttribute("failures", Integer.toString(failures));
            suites.setAttribute("errors", Integer.toString(errors));
            suites.setAttribute("skipped", Integer.toString(skipped));
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("the JDK's XML support failed", e);
        }
    }

    private static Element testcase(Document doc, String scenario, String name) {
        Element tc = doc.createElement("testcase");
        tc.setAttribute("classname", "velo.gate." + scenario);
        tc.setAttribute("name", name);
        tc.setAttribute("time", "0");
        return tc;
    }
}
