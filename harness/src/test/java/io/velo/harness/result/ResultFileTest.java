package io.velo.harness.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {
    @TempDir
    Path dir;

    private static ObjectNode valid() {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("kind", "velo-scenario-result");
        r.put("scenario", "sustained-load");
        r.putObject("machine").put("class", "amd64-x-2c-jdk17");
        r.putObject("gate").putObject("metrics").putObject("throughput_rps").put("direction", "higher").put("tolerance", 0.05);
        r.putArray("repetitions").addObject().put("throughput_rps", 100.0);
        r.putObject("latency_ms").put("p50", 1.5).put("p99", 3);
        r.put("verified", true);
        r.putArray("problems").add("none");
        return r;
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private String invalid(Path f) {
        ResultFile.Invalid e = assertThrows(ResultFile.Invalid.class, () -> ResultFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertEquals(f, e.file());
        return e.getMessage();
    }

    private String invalidWith(Consumer<ObjectNode> change) throws IOException {
        ObjectNode r = valid();
        change.accept(r);
        return invalid(file("r.json", r.toString()));
    }

    @Test
    void readsAValidResult() throws Exception {
        Path f = file("ok.json", valid().toString());
        assertEquals("sustained-load", ResultFile.read(f).get("scenario").asText());
        assertEquals("sustained-load", ResultFile.read(f, ResultFile.SCENARIO_KIND).get("scenario").asText());
    }

    @Test
    void missingFileEmptyFileAndDirectory() throws IOException {
        assertTrue(invalid(dir.resolve("nope.json")).contains("no such file"));
        assertTrue(invalid(file("empty.json", "  \n")).contains("empty file"));
        assertTrue(invalid(dir).contains("directory"));
    }

    @Test
    void truncatedJsonSaysWhere() throws IOException {
        String text = valid().toPrettyString();
        String m = invalid(file("cut.json", text.substring(0, text.length() / 2)));
        assertTrue(m.contains("not valid JSON or truncated at line "), m);
        assertTrue(m.matches("(?s).*line \\d+, column \\d+.*"), m);
        String m2 = invalid(file("junk.json", "{\"kind\": \"velo-scenario-result\",\n  \"scenario\": oops}"));
        assertTrue(m2.contains("line 2"), m2);
        assertTrue(invalid(file("trailing.json", valid() + " {}")).contains("not valid JSON"));
    }

    @Test
    void jmhOwnOutputIsNamed() throws IOException {
        String m = invalid(file("jmh.json", "[{\"jmhVersion\":\"1.37\",\"benchmark\":\"io.velo.X.y\",\"mode\":\"avgt\"}]"));
        assertTrue(m.contains("JMH's own output") && m.contains("result.json"), m);
        assertTrue(invalid(file("arr.json", "[1,2]")).contains("expected a JSON object"));
    }

    @Test
    void kinds() throws IOException {
        assertTrue(invalidWith(r -> r.remove("kind")).contains("no \"kind\" field"));
        String m = invalidWith(r -> r.put("kind", "velo-something"));
        assertTrue(m.contains("unknown kind \"velo-something\"") && m.contains("velo-jmh-result"), m);
        ObjectNode jmh = valid().put("kind", ResultFile.JMH_KIND);
        Path f = file("jmh-result.json", jmh.toString());
        ResultFile.Invalid e = assertThrows(ResultFile.Invalid.class, () -> ResultFile.read(f, ResultFile.SCENARIO_KIND));
        assertTrue(e.getMessage().contains("expected a scenario result") && e.getMessage().contains("micro-benchmark result"),
                e.getMessage());
        assertTrue(ResultFile.isKind(jmh, ResultFile.JMH_KIND));
        assertFalse(ResultFile.isKind(jmh, ResultFile.SCENARIO_KIND));
    }

    @Test
    void requiredFields() throws IOException {
        assertTrue(invalidWith(r -> r.remove("scenario")).contains("\"scenario\""));
        assertTrue(invalidWith(r -> r.put("scenario", "")).contains("\"scenario\""));
        assertTrue(invalidWith(r -> r.remove("machine")).contains("\"machine.class\""));
        assertTrue(invalidWith(r -> r.with("machine").remove("class")).contains("\"machine.class\""));
        assertTrue(invalidWith(r -> r.remove("repetitions")).contains("\"repetitions\""));
        assertTrue(invalidWith(r -> r.putArray("repetitions")).contains("non-empty"));
        assertTrue(invalidWith(r -> r.putArray("repetitions").add(3)).contains("repetitions[0]"));
        assertTrue(invalidWith(r -> r.remove("gate")).contains("\"gate.metrics\""));
        assertTrue(invalidWith(r -> r.with("gate").with("metrics").with("throughput_rps").put("direction", "up"))
                .contains("gate.metrics.throughput_rps.direction"));
        assertTrue(invalidWith(r -> r.with("gate").with("metrics").with("throughput_rps").put("tolerance", "5%"))
                .contains("gate.metrics.throughput_rps.tolerance"));
        assertTrue(invalidWith(r -> r.with("gate").put("alpha", 5)).contains("gate.alpha"));
    }

    @Test
    void writeReplacesAtomicallyAndAFailedWriteLeavesTheOldFile() throws Exception {
        Path f = dir.resolve("sub/result.json");
        ResultFile.write(valid(), f);
        String before = Files.readString(f);
        assertEquals("sustained-load", ResultFile.read(f).get("scenario").asText());
        ObjectNode broken = valid();
        broken.set("extra", new POJONode(new Object() {
            @SuppressWarnings("unused")
            public String getBoom() {
                throw new IllegalStateException("serialisation fails half way");
            }
        }));
        assertThrows(IOException.class, () -> ResultFile.write(broken, f));
        assertEquals(before, Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void flattenJoinsNestedKeysAndKeepsOnlyNumbers() {
        Map<String, Double> m = ResultFile.flatten(valid());
        assertEquals(1.5, m.get("latency_ms.p50"));
        assertEquals(3.0, m.get("latency_ms.p99"));
        assertEquals(0.05, m.get("gate.metrics.throughput_rps.tolerance"));
        assertFalse(m.containsKey("verified"));
        assertFalse(m.containsKey("scenario"));
        assertFalse(m.keySet().stream().anyMatch(k -> k.startsWith("repetitions") || k.startsWith("problems")));
        ObjectNode jmh = JsonNodeFactory.instance.objectNode();
        jmh.putObject("jmh").putObject("DecimalBenchmark.addDecimal").put("score", 12.1);
        assertEquals(Map.of("jmh.DecimalBenchmark.addDecimal.score", 12.1), ResultFile.flatten(jmh));
    }
}
