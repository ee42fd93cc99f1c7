package io.velo.harness.scenario;

import io.velo.config.PropertyCatalog;
import io.velo.harness.pipeline.PipelineKind;
import io.velo.harness.scenario.Scenario.Burst;
import io.velo.harness.scenario.Scenario.Check;
import io.velo.harness.scenario.Scenario.CheckType;
import io.velo.harness.scenario.Scenario.Condition;
import io.velo.harness.scenario.Scenario.Crash;
import io.velo.harness.scenario.Scenario.DecimalField;
import io.velo.harness.scenario.Scenario.Direction;
import io.velo.harness.scenario.Scenario.Distribution;
import io.velo.harness.scenario.Scenario.EnumField;
import io.velo.harness.scenario.Scenario.EventTimeField;
import io.velo.harness.scenario.Scenario.Field;
import io.velo.harness.scenario.Scenario.Gate;
import io.velo.harness.scenario.Scenario.GateMetric;
import io.velo.harness.scenario.Scenario.Generator;
import io.velo.harness.scenario.Scenario.Jvm;
import io.velo.harness.scenario.Scenario.Kafka;
import io.velo.harness.scenario.Scenario.KeyField;
import io.velo.harness.scenario.Scenario.Load;
import io.velo.harness.scenario.Scenario.LongField;
import io.velo.harness.scenario.Scenario.Op;
import io.velo.harness.scenario.Scenario.ProcessMode;
import io.velo.harness.scenario.Scenario.Processes;
import io.velo.harness.scenario.Scenario.Scale;
import io.velo.harness.scenario.Scenario.Search;
import io.velo.harness.scenario.Scenario.SendTimeField;
import io.velo.harness.scenario.Scenario.SequenceField;
import io.velo.harness.scenario.Scenario.Slo;
import io.velo.harness.scenario.Scenario.Sum;
import io.velo.harness.scenario.Scenario.TextField;
import io.velo.harness.scenario.Scenario.TotalsMode;
import io.velo.harness.scenario.Scenario.Type;
import io.velo.harness.scenario.YamlTree.Entry;
import io.velo.harness.scenario.YamlTree.ListNode;
import io.velo.harness.scenario.YamlTree.MapNode;
import io.velo.harness.scenario.YamlTree.Node;
import io.velo.harness.scenario.YamlTree.Scalar;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a scenario file into a {@link Scenario}. Every error is a {@link ScenarioException}
 * pointing at the offending key or value ({@code FILE:LINE:COL: error: MESSAGE}): YAML syntax, unknown
 * keys (with a did-you-mean), wrong types, missing required keys, bad durations and enum values,
 * impossible numbers, ill-formed generator fields, a missing SQL file, a check on a field the generator
 * does not produce, {@code rate: max} without an SLO, and a name that is not the file's.
 */
public final class ScenarioLoader {
    /** Command-line overrides {@code load(path, overrides)} accepts: key → the option that sets it. */
    public static final Map<String, String> OVERRIDES = Map.of("load.duration", "--duration", "load.rate", "--rate",
            "repetitions", "--repetitions");

    private static final List<String> TOP_KEYS = List.of("name", "description", "type", "sql", "source", "sink",
            "strategy", "set", "processes", "kafka", "jvm", "generator", "load", "repetitions", "check", "gate", "crash",
            "compare_modes", "scale", "kinds");
    private static final List<String> FIELD_TYPES = List.of("sequence", "enum", "key", "long", "decimal", "event_time",
            "send_time", "text");
    private static final List<String> MODES = List.of("at_least_once", "transactional");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
    private static final long DEFAULT_SEED = 42;
    private static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Path path;
    private final String fileName;
    private final String[] lines;
    private final Map<String, String> overrides;

    private ScenarioLoader(Path path, String text, Map<String, String> overrides) {
        this.path = path;
        this.fileName = path.toString();
        this.lines = text.split("\r?\n", -1);
        this.overrides = overrides;
    }

    /** Loads and validates a scenario file. */
    public static Scenario load(Path file) {
        return load(file, Map.of());
    }

    /**
     * Loads a scenario file with command-line overrides applied: keys {@code load.duration} (e.g. "60s"),
     * {@code load.rate} (a number or "max") and {@code repetitions}. An error in an override names the option.
     */
    public static Scenario load(Path file, Map<String, String> overrides) {
        for (String key : overrides.keySet()) {
            if (!OVERRIDES.containsKey(key)) {
                throw new ScenarioException(key, 0, 0, "unknown override (known: " + String.join(", ", OVERRIDES.keySet().stream().sorted().toList()) + ")", null);
            }
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "cannot read scenario file: " + e, null);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return new ScenarioLoader(file, text, overrides).read(text, bytes);
    }

    // ---------------------------------------------------------------- errors and positions

    private ScenarioException error(int line, int col, String message) {
        String src = line > 0 && line <= lines.length ? lines[line - 1] : null;
        return new ScenarioException(fileName, line, col, message, src);
    }

    private ScenarioException error(Node n, String message) {
        return error(n.line, n.col, message);
    }

    private ScenarioException error(Entry e, String message) {
        return error(e.line, e.col, message);
    }

    private static ScenarioException optionError(String key, String message) {
        return new ScenarioException(OVERRIDES.get(key), 0, 0, message, null);
    }

