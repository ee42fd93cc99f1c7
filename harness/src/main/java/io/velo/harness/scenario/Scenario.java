package io.velo.harness.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A scenario file (SPEC §7, documented key by key in {@code scenarios/README.md}) as an immutable model
 * with every default filled in. Built only by {@link ScenarioLoader}, which has validated it: the
 * generator's fields are well formed, the check refers to fields the generator produces, and so on.
 *
 * @param path the scenario file
 * @param sqlPath the SQL file resolved against the scenario file's directory; null when the scenario
 *        has none (only {@code type: pipelines} or {@code peer} may omit it)
 * @param sql the SQL path as written in the file (null without one)
 * @param hash sha256 hex of the scenario file's bytes followed by the SQL file's bytes
 */
public record Scenario(Path path, String name, String description, Type type, Path sqlPath, String sql,
                       String source, String sink, Optional<String> strategy, Map<String, String> set,
                       Processes processes, Kafka kafka, Jvm jvm, Generator generator, Load load, int repetitions,
                       Check check, Gate gate, Optional<Crash> crash, List<String> compareModes,
                       Optional<Scale> scale, List<String> kinds, String hash) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The gated metrics in file order: flattened metric path → (direction, tolerance). */
    public Map<String, GateMetric> gateMetrics() {
        return gate.metrics();
    }

    /** The scenario as the result file's {@code config} object (docs/results.md): flat summary keys, then the sections. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.objectNode();
        o.put("name", name);
        o.put("type", type.id());
        o.put("duration_s", seconds(load.duration()));
        o.put("warmup_s", seconds(load.warmup()));
        if (load.isMax()) {
            o.put("rate", "max");
        } else {
            o.put("rate", load.rate().getAsLong());
        }
        o.put("repetitions", repetitions);
        if (sql != null) {
            o.put("sql", sql);
            o.put("source", source);
            o.put("sink", sink);
        }
        o.put("partitions", kafka.partitions());
        o.put("producers", kafka.producers());
        strategy.ifPresent(s -> o.put("strategy", s));
        o.set("set", stringMap(set));
        ObjectNode proc = o.putObject("processes");
        proc.put("generator", processes.generator().id());
        proc.put("broker", processes.broker().id());
        ObjectNode k = o.putObject("kafka");
        k.put("partitions", kafka.partitions());
        k.put("producers", kafka.producers());
        k.set("producer", stringMap(kafka.producer()));
        k.set("consumer", stringMap(kafka.consumer()));
        ObjectNode j = o.putObject("jvm");
        jvm.heap().ifPresent(h -> j.put("heap", h));
        ArrayNode opts = j.putArray("options");
        jvm.options().forEach(opts::add);
        o.set("generator", generator.toJson());
        o.set("load", load.toJson());
        o.set("check", check.toJson());
        ObjectNode g = o.putObject("gate");
        g.put("alpha", gate.alpha());
        ObjectNode gm = g.putObject("metrics");
        gate.metrics().forEach((name, m) -> {
            ObjectNode e = gm.putObject(name);
            e.put("direction", m.direction().id());
            e.put("tolerance", m.tolerance());
        });
        crash.ifPresent(c -> {
            ObjectNode cr = o.putObject("crash");
            cr.put("kills", c.kills());
            cr.put("signal", c.signal());
            cr.put("every", Durations.format(c.every()));
        });
        if (!compareModes.isEmpty()) {
            ArrayNode a = o.putArray("compare_modes");
            compareModes.forEach(a::add);
        }
        scale.ifPresent(s -> {
            ObjectNode sc = o.putObject("scale");
            ArrayNode t = sc.putArray("threads");
            s.threads().forEach(t::add);
            ArrayNode i = sc.putArray("instances");
            s.instances().forEach(i::add);
        });
        if (!kinds.isEmpty()) {
            ArrayNode a = o.putArray("kinds");
            kinds.forEach(a::add);
        }
        o.put("scenario_hash", hash);
        return o;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static ObjectNode stringMap(Map<String, String> m) {
        ObjectNode o = JSON.objectNode();
        m.forEach(o::put);
        return o;
    }

    /** What the scenario runs. */
    public enum Type {
        /** SQL deployed on the engine, Kafka in and out (the default). */
        KAFKA,
        /** The same queries on Velo and on Kafka Streams, side by side. */
        PEER,
        /** Engine-only in-memory pipelines per query kind ({@code bench pipelines}). */
        PIPELINES;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a helper runs in its own JVM or inside the harness's. */
    public enum ProcessMode {
        FORK, INLINE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Processes(ProcessMode generator, ProcessMode broker) {
    }

    /**
     * @param producers concurrent generator connections (one {@link RecordGenerator} each)
     * @param producer Kafka producer property overrides
     * @param consumer Kafka consumer property overrides
     */
    public record Kafka(int partitions, int producers, Map<String, String> producer, Map<String, String> consumer) {
    }

    /** The engine process's JVM: {@code heap} is an {@code -Xmx} value such as {@code 512m}. */
    public record Jvm(Optional<String> heap, List<String> options) {
    }

    /**
     * The input generator.
     *
     * @param kafkaKey the field whose value is each record's Kafka key; empty for no key
     */
    public record Generator(long seed, double malformedFraction, List<Field> fields, Optional<String> kafkaKey) {
        /** The field named {@code name}, if the generator produces one. */
        public Optional<Field> field(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst();
        }

        public int indexOf(String name) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.objectNode();
            o.put("seed", seed);
            o.put("malformed_fraction", malformedFraction);
            kafkaKey.ifPresent(k -> o.put("kafka_key", k));
            ArrayNode a = o.putArray("fields");
            fields.forEach(f -> a.add(f.toJson()));
            return o;
        }
    }

    /** How a numeric or key field's values are drawn. */
    public enum Distribution {
        UNIFORM, NORMAL, ZIPF,
        /** Keys in turn: record n gets key (n − 1) mod cardinality, so N records touch min(N, cardinality) keys. */
        SEQUENTIAL;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A generated field: one JSON member of every record, in declaration order. */
    public sealed interface Field permits SequenceField, EnumField, KeyField, LongField, DecimalField, EventTimeField,
            SendTimeField, TextField {
        String name();

        /** The type name as the scenario file writes it. */
        String type();

        default ObjectNode toJson() {
            ObjectNode o = JSON.objectNode();
            o.put("name", name());
            o.put("type", type());
            return o;
        }
    }

    /** 1, 2, 3, ...: the record's sequence number, unique, the id an {@code ids} check counts. */
    public record SequenceField(String name) implements Field {
        @Override
        public String type() {
            return "sequence";
        }
    }

    /** One of {@code values}, drawn with the given relative weights. */
    public record EnumField(String name, List<String> values, List<Double> weights) implements Field {
        @Override
        public String type() {
            return "enum";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Field.super.toJson();
            ObjectNode v = o.putObject("values");
            for (int i = 0; i < values.size(); i++) {
                v.put(values.get(i), weights.get(i));
            }
            return o;
        }
    }

    /**
     * A key out of {@code cardinality} distinct ones, 0 .. cardinality−1: the string {@code prefix + n}
     * when a prefix is given, else the JSON number n. Zipf draws rank r+1 for key r, so key 0 is the hottest.
     */
    public record KeyField(String name, long cardinality, Optional<String> prefix, Distribution distribution,
                           double exponent) implements Field {
        @Override
        public String type() {
            return "key";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Field.super.toJson();
            o.put("cardinality", cardinality);
            prefix.ifPresent(p -> o.put("prefix", p));
            o.put("distribution", distribution.id());
            if (distribution == Distribution.ZIPF) {
                o.put("exponent", exponent);
            }
            return o;
        }
    }

    /** A BIGINT in [min, max]; normal values are rounded and clamped into the range. */
    public record LongField(String name, long min, long max, Distribution distribution, double mean, double stddev)
            implements Field {
        @Override
        public String type() {
            return "long";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Field.super.toJson();
            o.put("min", min);
            o.put("max", max);
            o.put("distribution", distribution.id());
            if (distribution == Distribution.NORMAL) {
                o.put("mean", mean);
                o.put("stddev", stddev);
            }
            return o;
        }
    }

    /**
     * An exact decimal with {@code scale} fraction digits in [min, max] (both at that scale); written as a
     * JSON string keeping the scale ({@code "187.2500"}) unless {@code asString} is false.
     */
    public record DecimalField(String name, int scale, BigDecimal min, BigDecimal max, Distribution distribution,
                               BigDecimal mean, BigDecimal stddev, boolean asString) implements Field {
        @Override
        public String type() {
            return "decimal";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Field.super.toJson();
            o.put("scale", scale);
            o.put("min", min.toPlainString());
            o.put("max", max.toPlainString());
            o.put("distribution", distribution.id());
            if (distribution == Distribution.NORMAL) {
                o.put("mean", mean.toPlainString());
                o.put("stddev", stddev.toPlainString());
            }
            o.put("encoding", asString ? "string" : "number");
            return o;
        }
    }

    /**
     * Event time of record i: {@code start + (i−1)·step}, minus a delay uniform in [1 ms, maxDelay] for the
     * {@code outOfOrderFraction} of records that arrive late. Written as epoch milliseconds or ISO-8601 text.
     */
    public record EventTimeField(String name, Instant start, Duration step, double outOfOrderFraction, Duration maxDelay,
                                 boolean iso) implements Field {
        @Override
        public String type() {
            return "event_time";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Field.super.toJson();
            o.put("start", start.toString());
            o.put("step", Durations.format(step));
            if (outOfOrderFraction > 0) {
                ObjectNode ooo = o.putObject("out_of_order");
                ooo.put("fraction", outOfOrderFraction);
                ooo.put("max_delay", Durations.format(maxDelay));
            }
            o.put("format", iso ? "iso" : "millis");
            return o;
        }
    }

    /** The record's intended send time in epoch microseconds, filled in by the runner when it sends. */
    public record SendTimeField(String name) implements Field {
        @Override
        public String type() {
            return "send_time";
        }
    }

    /** Random lower-case letters, length uniform in [minLength, maxLength] (padding to shape the record size). */
    public record TextField(String name, int minLength, int maxLength) implements Field {
        @Override
        public String type() {
            return "text";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = Field.super.toJson();
            o.put("min_length", minLength);
            o.put("max_length", maxLength);
            return o;
        }
    }

    /**
     * The load profile.
     *
     * @param rate records/s of the open-loop generator; empty for {@code rate: max}; 0 only for
     *        {@code type: pipelines} without a load section (the rate does not apply there)
     * @param slo the latency objective; present whenever the rate is {@code max}
     */
    public record Load(OptionalLong rate, Duration duration, Duration warmup, Duration rampUp, List<Burst> bursts,
                       Optional<Slo> slo, Search search) {
        /** Whether the rate is {@code max}: search for the highest rate whose p99 meets the SLO. */
        public boolean isMax() {
            return rate.isEmpty();
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.objectNode();
            if (isMax()) {
                o.put("rate", "max");
            } else {
                o.put("rate", rate.getAsLong());
            }
            o.put("duration", Durations.format(duration));
            o.put("warmup", Durations.format(warmup));
            o.put("ramp_up", Durations.format(rampUp));
            ArrayNode b = o.putArray("bursts");
            for (Burst burst : bursts) {
                ObjectNode e = b.addObject();
                e.put("at", Durations.format(burst.at()));
                e.put("duration", Durations.format(burst.duration()));
                e.put("rate", burst.rate());
            }
            slo.ifPresent(s -> o.putObject("slo").put("p99_ms", s.p99Ms()));
            if (isMax()) {
                ObjectNode s = o.putObject("search");
                s.put("start", search.start());
                s.put("factor", search.factor());
                s.put("max_steps", search.maxSteps());
            }
            return o;
        }
    }

    /** {@code rate} records/s for {@code duration}, starting {@code at} after the start of the measured window. */
    public record Burst(Duration at, Duration duration, long rate) {
    }

    public record Slo(double p99Ms) {
    }

    /** The {@code rate: max} search: start rate, growth factor per step, most steps. */
    public record Search(long start, double factor, int maxSteps) {
    }

    public enum CheckType {
        /** Every matching input id exactly once in the output. */
        IDS,
        /** Aggregated counts and exact sums over the output equal those of the matching input. */
        TOTALS,
        /** No output check (only with a stated reason). */
        NONE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum TotalsMode {
        /** The last row per key counts (a continuously updated aggregate). */
        FINAL_PER_KEY,
        /** Every row counts (windows emitted once, EMIT FINAL). */
        WINDOWS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A comparison operator of a {@code where} condition. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("="), NE("!="), IN("in");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Optional<Op> of(String s) {
            for (Op op : values()) {
                if (op.symbol.equals(s) || (op == EQ && "==".equals(s))) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A condition on a generated field: {@code field op value}; for {@code in}, {@code values} holds the
     * list and {@code value} is null. Values are kept as the file's text and typed by the field.
     */
    public record Condition(String field, Op op, String value, List<String> values) {
        ObjectNode toJson() {
            ObjectNode o = JSON.objectNode();
            o.put("field", field);
            o.put("op", op.symbol());
            if (op == Op.IN) {
                ArrayNode a = o.putArray("value");
                values.forEach(a::add);
            } else {
                o.put("value", value);
            }
            return o;
        }
    }

    /** A summed column: the output column's total must equal the exact sum of the input field. */
    public record Sum(String input, String output) {
    }

    /**
     * The expected-output check.
     *
     * @param idField the input sequence field and output column of {@code ids} checks
     * @param where conditions that all hold for an input record to be expected (malformed ones never are)
     * @param keyField output column with the group key, for {@code final_per_key}
     * @param countOutput output column summing to the number of matching input records, if any
     * @param reason why a {@code none} check is acceptable
     */
    public record Check(CheckType type, Optional<String> idField, List<Condition> where, Optional<String> keyField,
                        TotalsMode mode, Optional<String> countOutput, List<Sum> sums, Optional<String> reason,
                        Optional<Closing> closing) {
        public Check(CheckType type, Optional<String> idField, List<Condition> where, Optional<String> keyField,
                     TotalsMode mode, Optional<String> countOutput, List<Sum> sums, Optional<String> reason) {
            this(type, idField, where, keyField, mode, countOutput, sums, reason, Optional.empty());
        }

        ObjectNode toJson() {
            ObjectNode o = JSON.objectNode();
            o.put("type", type.id());
            idField.ifPresent(f -> o.put("id_field", f));
            if (!where.isEmpty()) {
                ArrayNode w = o.putArray("where");
                where.forEach(c -> w.add(c.toJson()));
            }
            if (type == CheckType.TOTALS) {
                keyField.ifPresent(f -> o.put("key_field", f));
                o.put("mode", mode.id());
                countOutput.ifPresent(c -> o.putObject("count").put("output", c));
                ArrayNode s = o.putArray("sums");
                sums.forEach(sum -> s.addObject().put("input", sum.input()).put("output", sum.output()));
                closing.ifPresent(cl -> o.putObject("closed_by_watermark").put("event_time", cl.eventTime())
                        .put("window_ms", cl.windowMillis()).put("out_of_orderness_ms", cl.outOfOrdernessMillis()));
            }
            reason.ifPresent(r -> o.put("reason", r));
            return o;
        }
    }

    /**
     * For {@code windows} totals of a job whose windows stay open when it stops (a Kafka job keeps them
     * in its changelog, to go on after a restart): only the records of windows the job's final
     * watermark has closed are expected — tumbling windows of {@code windowMillis} on field
     * {@code eventTime}, closed once (max event time of the well-formed records − out-of-orderness)
     * reaches their end, as the engine closes them.
     */
    public record Closing(String eventTime, long windowMillis, long outOfOrdernessMillis) {
    }

    public enum Direction {
        HIGHER, LOWER;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A gated metric: which way is better and the smallest relative change that may count as a regression. */
    public record GateMetric(Direction direction, double tolerance) {
    }

    /** @param metrics flattened metric paths ({@code latency_ms.p99}) in file order */
    public record Gate(double alpha, Map<String, GateMetric> metrics) {
        static Map<String, GateMetric> defaults() {
            Map<String, GateMetric> m = new LinkedHashMap<>();
            m.put("throughput_rps", new GateMetric(Direction.HIGHER, 0.05));
            m.put("cpu_ns_per_record", new GateMetric(Direction.LOWER, 0.05));
            m.put("latency_ms.p99", new GateMetric(Direction.LOWER, 0.15));
            m.put("alloc_bytes_per_record", new GateMetric(Direction.LOWER, 0.10));
            return m;
        }
    }

    /** The exactly-once audit: the engine is killed {@code kills} times with {@code signal}, every {@code every}. */
    public record Crash(int kills, String signal, Duration every) {
    }

    public record Scale(List<Integer> threads, List<Integer> instances) {
    }
}
