package io.velo.harness.result;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading, validating and writing result files (docs/results.md). Every reader of results goes
 * through {@link #read(Path)} so that a wrong file (JMH's raw JSON, a truncated write, a result
 * of another kind) is named with what is wrong instead of surfacing later as a missing metric.
 */
public final class ResultFile {
    /** {@code kind} of a scenario result written by {@code bench run}. */
    public static final String SCENARIO_KIND = "velo-scenario-result";
    /** {@code kind} of a micro-benchmark result written by {@code bench micro}. */
    public static final String JMH_KIND = "velo-jmh-result";
    /** The kinds {@link #read(Path)} accepts. */
    public static final List<String> KINDS = List.of(SCENARIO_KIND, JMH_KIND);

    /** Jackson configured strictly: trailing garbage after the object is an error, not ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFile() {
    }

    /** A result file that cannot be used; the message names the file and what is wrong. */
    public static final class Invalid extends Exception {
        private final transient Path file;

        public Invalid(Path file, String problem) {
            super(file + ": " + problem);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    /** Reads and validates a result file of any accepted kind. */
    public static ObjectNode read(Path file) throws Invalid {
        JsonNode root = parse(file);
        if (root.isArray() && root.size() > 0 && root.get(0).isObject() && root.get(0).has("benchmark")) {
            throw new Invalid(file, "this is JMH's own output, not a Velo result file; pass the result.json that"
                    + " `bench micro` writes beside it");
        }
        if (!root.isObject()) {
            throw new Invalid(file, "expected a JSON object (a Velo result file), found " + describe(root));
        }
        ObjectNode result = (ObjectNode) root;
        JsonNode kind = result.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new Invalid(file, "no \"kind\" field; a result file has \"kind\": one of " + KINDS);
        }
        if (!KINDS.contains(kind.asText())) {
            throw new Invalid(file, "unknown kind \"" + kind.asText() + "\"; accepted kinds: " + KINDS);
        }
        validate(file, result);
        return result;
    }

    /** Reads and validates a result file that must be of the given kind. */
    public static ObjectNode read(Path file, String expectedKind) throws Invalid {
        ObjectNode result = read(file);
        expectKind(result, file, expectedKind);
        return result;
    }

    /** Whether the result is of the given kind. */
    public static boolean isKind(JsonNode result, String kind) {
        return kind.equals(result.path("kind").asText(null));
    }

    /** Fails with a clear message when a result of another kind is given where {@code kind} is expected. */
    public static void expectKind(JsonNode result, Path file, String kind) throws Invalid {
        if (!isKind(result, kind)) {
            throw new Invalid(file, "expected a " + describeKind(kind) + " (kind \"" + kind + "\") but this is a "
                    + describeKind(result.path("kind").asText("?")) + " (kind \"" + result.path("kind").asText("?") + "\")");
        }
    }

    private static String describeKind(String kind) {
        return switch (kind) {
            case SCENARIO_KIND -> "scenario result (bench run)";
            case JMH_KIND -> "micro-benchmark result (bench micro)";
            default -> "result";
        };
    }

    private static JsonNode parse(Path file) throws Invalid {
        if (Files.isDirectory(file)) {
            throw new Invalid(file, "is a directory, not a result file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Invalid(file, "no such file");
        } catch (IOException e) {
            throw new Invalid(file, "cannot read: " + e.getMessage());
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new Invalid(file, "empty file (an interrupted write?)");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new Invalid(file, "not valid JSON or truncated" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(file, "cannot read: " + e.getMessage());
        }
    }

    private static void validate(Path file, ObjectNode r) throws Invalid {
        JsonNode scenario = r.get("scenario");
        if (scenario == null || !scenario.isTextual() || scenario.asText().isBlank()) {
            throw new Invalid(file, "missing required field \"scenario\" (a non-empty string)");
        }
        JsonNode mclass = r.path("machine").get("class");
        if (mclass == null || !mclass.isTextual() || mclass.asText().isBlank()) {
            throw new Invalid(file, "missing required field \"machine.class\" (a non-empty string)");
        }
        JsonNode reps = r.get("repetitions");
        if (reps == null || !reps.isArray() || reps.isEmpty()) {
            throw new Invalid(file, "missing required field \"repetitions\" (a non-empty array of repetition objects)");
        }
        for (int i = 0; i < reps.size(); i++) {
            if (!reps.get(i).isObject()) {
                throw new Invalid(file, "repetitions[" + i + "] is " + describe(reps.get(i)) + ", expected an object");
            }
        }
        JsonNode metrics = r.path("gate").get("metrics");
        if (metrics == null || !metrics.isObject()) {
            throw new Invalid(file, "missing required field \"gate.metrics\" (an object of metric -> {direction, tolerance})");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            String dir = m.getValue().path("direction").asText("");
            if (!dir.equals("higher") && !dir.equals("lower")) {
                throw new Invalid(file, "gate.metrics." + m.getKey() + ".direction must be \"higher\" or \"lower\", got "
                        + describe(m.getValue().get("direction")));
            }
            JsonNode tol = m.getValue().get("tolerance");
            if (tol == null || !tol.isNumber() || tol.asDouble() < 0 || !Double.isFinite(tol.asDouble())) {
                throw new Invalid(file, "gate.metrics." + m.getKey() + ".tolerance must be a number >= 0 (a fraction, 0.05 = 5%), got "
                        + describe(tol));
            }
        }
        JsonNode alpha = r.path("gate").get("alpha");
        if (alpha != null && !alpha.isNull() && (!alpha.isNumber() || alpha.asDouble() <= 0 || alpha.asDouble() >= 1)) {
            throw new Invalid(file, "gate.alpha must be a number between 0 and 1, got " + describe(alpha));
        }
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "the string \"" + n.asText() + "\"";
        }
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " " + n;
    }

    /**
     * Writes the result atomically: into a temporary file in the target directory, then moved over
     * the target, so a failed or interrupted write leaves the previous file intact.
     */
    public static void write(JsonNode result, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), result);
            moveAtomically(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves {@code from} over {@code to}, atomically where the file system allows. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The numeric leaves of a result or repetition, keyed by their flattened path: nested object keys
     * joined by {@code .} ({@code latency_ms.p99}, {@code jmh.DecimalBenchmark.addDecimal.score}).
     * Arrays (series, distributions, repetitions) and non-numeric values are left out.
     */
    public static Map<String, Double> flatten(JsonNode node) {
        Map<String, Double> out = new LinkedHashMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
        if (node.isNumber()) {
            out.put(prefix, node.asDouble());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        }
    }
}