    /** The closest of {@code candidates} to {@code word}, if it is close enough to be a likely typo. */
    static Optional<String> didYouMean(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best != null && bestDistance < best.length() && bestDistance <= Math.max(2, Math.min(3, best.length() / 3))) {
            return Optional.of(best);
        }
        return Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String suggestion(String word, Collection<String> candidates) {
        return didYouMean(word, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * A mapping being read: its node, its dotted path for messages, and the position of the key that
     * introduced it (where "missing key" errors point).
     */
    private final class Sec {
        final MapNode map;
        final String where;
        final int line;
        final int col;

        Sec(MapNode map, String where, int line, int col) {
            this.map = map;
            this.where = where;
            this.line = line;
            this.col = col;
        }

        String label(String key) {
            return where.isEmpty() ? key : where + "." + key;
        }

        void only(Collection<String> keys) {
            for (Entry e : map.entries.values()) {
                if (!keys.contains(e.key)) {
                    throw error(e, "unknown key '" + label(e.key) + "'" + suggestion(e.key, keys)
                            + (didYouMean(e.key, keys).isPresent() ? "" : " (known: " + String.join(", ", keys) + ")"));
                }
            }
        }

        boolean has(String key) {
            Entry e = map.entry(key);
            return e != null && !(e.value instanceof Scalar s && s.isNull());
        }

        Entry get(String key) {
            return has(key) ? map.entry(key) : null;
        }

        Entry req(String key) {
            Entry e = get(key);
            if (e == null) {
                throw error(line, col, "missing required key '" + label(key) + "'");
            }
            return e;
        }

        Scalar scalar(Entry e, String expected) {
            if (!(e.value instanceof Scalar s)) {
                throw error(e.value, "'" + label(e.key) + "' must be " + expected + ", not " + e.value.kind());
            }
            return s;
        }

        String str(Entry e) {
            Scalar s = scalar(e, "a string");
            if (s.isBoolean()) {
                throw error(s, "'" + label(e.key) + "' must be a string, not a boolean (quote it)");
            }
            return s.text;
        }

        String str(String key, String def) {
            Entry e = get(key);
            return e == null ? def : str(e);
        }

        long lng(Entry e, long min) {
            Scalar s = scalar(e, "an integer");
            if (s.token != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
                throw error(s, "'" + label(e.key) + "' must be an integer, not " + s.kind() + " ('" + s.text + "')");
            }
            long v;
            try {
                v = Long.parseLong(s.text.replace("_", ""));
            } catch (NumberFormatException ex) {
                throw error(s, "'" + label(e.key) + "' is out of range: " + s.text);
            }
            if (v < min) {
                throw error(s, "'" + label(e.key) + "' must be at least " + min + ", not " + v);
            }
            return v;
        }

        long lng(String key, long def, long min) {
            Entry e = get(key);
            return e == null ? def : lng(e, min);
        }

        int integer(String key, int def, int min) {
            Entry e = get(key);
            if (e == null) {
                return def;
            }
            long v = lng(e, min);
            if (v > Integer.MAX_VALUE) {
                throw error(e.value, "'" + label(key) + "' is too large: " + v);
            }
            return (int) v;
        }

        double dbl(Entry e) {
            Scalar s = scalar(e, "a number");
            if (!s.isNumber()) {
                throw error(s, "'" + label(e.key) + "' must be a number, not " + s.kind() + " ('" + s.text + "')");
            }
            double v = Double.parseDouble(s.text.replace("_", ""));
            if (!Double.isFinite(v)) {
                throw error(s, "'" + label(e.key) + "' must be a finite number");
            }
            return v;
        }

        double dbl(String key, double def, double min, double max, boolean minExclusive) {
            Entry e = get(key);
            if (e == null) {
                return def;
            }
            double v = dbl(e);
            if (v < min || v > max || (minExclusive && v == min)) {
                throw error(e.value, "'" + label(key) + "' must be " + (minExclusive ? "greater than " : "at least ")
                        + num(min) + (max == Double.MAX_VALUE ? "" : " and at most " + num(max)) + ", not " + s(e));
            }
            return v;
        }

        BigDecimal decimal(Entry e) {
            Scalar s = scalar(e, "a decimal number");
            if (s.isBoolean() || s.isNull()) {
                throw error(s, "'" + label(e.key) + "' must be a decimal number, not " + s.kind());
            }
            try {
                return new BigDecimal(s.text.trim());
            } catch (NumberFormatException ex) {
                throw error(s, "'" + label(e.key) + "' must be a decimal number, not '" + s.text + "'");
            }
        }

        Duration dur(Entry e) {
            Scalar s = scalar(e, "a duration");
            if (s.isNumber()) {
                throw error(s, "'" + label(e.key) + "' needs a unit: '" + s.text + "s' or '" + s.text + "ms', for example");
            }
            try {
                return Durations.parse(s.text);
            } catch (IllegalArgumentException ex) {
                throw error(s, "'" + label(e.key) + "': " + ex.getMessage());
            }
        }

        Duration dur(String key, Duration def) {
            Entry e = get(key);
            return e == null ? def : dur(e);
        }

        String choice(String key, String def, List<String> allowed) {
            Entry e = get(key);
            if (e == null) {
                return def;
            }
            String v = str(e);
            if (!allowed.contains(v.toLowerCase(Locale.ROOT))) {
                throw error(e.value, "bad value '" + v + "' for '" + label(key) + "' (expected one of: "
                        + String.join(", ", allowed) + ")" + suggestion(v, allowed));
            }
            return v.toLowerCase(Locale.ROOT);
        }

        Sec sub(String key) {
            Entry e = get(key);
            if (e == null) {
                return null;
            }
            if (!(e.value instanceof MapNode m)) {
                throw error(e.value, "'" + label(key) + "' must be a mapping, not " + e.value.kind());
            }
            return new Sec(m, label(key), e.line, e.col);
        }

        ListNode list(Entry e) {
            if (!(e.value instanceof ListNode l)) {
                throw error(e.value, "'" + label(e.key) + "' must be a list, not " + e.value.kind());
            }
            return l;
        }

        /** A mapping of scalars as strings (Kafka client and job properties). */
        Map<String, String> stringMap(String key) {
            Sec s = sub(key);
            Map<String, String> out = new LinkedHashMap<>();
            if (s != null) {
                for (Entry e : s.map.entries.values()) {
                    Scalar v = s.scalar(e, "a scalar value");
                    if (v.isNull()) {
                        throw error(e.value, "'" + s.label(e.key) + "' has no value");
                    }
                    out.put(e.key, v.text);
                }
            }
            return java.util.Collections.unmodifiableMap(out);
        }

        List<String> strings(String key) {
            Entry e = get(key);
            if (e == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (Node n : list(e).items) {
                if (!(n instanceof Scalar s) || s.isNull()) {
                    throw error(n, "'" + label(key) + "' items must be strings, not " + n.kind());
                }
                out.add(s.text);
            }
            return List.copyOf(out);
        }

        List<Integer> positiveInts(String key) {
            Entry e = get(key);
            if (e == null) {
                return List.of(1);
            }
            List<Integer> out = new ArrayList<>();
            for (Node n : list(e).items) {
                if (!(n instanceof Scalar s) || s.token != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
                        || Long.parseLong(s.text) < 1 || Long.parseLong(s.text) > 4096) {
                    throw error(n, "'" + label(key) + "' items must be integers from 1 to 4096");
                }
                out.add(Integer.parseInt(s.text));
            }
            if (out.isEmpty()) {
                throw error(e.value, "'" + label(key) + "' must not be empty");
            }
            return List.copyOf(out);
        }
    }

    private static String s(Entry e) {
        return e.value instanceof Scalar sc ? sc.text : e.value.kind();
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    // ---------------------------------------------------------------- the document

    private Scenario read(String text, byte[] bytes) {
        Node root;
        try {
            root = YamlTree.parse(text);
        } catch (YamlTree.SyntaxError e) {
            throw error(e.line, e.col, e.getMessage());
        }
        if (root == null) {
            throw error(1, 1, "empty scenario file");
        }
        if (!(root instanceof MapNode rootMap)) {
            throw error(root, "a scenario file must be a mapping of keys, not " + root.kind());
        }
        Sec top = new Sec(rootMap, "", 1, 1);
        top.only(TOP_KEYS);

        Entry nameEntry = top.req("name");
        String name = top.str(nameEntry);
        String expectedName = path.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!name.equals(expectedName)) {
            throw error(nameEntry.value, "name '" + name + "' must equal the file name without .yaml ('" + expectedName + "')");
        }
        String description = top.str("description", "");
        Type type = Type.valueOf(top.choice("type", "kafka", List.of("kafka", "peer", "pipelines")).toUpperCase(Locale.ROOT));
        boolean kafkaType = type == Type.KAFKA;

        // SQL
        Path sqlPath = null;
        String sql = null;
        byte[] sqlBytes = new byte[0];
        Entry sqlEntry = kafkaType ? top.req("sql") : top.get("sql");
        if (sqlEntry != null) {
            sql = top.str(sqlEntry);
            Path dir = path.toAbsolutePath().getParent();
            sqlPath = dir.resolve(sql).normalize();
            if (!Files.isRegularFile(sqlPath)) {
                throw error(sqlEntry.value, "SQL file not found: " + sql + " (looked at " + sqlPath + ")");
            }
            try {
                sqlBytes = Files.readAllBytes(sqlPath);
            } catch (IOException e) {
                throw error(sqlEntry.value, "cannot read SQL file " + sql + ": " + e);
            }
        }
        String sqlText = new String(sqlBytes, StandardCharsets.UTF_8);
        String source = stream(top, "source", kafkaType, sql, sqlText);
        String sink = stream(top, "sink", kafkaType, sql, sqlText);

        Optional<String> strategy = Optional.ofNullable(top.choice("strategy", null, PropertyCatalog.STRATEGIES));
        Map<String, String> set = top.stringMap("set");

        Sec proc = top.sub("processes");
        Processes processes = new Processes(ProcessMode.FORK, ProcessMode.FORK);
        if (proc != null) {
            proc.only(List.of("generator", "broker"));
            processes = new Processes(ProcessMode.valueOf(proc.choice("generator", "fork", List.of("fork", "inline")).toUpperCase(Locale.ROOT)),
                    ProcessMode.valueOf(proc.choice("broker", "fork", List.of("fork", "inline")).toUpperCase(Locale.ROOT)));
        }

        Kafka kafka = new Kafka(3, 1, Map.of(), Map.of());
        Sec k = top.sub("kafka");
        if (k != null) {
            k.only(List.of("partitions", "producers", "producer", "consumer"));
            kafka = new Kafka(k.integer("partitions", 3, 1), k.integer("producers", 1, 1), k.stringMap("producer"), k.stringMap("consumer"));
        }

        Jvm jvm = new Jvm(Optional.empty(), List.of());
        Sec j = top.sub("jvm");
        if (j != null) {
            j.only(List.of("heap", "options"));
            Entry heap = j.get("heap");
            String h = heap == null ? null : j.str(heap);
            if (h != null && !HEAP.matcher(h).matches()) {
                throw error(heap.value, "bad heap size '" + h + "' (expected an -Xmx value such as 512m or 2g)");
            }
            jvm = new Jvm(Optional.ofNullable(h), j.strings("options"));
        }

        Generator generator;
        Sec gen = top.sub("generator");
        if (gen == null) {
            if (type == Type.KAFKA) { // the peer comparison brings its own trades, the pipelines their own data
                top.req("generator");
            }
            generator = new Generator(DEFAULT_SEED, 0, List.of(), Optional.empty());
        } else {
            generator = generator(gen);
        }

        Load load = load(top, type);
        int repetitions;
        if (overrides.containsKey("repetitions")) {
            repetitions = (int) positiveOption("repetitions", 1_000);
        } else {
            repetitions = top.integer("repetitions", 3, 1);
        }

        Check check = check(top, type, generator);
        Gate gate = gate(top);

        Optional<Crash> crash = Optional.empty();
        Sec c = top.sub("crash");
        if (c != null) {
            c.only(List.of("kills", "signal", "every"));
            crash = Optional.of(new Crash((int) c.lng(c.req("kills"), 1), c.choice("signal", "kill", List.of("kill", "term", "int")).toUpperCase(Locale.ROOT),
                    positive(c, "every", Duration.ofSeconds(5))));
        }
        List<String> compareModes = top.strings("compare_modes");
        Entry cm = top.get("compare_modes");
        for (int i = 0; i < compareModes.size(); i++) {
            if (!MODES.contains(compareModes.get(i))) {
                throw error(((ListNode) cm.value).items.get(i), "bad delivery mode '" + compareModes.get(i) + "' (expected one of: "
                        + String.join(", ", MODES) + ")" + suggestion(compareModes.get(i), MODES));
            }
        }
        Optional<Scale> scale = Optional.empty();
        Sec sc = top.sub("scale");
        if (sc != null) {
            sc.only(List.of("threads", "instances"));
            scale = Optional.of(new Scale(sc.positiveInts("threads"), sc.positiveInts("instances")));
        }
        List<String> kinds = kinds(top, type);

        String hash = sha256(bytes, sqlBytes);
        return new Scenario(path, name, description, type, sqlPath, sql, source, sink, strategy, set, processes, kafka, jvm,
                generator, load, repetitions, check, gate, crash, compareModes, scale, kinds, hash);
    }

    private String stream(Sec top, String key, boolean required, String sql, String sqlText) {
        Entry e = required ? top.req(key) : top.get(key);
        if (e == null) {
            return null;
        }
        String v = top.str(e);
        if (!IDENT.matcher(v).matches()) {
            throw error(e.value, "'" + key + "' must be a stream name, not '" + v + "'");
        }
        if (sql != null && !Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(v) + "(?![A-Za-z0-9_])").matcher(sqlText).find()) {
            throw error(e.value, key + " stream '" + v + "' is not named in " + sql);
        }
        return v;
    }

    private List<String> kinds(Sec top, Type type) {
        Entry e = top.get("kinds");
        if (e == null) {
            return type == Type.PIPELINES ? Arrays.stream(PipelineKind.values()).map(k -> k.id).toList() : List.of();
        }
        if (type != Type.PIPELINES) {
            throw error(e, "'kinds' applies only to type: pipelines");
        }
        List<String> kinds = top.strings("kinds");
        List<String> known = Arrays.stream(PipelineKind.values()).map(k -> k.id).toList();
        for (int i = 0; i < kinds.size(); i++) {
            if (!known.contains(kinds.get(i))) {
                throw error(((ListNode) e.value).items.get(i), "unknown pipeline kind '" + kinds.get(i) + "' (known: "
                        + String.join(", ", known) + ")" + suggestion(kinds.get(i), known));
            }
        }
        if (kinds.isEmpty()) {
            throw error(e.value, "'kinds' must not be empty");
        }
        return kinds;
    }

    private static String sha256(byte[] scenario, byte[] sql) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(scenario);
            md.update(sql);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A duration longer than zero; {@code def} null makes the key required. */
    private Duration positive(Sec s, String key, Duration def) {
        Entry e = def == null ? s.req(key) : s.get(key);
        if (e == null) {
            return def;
        }
        Duration d = s.dur(e);
        if (d.isZero() || d.isNegative()) {
            throw error(e.value, "'" + s.label(key) + "' must be longer than zero");
        }
        return d;
    }

    private long positiveOption(String key, long max) {
        String v = overrides.get(key).trim();
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw optionError(key, "expected a positive integer, not '" + v + "'");
        }
        if (n < 1 || n > max) {
            throw optionError(key, "must be from 1 to " + max + ", not " + n);
        }
        return n;
    }

    // ---------------------------------------------------------------- load

    private Load load(Sec top, Type type) {
        Sec l = top.sub("load");
        if (l == null && type == Type.PIPELINES && overrides.isEmpty()) {
            return new Load(OptionalLong.of(0), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ZERO, List.of(),
                    Optional.empty(), new Search(5000, 1.5, 8));
        }
        if (l == null) {
            top.req("load");
        }
        l.only(List.of("rate", "duration", "warmup", "ramp_up", "bursts", "slo", "search"));

        OptionalLong rate;
        Entry rateEntry = null;
        boolean rateFromOption = overrides.containsKey("load.rate");
        if (rateFromOption) {
            String v = overrides.get("load.rate").trim();
            if (v.equalsIgnoreCase("max")) {
                rate = OptionalLong.empty();
            } else {
                try {
                    rate = OptionalLong.of(Long.parseLong(v));
                } catch (NumberFormatException e) {
                    throw optionError("load.rate", "expected records per second or 'max', not '" + v + "'");
                }
                if (rate.getAsLong() <= 0) {
                    throw optionError("load.rate", "must be positive, not " + v);
                }
            }
        } else {
            rateEntry = l.req("rate");
            Scalar s = l.scalar(rateEntry, "a number of records per second or 'max'");
            if (!s.isNumber() && "max".equalsIgnoreCase(s.text)) {
                rate = OptionalLong.empty();
            } else if (s.token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
                long r = Long.parseLong(s.text.replace("_", ""));
                if (r <= 0) {
                    throw error(s, "'load.rate' must be positive, not " + r);
                }
                rate = OptionalLong.of(r);
            } else if (s.isNumber()) {
                throw error(s, "'load.rate' must be a whole number of records per second, not " + s.text);
            } else {
                throw error(s, "bad value '" + s.text + "' for 'load.rate' (expected records per second or 'max')"
                        + suggestion(s.text, List.of("max")));
            }
        }

        Duration duration = null;
        if (overrides.containsKey("load.duration")) {
            try {
                duration = Durations.parse(overrides.get("load.duration"));
            } catch (IllegalArgumentException e) {
                throw optionError("load.duration", e.getMessage());
            }
            if (duration.isZero()) {
                throw optionError("load.duration", "must be longer than zero");
            }
        }
        Duration fileDuration = positive(l, "duration", Duration.ofSeconds(60));
        if (!overrides.containsKey("load.duration")) {
            duration = fileDuration;
        }
        Duration warmup = l.dur("warmup", Duration.ofSeconds(5));
        Duration rampUp = l.dur("ramp_up", Duration.ZERO);

        List<Burst> bursts = new ArrayList<>();
        Entry be = l.get("bursts");
        if (be != null) {
            int i = 0;
            for (Node n : l.list(be).items) {
                if (!(n instanceof MapNode m)) {
                    throw error(n, "'load.bursts' items must be mappings {at, duration, rate}, not " + n.kind());
                }
                Sec b = new Sec(m, "load.bursts[" + i++ + "]", n.line, n.col);
                b.only(List.of("at", "duration", "rate"));
                Entry atEntry = b.req("at");
                Duration at = b.dur(atEntry);
                Duration d = positive(b, "duration", null);
                long r = b.lng(b.req("rate"), 1);
                if (at.compareTo(fileDuration) >= 0) {
                    throw error(atEntry.value, "burst at " + Durations.format(at) + " starts after the end of the load (duration "
                            + Durations.format(fileDuration) + ")");
                }
                if (at.compareTo(duration) < 0) {
                    bursts.add(new Burst(at, d, r)); // a --duration override may leave a burst out
                }
            }
        }

        Optional<Slo> slo = Optional.empty();
        Sec s = l.sub("slo");
        if (s != null) {
            s.only(List.of("p99_ms"));
            s.req("p99_ms");
            slo = Optional.of(new Slo(s.dbl("p99_ms", 0, 0, Double.MAX_VALUE, true)));
        }
        if (rate.isEmpty() && slo.isEmpty()) {
            if (rateFromOption) {
                throw optionError("load.rate", "rate max needs a latency objective, load.slo.p99_ms, in the scenario file");
            }
            throw error(rateEntry.value, "'rate: max' needs a latency objective: add load.slo: {p99_ms: N}");
        }
        Search search = new Search(5000, 1.5, 8);
        Sec se = l.sub("search");
        if (se != null) {
            se.only(List.of("start", "factor", "max_steps"));
            search = new Search(se.lng("start", 5000, 1), se.dbl("factor", 1.5, 1.0, 100, true), se.integer("max_steps", 8, 1));
        }
        return new Load(rate, duration, warmup, rampUp, List.copyOf(bursts), slo, search);
    }

    // ---------------------------------------------------------------- generator

    private Generator generator(Sec g) {
        g.only(List.of("seed", "malformed_fraction", "fields", "kafka_key"));
        long seed = g.lng("seed", DEFAULT_SEED, Long.MIN_VALUE);
        double malformed = g.dbl("malformed_fraction", 0, 0, 0.5, false);
        Entry fe = g.req("fields");
        ListNode list = g.list(fe);
        if (list.items.isEmpty()) {
            throw error(fe.value, "'generator.fields' must not be empty");
        }
        List<Field> fields = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        boolean sequence = false;
        boolean sendTime = false;
        int i = 0;
        for (Node n : list.items) {
            if (!(n instanceof MapNode m)) {
                throw error(n, "'generator.fields' items must be mappings {name, type, ...}, not " + n.kind());
            }
            Sec f = new Sec(m, "generator.fields[" + i++ + "]", n.line, n.col);
            Entry nameEntry = f.req("name");
            String name = f.str(nameEntry);
            if (!IDENT.matcher(name).matches()) {
                throw error(nameEntry.value, "field name '" + name + "' must be an identifier (letters, digits, _)");
            }
            if (!names.add(name)) {
                throw error(nameEntry.value, "duplicate field name '" + name + "'");
            }
            Field field = field(f, name);
            if (field instanceof SequenceField) {
                if (sequence) {
                    throw error(nameEntry.value, "only one field may have type sequence");
                }
                sequence = true;
            }
            if (field instanceof SendTimeField) {
                if (sendTime) {
                    throw error(nameEntry.value, "only one field may have type send_time");
                }
                sendTime = true;
            }
            fields.add(field);
        }
        Optional<String> kafkaKey;
        Entry ke = g.get("kafka_key");
        if (ke == null) {
            kafkaKey = fields.stream().filter(f -> f instanceof KeyField).map(Field::name).findFirst()
                    .or(() -> fields.stream().filter(f -> f instanceof EnumField).map(Field::name).findFirst());
        } else {
            String k = g.str(ke);
            if (k.equals("none")) {
                kafkaKey = Optional.empty();
            } else {
                Field f = fields.stream().filter(x -> x.name().equals(k)).findFirst().orElseThrow(() -> error(ke.value,
                        "kafka_key '" + k + "' is not a generated field" + suggestion(k, names) + " (or 'none' for no key)"));
                if (f instanceof SendTimeField) {
                    throw error(ke.value, "kafka_key cannot be the send_time field (it is not known when the record is generated)");
                }
                kafkaKey = Optional.of(k);
            }
        }
        return new Generator(seed, malformed, List.copyOf(fields), kafkaKey);
    }

    private Field field(Sec f, String name) {
        Entry te = f.req("type");
        String type = f.str(te);
        if (!FIELD_TYPES.contains(type)) {
            throw error(te.value, "unknown field type '" + type + "' (known: " + String.join(", ", FIELD_TYPES) + ")"
                    + suggestion(type, FIELD_TYPES));
        }
        switch (type) {
            case "sequence":
                f.only(List.of("name", "type"));
                return new SequenceField(name);
            case "send_time":
                f.only(List.of("name", "type"));
                return new SendTimeField(name);
            case "enum":
                f.only(List.of("name", "type", "values"));
                return enumField(f, name);
            case "key": {
                f.only(List.of("name", "type", "cardinality", "prefix", "distribution", "exponent"));
                Entry ce = f.req("cardinality");
                Scalar cs = f.scalar(ce, "an integer");
                if (cs.token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT && Long.parseLong(cs.text.replace("_", "")) <= 0) {
                    throw error(cs, "'" + f.label("cardinality") + "' must be positive, not " + cs.text);
                }
                long cardinality = f.lng(ce, 1);
                Optional<String> prefix = Optional.ofNullable(f.str("prefix", null));
                Distribution d = Distribution.valueOf(f.choice("distribution", "uniform", List.of("uniform", "zipf", "sequential")).toUpperCase(Locale.ROOT));
                if (d != Distribution.ZIPF && f.has("exponent")) {
                    throw error(f.get("exponent"), "'exponent' applies only to distribution: zipf");
                }
                double exponent = f.dbl("exponent", 1.0, 0, 20, true);
                return new KeyField(name, cardinality, prefix, d, exponent);
            }
            case "long": {
                f.only(List.of("name", "type", "min", "max", "distribution", "mean", "stddev"));
                Entry minE = f.req("min");
                long min = f.lng(minE, Long.MIN_VALUE);
                long max = f.lng(f.req("max"), Long.MIN_VALUE);
                if (min > max) {
                    throw error(minE.value, "min " + min + " is greater than max " + max);
                }
                if (max - min < 0 || max - min == Long.MAX_VALUE) {
                    throw error(minE.value, "range " + min + ".." + max + " is too wide");
                }
                Distribution d = distribution(f);
                double mean = f.dbl("mean", min / 2.0 + max / 2.0, -Double.MAX_VALUE, Double.MAX_VALUE, false);
                double sd = f.dbl("stddev", (max / 6.0 - min / 6.0), 0, Double.MAX_VALUE, false);
                return new LongField(name, min, max, d, mean, sd);
            }
            case "decimal":
                return decimalField(f, name);
            case "event_time": {
                f.only(List.of("name", "type", "start", "step", "out_of_order", "format"));
                Instant start = DEFAULT_START;
                Entry se = f.get("start");
                if (se != null) {
                    try {
                        start = Instant.parse(f.str(se));
                    } catch (DateTimeParseException e) {
                        throw error(se.value, "bad start time '" + f.str(se) + "' (expected ISO-8601 UTC, e.g. 2026-01-01T00:00:00Z)");
                    }
                }
                Duration step = positive(f, "step", Duration.ofMillis(1));
                double fraction = 0;
                Duration maxDelay = Duration.ZERO;
                Sec o = f.sub("out_of_order");
                if (o != null) {
                    o.only(List.of("fraction", "max_delay"));
                    fraction = o.dbl(o.req("fraction"));
                    if (fraction < 0 || fraction > 1) {
                        throw error(o.get("fraction").value, "'" + o.label("fraction") + "' must be from 0 to 1, not " + s(o.get("fraction")));
                    }
                    maxDelay = positive(o, "max_delay", null);
                    if (maxDelay.toMillis() < 1) {
                        throw error(o.get("max_delay").value, "'" + o.label("max_delay") + "' must be at least 1ms");
                    }
                }
                boolean iso = f.choice("format", "millis", List.of("millis", "iso")).equals("iso");
                return new EventTimeField(name, start, step, fraction, maxDelay, iso);
            }
            default: { // text
                f.only(List.of("name", "type", "length", "min_length", "max_length"));
                int minL;
                int maxL;
                if (f.has("length")) {
                    if (f.has("min_length") || f.has("max_length")) {
                        throw error(f.get("length"), "give either 'length' or 'min_length'/'max_length', not both");
                    }
                    minL = maxL = f.integer("length", 0, 0);
                } else {
                    minL = f.integer("min_length", 0, 0);
                    maxL = f.integer("max_length", minL, 0);
                    if (!f.has("min_length") && !f.has("max_length")) {
                        f.req("length");
                    }
                }
                if (minL > maxL) {
                    throw error(f.get("min_length").value, "min_length " + minL + " is greater than max_length " + maxL);
                }
                if (maxL > 1_000_000) {
                    throw error(f.line, f.col, "text fields are limited to 1000000 characters");
                }
                return new TextField(name, minL, maxL);
            }
        }
    }

    private Distribution distribution(Sec f) {
        Distribution d = Distribution.valueOf(f.choice("distribution", "uniform", List.of("uniform", "normal")).toUpperCase(Locale.ROOT));
        for (String k : List.of("mean", "stddev")) {
            if (d != Distribution.NORMAL && f.has(k)) {
                throw error(f.get(k), "'" + k + "' applies only to distribution: normal");
            }
        }
        return d;
    }

    private EnumField enumField(Sec f, String name) {
        Entry ve = f.req("values");
        List<String> values = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        if (ve.value instanceof ListNode l) {
            for (Node n : l.items) {
                if (!(n instanceof Scalar s) || s.isNull()) {
                    throw error(n, "enum values must be scalars, not " + n.kind());
                }
                if (values.contains(s.text)) {
                    throw error(n, "duplicate enum value '" + s.text + "'");
                }
                values.add(s.text);
                weights.add(1.0);
            }
        } else if (ve.value instanceof MapNode m) {
            Sec w = new Sec(m, f.label("values"), ve.line, ve.col);
            for (Entry e : m.entries.values()) {
                double weight = w.dbl(e);
                if (!(weight > 0)) {
                    throw error(e.value, "weight of '" + e.key + "' must be greater than 0, not " + s(e));
                }
                values.add(e.key);
                weights.add(weight);
            }
        } else {
            throw error(ve.value, "'" + f.label("values") + "' must be a list of values or a mapping value → weight, not " + ve.value.kind());
        }
        if (values.isEmpty()) {
            throw error(ve.value, "'" + f.label("values") + "' must not be empty");
        }
        return new EnumField(name, List.copyOf(values), List.copyOf(weights));
    }

    private DecimalField decimalField(Sec f, String name) {
        f.only(List.of("name", "type", "scale", "min", "max", "distribution", "mean", "stddev", "encoding"));
        Entry scaleE = f.req("scale");
        long scale = f.lng(scaleE, 0);
        if (scale > 18) {
            throw error(scaleE.value, "'" + f.label("scale") + "' must be at most 18, not " + scale);
        }
        Entry minE = f.req("min");
        Entry maxE = f.req("max");
        BigDecimal min = atScale(f, minE, (int) scale);
        BigDecimal max = atScale(f, maxE, (int) scale);
        if (min.compareTo(max) > 0) {
            throw error(minE.value, "min " + min.toPlainString() + " is greater than max " + max.toPlainString());
        }
        if (max.unscaledValue().subtract(min.unscaledValue()).bitLength() > 62) {
            throw error(minE.value, "range " + min.toPlainString() + ".." + max.toPlainString() + " is too wide");
        }
        Distribution d = distribution(f);
        BigDecimal two = BigDecimal.valueOf(2);
        BigDecimal mean = f.has("mean") ? atScale(f, f.get("mean"), (int) scale)
                : min.add(max).divide(two, (int) scale, java.math.RoundingMode.HALF_UP);
        BigDecimal sd = f.has("stddev") ? f.decimal(f.get("stddev"))
                : max.subtract(min).divide(BigDecimal.valueOf(6), (int) scale, java.math.RoundingMode.HALF_UP);
        if (sd.signum() < 0) {
            throw error(f.get("stddev").value, "'stddev' must not be negative");
        }
        boolean asString = f.choice("encoding", "string", List.of("string", "number")).equals("string");
        return new DecimalField(name, (int) scale, min, max, d, mean, sd, asString);
    }

    private BigDecimal atScale(Sec f, Entry e, int scale) {
        BigDecimal v = f.decimal(e);
        if (v.stripTrailingZeros().scale() > scale) {
            throw error(e.value, "'" + f.label(e.key) + "' " + v.toPlainString() + " has more than " + scale + " decimals (the field's scale)");
        }
        v = v.setScale(scale);
        if (v.unscaledValue().bitLength() > 62) {
            throw error(e.value, "'" + f.label(e.key) + "' " + v.toPlainString() + " is out of range at scale " + scale);
        }
        return v;
    }

    // ---------------------------------------------------------------- check and gate

    private Check check(Sec top, Type type, Generator gen) {
        Sec c = top.sub("check");
        if (c == null) {
            if (type == Type.KAFKA) {
                top.req("check");
            }
            return new Check(CheckType.NONE, Optional.empty(), List.of(), Optional.empty(), TotalsMode.WINDOWS, Optional.empty(), List.of(),
                    Optional.of(type == Type.PIPELINES ? "each pipeline kind checks its answer against the hand-written loop"
                            : "no check given"));
        }
        c.only(List.of("type", "id_field", "where", "key_field", "mode", "count", "sums", "reason", "closed_by_watermark"));
        Entry te = c.req("type");
        CheckType ct = CheckType.valueOf(c.choice("type", null, List.of("ids", "totals", "none")).toUpperCase(Locale.ROOT));
        List<String> produced = gen.fields().stream().map(Field::name).toList();
        switch (ct) {
            case NONE: {
                for (String k : List.of("id_field", "where", "key_field", "mode", "count", "sums")) {
                    if (c.has(k)) {
                        throw error(c.get(k), "'check." + k + "' does not apply to check type none");
                    }
                }
                Entry re = c.get("reason");
                if (re == null || c.str(re).isBlank()) {
                    throw error(te.value, "check type none needs a 'reason' (a fast wrong run must fail otherwise)");
                }
                return new Check(ct, Optional.empty(), List.of(), Optional.empty(), TotalsMode.WINDOWS, Optional.empty(), List.of(),
                        Optional.of(c.str(re)));
            }
            case IDS: {
                for (String k : List.of("key_field", "mode", "count", "sums")) {
                    if (c.has(k)) {
                        throw error(c.get(k), "'check." + k + "' applies only to check type totals");
                    }
                }
                Entry ie = c.req("id_field");
                String id = c.str(ie);
                Field f = gen.field(id).orElseThrow(() -> error(ie.value, "check id_field '" + id + "' is not a generated field"
                        + suggestion(id, produced)));
                if (!(f instanceof SequenceField)) {
                    throw error(ie.value, "check id_field '" + id + "' must be the sequence field (ids must be unique), not a " + f.type() + " field");
                }
                return new Check(ct, Optional.of(id), where(c, gen), Optional.empty(), TotalsMode.WINDOWS, Optional.empty(), List.of(),
                        Optional.ofNullable(c.str("reason", null)));
            }
            default: {
                if (c.has("id_field")) {
                    throw error(c.get("id_field"), "'check.id_field' applies only to check type ids");
                }
                Optional<String> keyField = Optional.ofNullable(c.str("key_field", null));
                TotalsMode mode = TotalsMode.valueOf(c.choice("mode", keyField.isPresent() ? "final_per_key" : "windows",
                        List.of("final_per_key", "windows")).toUpperCase(Locale.ROOT));
                if (mode == TotalsMode.FINAL_PER_KEY && keyField.isEmpty()) {
                    c.req("key_field");
                }
                Optional<String> count = Optional.empty();
                Sec ce = c.sub("count");
                if (ce != null) {
                    ce.only(List.of("output"));
                    count = Optional.of(ce.str(ce.req("output")));
                }
                List<Sum> sums = new ArrayList<>();
                Entry se = c.get("sums");
                if (se != null) {
                    int i = 0;
                    for (Node n : c.list(se).items) {
                        if (!(n instanceof MapNode m)) {
                            throw error(n, "'check.sums' items must be mappings {input, output}, not " + n.kind());
                        }
                        Sec s = new Sec(m, "check.sums[" + i++ + "]", n.line, n.col);
                        s.only(List.of("input", "output"));
                        Entry in = s.req("input");
                        String input = s.str(in);
                        Field f = gen.field(input).orElseThrow(() -> error(in.value, "check sums input '" + input
                                + "' is not a generated field" + suggestion(input, produced)));
                        if (!(f instanceof LongField || f instanceof DecimalField || f instanceof SequenceField)) {
                            throw error(in.value, "check sums input '" + input + "' must be a long, decimal or sequence field, not " + f.type());
                        }
                        sums.add(new Sum(input, s.str(s.req("output"))));
                    }
                }
                if (count.isEmpty() && sums.isEmpty()) {
                    throw error(te.value, "check type totals needs 'count' or 'sums' (or both)");
                }
                Optional<Scenario.Closing> closing = Optional.empty();
                Sec cw = c.sub("closed_by_watermark");
                if (cw != null) {
                    cw.only(List.of("event_time", "window", "out_of_orderness"));
                    if (mode != TotalsMode.WINDOWS) {
                        throw error(c.get("closed_by_watermark").value, "'check.closed_by_watermark' applies only to mode windows");
                    }
                    Entry ee = cw.req("event_time");
                    String et = cw.str(ee);
                    Field f = gen.field(et).orElseThrow(() -> error(ee.value, "check closed_by_watermark event_time '" + et
                            + "' is not a generated field" + suggestion(et, produced)));
                    if (!(f instanceof EventTimeField)) {
                        throw error(ee.value, "check closed_by_watermark event_time '" + et + "' must be an event_time field, not " + f.type());
                    }
                    Duration window = positive(cw, "window", null);
                    Duration ooo = cw.dur("out_of_orderness", Duration.ZERO);
                    if (window.toMillis() < 1) {
                        throw error(cw.get("window").value, "'" + cw.label("window") + "' must be at least 1ms");
                    }
                    closing = Optional.of(new Scenario.Closing(et, window.toMillis(), ooo.toMillis()));
                }
                return new Check(ct, Optional.empty(), where(c, gen), keyField, mode, count, List.copyOf(sums),
                        Optional.ofNullable(c.str("reason", null)), closing);
            }
        }
    }

    private List<Condition> where(Sec c, Generator gen) {
        Entry we = c.get("where");
        if (we == null) {
            return List.of();
        }
        List<String> produced = gen.fields().stream().map(Field::name).toList();
        List<Condition> out = new ArrayList<>();
        int i = 0;
        for (Node n : c.list(we).items) {
            if (!(n instanceof MapNode m)) {
                throw error(n, "'check.where' items must be mappings {field, op, value}, not " + n.kind());
            }
            Sec w = new Sec(m, "check.where[" + i++ + "]", n.line, n.col);
            w.only(List.of("field", "op", "value"));
            Entry fe = w.req("field");
            String name = w.str(fe);
            Field f = gen.field(name).orElseThrow(() -> error(fe.value, "check refers to field '" + name
                    + "', which the generator does not produce" + suggestion(name, produced)));
            Entry oe = w.req("op");
            String opText = w.str(oe);
            Op op = Op.of(opText).orElseThrow(() -> error(oe.value, "bad operator '" + opText + "' (expected one of: > >= < <= = != in)"));
            Entry ve = w.req("value");
            String value = null;
            List<String> values = List.of();
            if (op == Op.IN) {
                values = w.strings("value");
                if (values.isEmpty()) {
                    throw error(ve.value, "'in' needs a non-empty list of values");
                }
            } else {
                value = w.scalar(ve, "a scalar value").text;
            }
            Condition cond = new Condition(name, op, value, values);
            try {
                Predicates.compile(f, cond);
            } catch (IllegalArgumentException e) {
                throw error(ve.value, e.getMessage());
            }
            out.add(cond);
        }
        return List.copyOf(out);
    }

    private Gate gate(Sec top) {
        Sec g = top.sub("gate");
        if (g == null) {
            return new Gate(0.05, java.util.Collections.unmodifiableMap(Gate.defaults()));
        }
        g.only(List.of("alpha", "metrics"));
        double alpha = g.dbl("alpha", 0.05, 0, 0.5, true);
        Map<String, GateMetric> metrics = new LinkedHashMap<>();
        Sec m = g.sub("metrics");
        if (m == null) {
            metrics.putAll(Gate.defaults());
        } else {
            for (Entry e : m.map.entries.values()) {
                if (!(e.value instanceof MapNode mm)) {
                    throw error(e.value, "'gate.metrics." + e.key + "' must be a mapping {direction, tolerance}, not " + e.value.kind());
                }
                Sec s = new Sec(mm, "gate.metrics." + e.key, e.line, e.col);
                s.only(List.of("direction", "tolerance"));
                s.req("direction");
                Direction d = Direction.valueOf(s.choice("direction", null, List.of("higher", "lower")).toUpperCase(Locale.ROOT));
                metrics.put(e.key, new GateMetric(d, s.dbl("tolerance", 0.05, 0, 10, false)));
            }
            if (metrics.isEmpty()) {
                throw error(m.line, m.col, "'gate.metrics' must name at least one metric");
            }
        }
        return new Gate(alpha, java.util.Collections.unmodifiableMap(metrics));
    }
}
