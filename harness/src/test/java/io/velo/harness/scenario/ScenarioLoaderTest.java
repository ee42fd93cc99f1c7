package io.velo.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.scenario.Scenario.CheckType;
import io.velo.harness.scenario.Scenario.DecimalField;
import io.velo.harness.scenario.Scenario.Direction;
import io.velo.harness.scenario.Scenario.EnumField;
import io.velo.harness.scenario.Scenario.EventTimeField;
import io.velo.harness.scenario.Scenario.KeyField;
import io.velo.harness.scenario.Scenario.ProcessMode;
import io.velo.harness.scenario.Scenario.TotalsMode;
import io.velo.harness.scenario.Scenario.Type;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioLoaderTest {
    static Path resource(String name) {
        try {
            return Path.of(ScenarioLoaderTest.class.getResource("/scenarios/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void loadsEveryKeyOfTheFullExample() throws Exception {
        Path file = resource("sustained-load.yaml");
        Scenario s = ScenarioLoader.load(file);
        assertEquals("sustained-load", s.name());
        assertEquals(Type.KAFKA, s.type());
        assertEquals(file.getParent().resolve("sql/filter_projection.sql"), s.sqlPath());
        assertEquals("trades", s.source());
        assertEquals("big_trades", s.sink());
        assertEquals("low_latency", s.strategy().orElseThrow());
        assertEquals(Map.of("batch.low_latency_wait", "1ms"), s.set());
        assertEquals(ProcessMode.FORK, s.processes().generator());
        assertEquals(ProcessMode.INLINE, s.processes().broker());
        assertEquals(3, s.kafka().partitions());
        assertEquals(2, s.kafka().producers());
        assertEquals(Map.of("linger.ms", "1", "acks", "all"), s.kafka().producer());
        assertEquals("512m", s.jvm().heap().orElseThrow());
        assertEquals(List.of("-XX:+UseG1GC"), s.jvm().options());

        assertEquals(42, s.generator().seed());
        assertEquals(0.001, s.generator().malformedFraction());
        assertEquals(8, s.generator().fields().size());
        assertEquals("account", s.generator().kafkaKey().orElseThrow(), "the key field is the default Kafka key");
        EnumField symbol = (EnumField) s.generator().field("symbol").orElseThrow();
        assertEquals(List.of("AAPL", "MSFT", "GOOG"), symbol.values());
        assertEquals(List.of(30.0, 20.0, 10.0), symbol.weights());
        KeyField account = (KeyField) s.generator().field("account").orElseThrow();
        assertEquals(1000, account.cardinality());
        assertEquals("acct-", account.prefix().orElseThrow());
        DecimalField price = (DecimalField) s.generator().field("price").orElseThrow();
        assertEquals(new BigDecimal("999.9999"), price.max());
        assertEquals(4, price.scale());
        EventTimeField et = (EventTimeField) s.generator().field("event_time").orElseThrow();
        assertEquals(Duration.ofMillis(1), et.step());
        assertEquals(0.01, et.outOfOrderFraction());
        assertEquals(Duration.ofMillis(500), et.maxDelay());

        assertEquals(20000, s.load().rate().getAsLong());
        assertFalse(s.load().isMax());
        assertEquals(Duration.ofSeconds(30), s.load().duration());
        assertEquals(Duration.ofSeconds(5), s.load().warmup());
        assertEquals(Duration.ofSeconds(2), s.load().rampUp());
        assertEquals(1, s.load().bursts().size());
        assertEquals(Duration.ofSeconds(10), s.load().bursts().get(0).at());
        assertEquals(100000, s.load().bursts().get(0).rate());
        assertEquals(3, s.repetitions());
        assertEquals(CheckType.IDS, s.check().type());
        assertEquals("trade_id", s.check().idField().orElseThrow());
        assertEquals(">", s.check().where().get(0).op().symbol());
        assertEquals(List.of("throughput_rps", "latency_ms.p99"), List.copyOf(s.gateMetrics().keySet()));
        assertEquals(Direction.LOWER, s.gateMetrics().get("latency_ms.p99").direction());
        assertEquals(0.15, s.gateMetrics().get("latency_ms.p99").tolerance());

        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(file));
        md.update(Files.readAllBytes(s.sqlPath()));
        assertEquals(HexFormat.of().formatHex(md.digest()), s.hash());

        ObjectNode json = s.toJson();
        assertEquals(30.0, json.get("duration_s").asDouble());
        assertEquals(20000, json.get("rate").asLong());
        assertEquals("sql/filter_projection.sql", json.get("sql").asText());
        assertEquals(8, json.get("generator").get("fields").size());
        assertEquals("500ms", json.get("generator").get("fields").get(6).get("out_of_order").get("max_delay").asText());
        assertEquals(s.hash(), json.get("scenario_hash").asText());
    }

    @Test
    void fillsDefaultsAndReadsTotalsChecks() {
        Scenario s = ScenarioLoader.load(resource("volume-per-account.yaml"));
        assertEquals(Type.KAFKA, s.type());
        assertTrue(s.strategy().isEmpty());
        assertEquals(new Scenario.Processes(ProcessMode.FORK, ProcessMode.FORK), s.processes());
        assertEquals(3, s.kafka().partitions());
        assertEquals(1, s.kafka().producers());
        assertTrue(s.jvm().heap().isEmpty());
        assertTrue(s.load().isMax());
        assertTrue(s.load().rate().isEmpty());
        assertEquals(10.0, s.load().slo().orElseThrow().p99Ms());
        assertEquals(new Scenario.Search(1000, 2.0, 5), s.load().search());
        assertEquals(Duration.ofSeconds(5), s.load().warmup());
        assertEquals(Duration.ZERO, s.load().rampUp());
        assertEquals(3, s.repetitions());
        assertEquals(CheckType.TOTALS, s.check().type());
        assertEquals(TotalsMode.FINAL_PER_KEY, s.check().mode());
        assertEquals("trades", s.check().countOutput().orElseThrow());
        assertEquals(2, s.check().sums().size());
        assertEquals(List.of("throughput_rps", "cpu_ns_per_record", "latency_ms.p99", "alloc_bytes_per_record"),
                List.copyOf(s.gateMetrics().keySet()), "default gate metrics");
        assertEquals(0.05, s.gate().alpha());
        assertEquals(2, s.crash().orElseThrow().kills());
        assertEquals("KILL", s.crash().orElseThrow().signal());
        assertEquals(Duration.ofSeconds(3), s.crash().orElseThrow().every());
        assertEquals(List.of("at_least_once", "transactional"), s.compareModes());
        assertEquals(List.of(1, 2), s.scale().orElseThrow().threads());
        assertTrue(((EventTimeField) s.generator().field("event_time").orElseThrow()).iso());
        assertEquals("max", s.toJson().get("rate").asText());
    }

    @Test
    void pipelinesNeedNeitherSqlNorGenerator() {
        Scenario s = ScenarioLoader.load(resource("engine-pipelines.yaml"));
        assertEquals(Type.PIPELINES, s.type());
        assertNull(s.sqlPath());
        assertEquals(List.of("select", "filter"), s.kinds());
        assertEquals(CheckType.NONE, s.check().type());
        assertEquals(5, s.repetitions());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad-syntax        | 12 | 15 | YAML syntax error: mapping values are not allowed here",
        "bad-unknown-key   | 30 | 3  | unknown key 'load.duraton'; did you mean 'duration'?",
        "bad-type          | 11 | 15 | 'kafka.partitions' must be an integer, not a string ('three')",
        "bad-missing-key   | 1  | 1  | missing required key 'sink'",
        "bad-duration      | 30 | 13 | 'load.duration': bad duration '30x'",
        "bad-enum-value    | 9  | 24 | bad value 'forked' for 'processes.generator' (expected one of: fork, inline); did you mean 'fork'?",
        "bad-negative-rate | 29 | 9  | 'load.rate' must be positive, not -5",
        "bad-min-max       | 24 | 41 | min 1000 is greater than max 1",
        "bad-field-type    | 24 | 30 | unknown field type 'integer'",
        "bad-cardinality   | 22 | 47 | 'generator.fields[2].cardinality' must be positive, not 0",
        "bad-weight        | 21 | 69 | weight of 'GOOG' must be greater than 0, not 0",
        "bad-sql-missing   | 4  | 6  | SQL file not found: sql/no_such.sql",
        "bad-check-field   | 38 | 19 | check refers to field 'qty', which the generator does not produce",
        "bad-max-no-slo    | 29 | 9  | 'rate: max' needs a latency objective",
        "bad-name          | 1  | 7  | name 'sustained_load' must equal the file name without .yaml ('bad-name')",
    })
    void pointsAtTheOffendingKeyOrValue(String file, int line, int col, String message) {
        Path path = resource(file + ".yaml");
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(path));
        assertEquals(line + ":" + col, e.line() + ":" + e.col(), e.getMessage());
        assertTrue(e.getMessage().startsWith(path + ":" + line + ":" + col + ": error: "), e.getMessage());
        assertTrue(e.detail().contains(message), e.getMessage());
    }

    @Test
    void formatShowsTheLineAndACaret() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(resource("bad-duration.yaml")));
        String[] lines = e.format().split("\n");
        assertEquals(e.getMessage(), lines[0]);
        assertEquals("  duration: 30x", lines[1]);
        assertEquals("            ^", lines[2]);
    }

    @Test
    void overridesReplaceDurationRateAndRepetitions() {
        Path file = resource("sustained-load.yaml");
        Scenario s = ScenarioLoader.load(file, Map.of("load.duration", "5s", "load.rate", "1234", "repetitions", "7"));
        assertEquals(Duration.ofSeconds(5), s.load().duration());
        assertEquals(1234, s.load().rate().getAsLong());
        assertEquals(7, s.repetitions());
        assertTrue(s.load().bursts().isEmpty(), "the burst at 10s is past the overridden 5s");
        assertEquals(ScenarioLoader.load(file).hash(), s.hash(), "the hash is of the files");

        Scenario max = ScenarioLoader.load(resource("volume-per-account.yaml"), Map.of("load.rate", "500"));
        assertEquals(500, max.load().rate().getAsLong());
    }

    @Test
    void badOverridesNameTheOption() {
        Path file = resource("sustained-load.yaml");
        assertEquals("--duration: error: bad duration '5x' (expected a number and a unit: ns, us, ms, s, m, h or d, e.g. 30s or 500ms)",
                assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("load.duration", "5x"))).getMessage());
        assertEquals("--rate: error: rate max needs a latency objective, load.slo.p99_ms, in the scenario file",
                assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("load.rate", "max"))).getMessage());
        assertEquals("--rate: error: must be positive, not 0",
                assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("load.rate", "0"))).getMessage());
        assertEquals("--repetitions: error: expected a positive integer, not 'two'",
                assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("repetitions", "two"))).getMessage());
        assertTrue(assertThrows(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("load.warmup", "1s")))
                .getMessage().startsWith("load.warmup: error: unknown override"));
    }

    /** Writes {@code name}.yaml (with the test SQL beside it) and loads it. */
    static Scenario loadText(Path dir, String name, String yaml) throws Exception {
        Files.createDirectories(dir.resolve("sql"));
        Files.copy(resource("sql/filter_projection.sql"), dir.resolve("sql/filter_projection.sql"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return ScenarioLoader.load(f);
    }

    static final String HEAD = "name: t\nsql: sql/filter_projection.sql\nsource: trades\nsink: big_trades\nload: {rate: 10}\n";

    private static ScenarioException fails(Path dir, String yaml) {
        return assertThrows(ScenarioException.class, () -> loadText(dir, "t", yaml));
    }

    @Test
    void moreErrorsPointAtTheirKey(@TempDir Path dir) {
        String gen = "generator:\n  fields:\n    - {name: id, type: sequence}\n    - {name: q, type: long, min: 1, max: 9}\n";
        ScenarioException e = fails(dir, HEAD + gen + "check: {type: ids, id_field: q}\n");
        assertEquals("t.yaml:10:30", pos(e));
        assertTrue(e.detail().contains("must be the sequence field"), e.getMessage());

        e = fails(dir, HEAD + gen + "check: {type: none}\n");
        assertTrue(e.detail().contains("needs a 'reason'"), e.getMessage());
        assertEquals("t.yaml:10:15", pos(e));

        e = fails(dir, HEAD + gen + "check: {type: ids, id_field: id, where: [{field: q, op: '~', value: 3}]}\n");
        assertTrue(e.detail().startsWith("bad operator '~'"), e.getMessage());

        e = fails(dir, HEAD + gen + "check: {type: ids, id_field: id}\nrepetitions: 0\n");
        assertEquals("t.yaml:11:14", pos(e));
        assertEquals("'repetitions' must be at least 1, not 0", e.detail());

        e = fails(dir, HEAD + gen + "check: {type: ids, id_field: id}\ncheck: {type: none}\n");
        assertTrue(e.detail().startsWith("duplicate key 'check'"), e.getMessage());
        assertEquals("t.yaml:11:1", pos(e));

        e = fails(dir, HEAD + gen + "chek: {type: ids, id_field: id}\n");
        assertEquals("unknown key 'chek'; did you mean 'check'?", e.detail());

        e = fails(dir, HEAD + "generator:\n  fields:\n    - {name: p, type: decimal, scale: 2, min: '1.005', max: 2}\n"
                + "check: {type: none, reason: r}\n");
        assertTrue(e.detail().contains("has more than 2 decimals"), e.getMessage());
        assertEquals("t.yaml:8:47", pos(e));

        e = fails(dir, HEAD + "generator:\n  fields:\n    - {name: s, type: enum, values: [A, B]}\n"
                + "check: {type: totals, count: {output: n}, where: [{field: s, op: '=', value: C}]}\n");
        assertTrue(e.detail().startsWith("'C' is not a value of the enum field 's'"), e.getMessage());

        e = fails(dir, HEAD + "generator:\n  fields:\n    - {name: s, type: send_time}\n"
                + "check: {type: totals, count: {output: n}, where: [{field: s, op: '>', value: 1}]}\n");
        assertTrue(e.detail().contains("cannot test the send_time field"), e.getMessage());

        e = fails(dir, "name: t\nsql: sql/filter_projection.sql\nsource: nope\n");
        assertEquals("source stream 'nope' is not named in sql/filter_projection.sql", e.detail());

        e = fails(dir, "");
        assertEquals("t.yaml:1:1: error: empty scenario file", e.getMessage().substring(e.getMessage().indexOf("t.yaml")));
    }

    @Test
    void theReadmeExamplesLoad(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "scenarios", "README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(readme);
        Files.createDirectories(dir.resolve("sql"));
        for (String sql : List.of("filter_projection.sql", "volume_per_account.sql")) {
            Files.copy(resource("sql/" + sql), dir.resolve("sql/" + sql));
        }
        int examples = 0;
        while (m.find()) {
            String yaml = m.group(1);
            String name = yaml.substring(yaml.indexOf("name: ") + 6, yaml.indexOf('\n'));
            Path f = dir.resolve(name + ".yaml");
            Files.writeString(f, yaml);
            Scenario s = ScenarioLoader.load(f);
            assertEquals(name, s.name());
            examples++;
        }
        assertEquals(2, examples);
    }

    private static String pos(ScenarioException e) {
        return Path.of(e.file()).getFileName() + ":" + e.line() + ":" + e.col();
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us"));
        for (String bad : new String[] {"30x", "30", "", "s", "-1s", "1.5ns"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }
}
