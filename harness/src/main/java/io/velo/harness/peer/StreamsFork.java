package io.velo.harness.peer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.velo.harness.kafka.KafkaBenchmark;
import io.velo.harness.measure.ProcessCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The main class of the JVM forked for the Kafka Streams side of the peer comparison:
 * {@code filter_projection|tumbling_count CONFIG-JSON}. It runs one plain-DSL Streams application and
 * prints one JSON result line after {@link KafkaBenchmark#RESULT_MARKER}, as {@code PipeFork} does for Velo.
 *
 * <p>Queries. {@code filter_projection} parses each trade with Jackson's streaming parser, keeps
 * {@code quantity > 100} and writes the projection {@code TradeMessages.SQL_SELECT} writes, byte for byte
 * (the notional an exact {@link BigDecimal} at scale 4). {@code tumbling_count} counts trades per
 * symbol per 1-second event-time window (event time from the JSON, by a {@link TimestampExtractor}),
 * grouped by the symbol read from the JSON (a re-key, so through a repartition topic carrying the key
 * and an empty value), and emits one final row per window (but none for the closing tail's symbols, whose
 * windows close too and would count towards the expected output): {@code suppress(untilWindowCloses)} by default (emitted as soon as
 * stream time closes the window, like Velo's EMIT FINAL), or {@code EmitStrategy.onWindowClose()}.
 *
 * <p>Measurement, the same as the Velo side's: start-up is JVM start to the first input record
 * processed; the clock (and {@link ProcessCounters}) starts once {@code warmup_records} input records
 * were processed and stops when every input record was processed and the producer has the
 * {@code expected_out}-th output record acknowledged (a {@link ProducerInterceptor} counts the output
 * topic's acknowledgements), whichever comes last — Velo's job ends when it has read its input and its
 * sink has everything acknowledged. If that count
 * is never reached (a wrong answer), the run ends once every input record was processed and no
 * acknowledgement came for a while; the result says {@code complete: false} and the comparison's
 * verification fails it.
 */
public final class StreamsFork {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = new JsonFactory();
    private static final long IDLE_NANOS_MIN = 5_000_000_000L;

    /** The measured section, shared by the topology's threads and the producer's acknowledgement callback. */
    static final class Clock {
        final long warmup;
        final long inputRecords;
        final long expectedOut;
        final String outTopic;
        final ProcessCounters counters = new ProcessCounters();
        final AtomicLong seen = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicBoolean stopped = new AtomicBoolean();
        final AtomicReference<String> failure = new AtomicReference<>();
        volatile long firstWallMillis;
        volatile long startNanos;
        volatile long lastAckNanos;
        volatile long allSeenNanos;
        volatile long endNanos;

        Clock(long warmup, long inputRecords, long expectedOut, String outTopic) {
            this.warmup = warmup;
            this.inputRecords = inputRecords;
            this.expectedOut = expectedOut;
            this.outTopic = outTopic;
        }

        /** One input record reaches the topology. */
        void saw() {
            long n = seen.getAndIncrement();
            if (n == 0) {
                firstWallMillis = System.currentTimeMillis();
            }
            if (n == warmup) {
                startNanos = System.nanoTime();
                counters.start();
            }
            if (n + 1 == inputRecords) {
                allSeenNanos = System.nanoTime();
                if (acked.get() >= expectedOut) {
                    stop(allSeenNanos);
                }
            }
        }

        void acknowledged(RecordMetadata md, Exception e) {
            if (e != null) {
                failure.compareAndSet(null, "a send to '" + (md == null ? "?" : md.topic()) + "' failed: " + e);
                return;
            }
            if (md == null || !outTopic.equals(md.topic())) {
                return; // a changelog or repartition topic
            }
            long n = acked.incrementAndGet();
            lastAckNanos = System.nanoTime();
            if (n == expectedOut && allSeenNanos != 0) {
                stop(lastAckNanos);
            }
        }

        void stop(long at) {
            if (startNanos != 0 && stopped.compareAndSet(false, true)) {
                endNanos = at;
                counters.stop();
            }
        }
    }

    /** The clock of this JVM's one application (interceptors are made by the producer, by class name). */
    static volatile Clock clock;

    /** Counts the output topic's acknowledgements for {@link Clock}. */
    public static final class AckCounter implements ProducerInterceptor<byte[], byte[]> {
        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            Clock c = clock;
            if (c != null) {
                c.acknowledged(metadata, exception);
            }
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    private StreamsFork() {
    }

    public static void main(String[] args) throws Exception {
        ObjectNode result;
        try {
            result = run(args[0], MAPPER.readTree(args[1]));
        } catch (RuntimeException | OutOfMemoryError e) {
            result = MAPPER.createObjectNode();
            result.put("error", "Kafka Streams side (" + args[0] + ") failed: " + e);
        }
        System.out.println(KafkaBenchmark.RESULT_MARKER + MAPPER.writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }

    /** The Streams properties the fork sets itself, whatever the settings say. */
    static Properties properties(JsonNode config, Path stateDir) {
        Properties p = new Properties();
        config.get("settings").fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get("application_id").asText());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("bootstrap").asText());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), AckCounter.class.getName());
        return p;
    }

    static ObjectNode run(String query, JsonNode config) throws IOException {
        String in = config.get("in").asText();
        String out = config.get("out").asText();
        long inputRecords = config.get("input_records").asLong();
        long warmup = config.path("warmup_records").asLong(0);
        long dropTradeId = config.path("drop_trade_id").asLong(0); // the sabotage: the answer is wrong by one trade
        Clock c = new Clock(warmup, inputRecords, config.get("expected_out").asLong(), out);
        clock = c;
        StreamsBuilder builder = new StreamsBuilder();
        switch (query) {
            case "filter_projection" -> filterProjection(builder, in, out, c, dropTradeId);
            case "tumbling_count" -> tumblingCount(builder, in, out, c, dropTradeId, config.get("window_ms").asLong(),
                    config.get("grace_ms").asLong(), config.path("emit").asText("suppress"), config.get("closing_prefix").asText());
            default -> throw new IllegalArgumentException("unknown query '" + query + "'");
        }
        Path stateDir = Files.createTempDirectory("velo-peer-streams-");
        Properties props = properties(config, stateDir);
        long commitMs = Long.parseLong(props.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "30000"));
        long idleNanos = Math.max(IDLE_NANOS_MIN, 3_000_000L * commitMs);
        long timeoutNanos = config.path("timeout_s").asLong(600) * 1_000_000_000L;
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.setUncaughtExceptionHandler(e -> {
            c.failure.compareAndSet(null, "a stream thread failed: " + e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        boolean complete;
        try {
            streams.start();
            long started = System.nanoTime();
            while (true) {
                if (c.failure.get() != null) {
                    throw new IllegalStateException(c.failure.get());
                }
                if (c.stopped.get()) {
                    complete = true;
                    break;
                }
                long now = System.nanoTime();
                long allSeenAt = c.allSeenNanos;
                if (allSeenAt != 0 && now - Math.max(allSeenAt, c.lastAckNanos) > idleNanos) {
                    c.stop(Math.max(allSeenAt, c.lastAckNanos));
                    complete = false;
                    break;
                }
                if (now - started > timeoutNanos) {
                    throw new IllegalStateException("no end after " + timeoutNanos / 1_000_000_000L + " s: " + c.seen.get() + " of "
                            + inputRecords + " input records processed, " + c.acked.get() + " of " + c.expectedOut + " output records acknowledged");
                }
                sleep(10);
            }
        } finally {
            streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
            deleteTree(stateDir);
        }
        if (c.startNanos == 0 || c.endNanos <= c.startNanos) {
            throw new IllegalStateException("nothing measured: " + c.seen.get() + " input records processed (warm-up " + warmup + ")");
        }
        ObjectNode r = MAPPER.createObjectNode();
        r.put("elapsed_nanos", c.endNanos - c.startNanos);
        r.put("alloc_bytes", c.counters.allocatedBytes());
        r.put("cpu_nanos", c.counters.cpuNanos());
        r.put("records_in", c.seen.get());
        r.put("measured_records", c.seen.get() - warmup);
        r.put("records_out", c.acked.get());
        r.put("complete", complete);
        r.put("startup_ms", c.firstWallMillis - ManagementFactory.getRuntimeMXBean().getStartTime());
        return r;
    }

    // ---------------------------------------------------------------- filter + projection

    private static void filterProjection(StreamsBuilder builder, String in, String out, Clock c, long dropTradeId) {
        builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMapValues(v -> {
                    c.saw();
                    byte[] projected = project(v, dropTradeId);
                    return projected == null ? Collections.<byte[]>emptyList() : Collections.singletonList(projected);
                })
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    }

    /**
     * The query's output for one trade, or null when {@code quantity > 100} fails: {@code trade_id,
     * symbol, price, quantity, notional} in that order, decimals as strings at scale 4.
     */
    static byte[] project(byte[] message, long dropTradeId) {
        long tradeId = 0;
        long quantity = 0;
        String symbol = null;
        String price = null;
        try (JsonParser p = JSON.createParser(message)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + new String(message, java.nio.charset.StandardCharsets.UTF_8));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "trade_id" -> tradeId = p.getLongValue();
                    case "symbol" -> symbol = p.getText();
                    case "price" -> price = p.getText();
                    case "quantity" -> quantity = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            if (quantity <= 100 || tradeId == dropTradeId) {
                return null;
            }
            BigDecimal priceValue = new BigDecimal(price).setScale(4);
            BigDecimal notional = priceValue.multiply(BigDecimal.valueOf(quantity));
            ByteArrayBuilder bytes = new ByteArrayBuilder(128);
            try (JsonGenerator g = JSON.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeNumberField("trade_id", tradeId);
                g.writeStringField("symbol", symbol);
                g.writeStringField("price", priceValue.toPlainString());
                g.writeNumberField("quantity", quantity);
                g.writeStringField("notional", notional.toPlainString());
                g.writeEndObject();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- tumbling count

    /** The trade's {@code event_time} (epoch milliseconds) is the record's timestamp. */
    public static final class EventTime implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            return eventTime((byte[]) record.value());
        }
    }

    private static final byte[] EMPTY = new byte[0];

    static String symbol(byte[] message) {
        try (JsonParser p = JSON.createParser(message)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("symbol")) {
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException("no symbol in " + new String(message, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long eventTime(byte[] message) {
        try (JsonParser p = JSON.createParser(message)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("event_time")) {
                    return p.getLongValue();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException("no event_time in " + new String(message, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tumblingCount(StreamsBuilder builder, String in, String out, Clock c, long dropTradeId, long windowMs,
                                      long graceMs, String emit, String closingPrefix) {
        KStream<byte[], byte[]> trades = builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withTimestampExtractor(new EventTime()))
                .peek((k, v) -> c.saw());
        if (dropTradeId != 0) {
            String prefix = "{\"trade_id\":" + dropTradeId + ",";
            trades = trades.filter((k, v) -> !new String(v, java.nio.charset.StandardCharsets.UTF_8).startsWith(prefix));
        }
        // re-keyed by symbol with an empty value: the repartition topic carries only what the count needs
        KStream<String, byte[]> bySymbol = trades.map((k, v) -> KeyValue.pair(symbol(v), EMPTY));
        TimeWindowedKStream<String, byte[]> windowed = bySymbol
                .groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windowMs), Duration.ofMillis(graceMs)));
        KTable<Windowed<String>, Long> counts;
        switch (emit) {
            case "suppress" -> counts = windowed.count(Materialized.with(Serdes.String(), Serdes.Long()))
                    .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
            case "on_window_close" -> counts = windowed.emitStrategy(EmitStrategy.onWindowClose())
                    .count(Materialized.with(Serdes.String(), Serdes.Long()));
            default -> throw new IllegalArgumentException("unknown emit '" + emit + "' (suppress, on_window_close)");
        }
        counts.toStream()
                .filter((w, n) -> !w.key().startsWith(closingPrefix)) // the closing tail's windows are no result
                .map((w, n) -> KeyValue.pair(w.key(), countRow(w.key(), w.window().start(), n)))
                .to(out, Produced.with(Serdes.String(), Serdes.ByteArray()));
    }

    /** {@code {"symbol":..,"window_start":..,"trades":..}}, the window start as ISO-8601 UTC text as Velo writes timestamps. */
    static byte[] countRow(String symbol, long windowStart, long trades) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(80);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("symbol", symbol);
            g.writeStringField("window_start", Instant.ofEpochMilli(windowStart).toString());
            g.writeNumberField("trades", trades);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    static List<String> queries() {
        return List.of("filter_projection", "tumbling_count");
    }
}
