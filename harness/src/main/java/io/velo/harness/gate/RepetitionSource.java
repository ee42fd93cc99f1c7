package io.velo.harness.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a scenario for the gate's self-test. The scenario runner implements this (the gate only does the
 * statistics) and registers it with {@link SelfTest#source(RepetitionSource)} at start-up, or through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.velo.harness.gate.RepetitionSource}).
 */
public interface RepetitionSource {
    /**
     * Runs the scenario {@code repetitions} times with the given injection.
     *
     * @return one repetition object per run, in the result format (docs/results.md, {@code repetitions[i]})
     */
    List<ObjectNode> run(Path scenario, Injection injection, int repetitions) throws Exception;

    /**
     * The scenario's gate settings, shaped like a result's {@code gate} field:
     * {@code {"metrics": {"throughput_rps": {"direction": "higher", "tolerance": 0.05}, …}, "alpha": 0.05}}.
     * This default reads the top-level {@code gate} mapping of the scenario YAML; a runner whose scenario
     * format differs overrides it.
     */
    default ObjectNode gate(Path scenario) throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(scenario.toFile());
        JsonNode gate = root == null ? null : root.get("gate");
        if (gate == null || !gate.isObject() || !gate.path("metrics").isObject()) {
            throw new IllegalArgumentException(scenario + ": no gate.metrics mapping (metric: {direction, tolerance})");
        }
        return (ObjectNode) gate;
    }
}
