package io.velo.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import io.velo.cli.Main;
import io.velo.codec.CodecFixtures;
import io.velo.codec.protobuf.ProtobufFormat;
import io.velo.types.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV, Avro and Protobuf through the real embedded broker (one per class): each job's output is
 * compared exactly, and malformed messages in the input topics are counted as record errors at
 * topic/partition@offset.
 */
class KafkaFormatsTest {
    private static EmbeddedKafka kafka;
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
        bootstrap = kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static void produce(String topic, List<byte[]> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new CheckedProducer<>(p)) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v));
            }
            producer.flush();
        }
    }

    private static List<byte[]> drain(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && out.size() < expected) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                out.add(r.value()); // any record beyond the expected ones
            }
        }
        return out;
    }

    private String run(String sql, int expectRc) throws Exception {
        Path script = dir.resolve("job.sql");
        Files.writeString(script, sql);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(new String[] {"run", script.toString(), "--kafka", bootstrap, "--until-idle", "2s"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        String log = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectRc, rc, log);
        return log;
    }

    @Test
    void csvKafkaToKafka() throws Exception {
        List<byte[]> in = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            in.add(String.format("%d;%s;%d.%02d\n", i, i % 2 == 0 ? "Zürich \"HQ\"" : "a,b", 100 + i, i).getBytes(StandardCharsets.UTF_8));
        }
        in.add("1;x;not-a-number".getBytes(StandardCharsets.UTF_8));
        in.add(new byte[] {'2', ';', (byte) 0xC3, ';', '1'});
        produce("csv_in", in);
        String log = run("CREATE STREAM t (id BIGINT, venue STRING, px DECIMAL(10,2)) WITH ('t.type' = 'kafka_source', 't.topic' = 'csv_in',"
                + " 't.format' = 'csv', 't.delimiter' = ';');\n"
                + "CREATE STREAM o AS SELECT id, venue, px * 2 AS px2 FROM t WHERE id % 10 = 0\n"
                + "WITH ('o.type' = 'kafka_sink', 'o.topic' = 'csv_out', 'o.format' = 'csv');\n", 0);
        assertTrue(log.matches("(?s).*csv_in/0@100: error 22P02: field 'px': 'not-a-number'.*"), log);
        assertTrue(log.matches("(?s).*csv_in/0@101: error 22021.*"), log);
        assertTrue(log.contains("102 records read, 10 written, 90 filtered out, 2 failed"), log);
        List<String> got = new ArrayList<>();
        drain("csv_out", 10).forEach(b -> got.add(new String(b, StandardCharsets.UTF_8)));
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 100; i += 10) {
            want.add(i + ",\"Zürich \"\"HQ\"\"\"," + String.format("%d.%02d", (100 + i) * 2 + (2 * i) / 100, (2 * i) % 100) + "");
        }
        assertEquals(want, got);
    }

    @Test
    void avroFileToKafkaToFile() throws Exception {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            json.append(String.format("{\"id\":%d,\"sym\":\"%s\",\"px\":\"%s\",\"ts\":\"2024-03-01T10:00:%02d.250Z\",\"note\":%s}\n",
                    i, i % 3 == 0 ? "ÄPFEL 🍎" : "MSFT", i == 7 ? "-99999999999999.9999" : (i * 1.25) + "", i % 60,
                    i % 5 == 0 ? "null" : "\"n" + i + "\""));
        }
        Files.writeString(dir.resolve("in.json"), json.toString());
        run("CREATE STREAM t (id BIGINT, sym STRING, px DECIMAL(18,4), ts TIMESTAMP, note STRING) WITH ('t.type' = 'file_source',"
                + " 't.path' = 'in.json');\n"
                + "CREATE STREAM trades_avro AS SELECT id, sym, px, ts, note FROM t\n"
                + "WITH ('trades_avro.type' = 'kafka_sink', 'trades_avro.format' = 'avro');\n", 0);
        // a truncated message and one written with another schema join the topic
        byte[] first = drain("trades_avro", 50).get(0);
        produce("trades_avro", List.of(java.util.Arrays.copyOf(first, first.length - 3),
                new byte[] {(byte) 0xC3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 2}));
        String avsc = "{\"type\":\"record\",\"name\":\"trades_avro\",\"namespace\":\"io.velo.out\",\"fields\":["
                + "{\"name\":\"id\",\"type\":[\"null\",\"long\"]},{\"name\":\"sym\",\"type\":[\"null\",\"string\"]},"
                + "{\"name\":\"px\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}]},"
                + "{\"name\":\"ts\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}]},"
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"]}]}";
        Files.writeString(dir.resolve("trade.avsc"), avsc);
        // no declared columns: the source's columns come from the Avro schema
        String log = run("SELECT id, sym, px, ts, note FROM a INTO back WITH ('a.type' = 'kafka_source', 'a.topic' = 'trades_avro',"
                + " 'a.format' = 'avro', 'a.avro.schema' = 'trade.avsc', 'back.type' = 'file_sink', 'back.path' = 'back.json');\n", 0);
        assertTrue(log.matches("(?s).*trades_avro/0@50: error 22P02: truncated Avro message.*"), log);
        assertTrue(log.matches("(?s).*trades_avro/0@51: error 22P02: the message was written with another Avro schema.*"), log);
        assertTrue(log.contains("52 records read, 50 written, 2 failed"), log);
        List<String> back = Files.readAllLines(dir.resolve("back.json"));
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String px = i == 7 ? "-99999999999999.9999" : new java.math.BigDecimal(i * 1.25 + "").setScale(4).toPlainString();
            want.add(String.format("{\"id\":%d,\"sym\":\"%s\",\"px\":\"%s\",\"ts\":\"2024-03-01T10:00:%02d.250Z\",\"note\":%s}",
                    i, i % 3 == 0 ? "ÄPFEL 🍎" : "MSFT", px, i % 60, i % 5 == 0 ? "null" : "\"n" + i + "\""));
        }
        assertEquals(want, back);
    }

    @Test
    void protobufKafkaToKafka() throws Exception {
        Files.writeString(dir.resolve("trade.proto"), """
                syntax = "proto3";
                package demo;
                message Decimal { int64 unscaled = 1; int32 scale = 2; }
                message Trade { int64 id = 1; string sym = 2; Decimal px = 3; int64 qty = 4; }
                message Notional { int64 id = 1; optional string sym = 2; string notional = 3; }
                """);
        Descriptor trade = ProtobufFormat.message(CodecFixtures.context(new Schema(List.of()), dir, false,
                "proto.file", "trade.proto", "proto.message", "Trade"));
        Descriptor dec = trade.findFieldByName("px").getMessageType();
        List<byte[]> in = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DynamicMessage px = DynamicMessage.newBuilder(dec).setField(dec.findFieldByName("unscaled"), 1_000_000L * i + 12345)
                    .setField(dec.findFieldByName("scale"), 4).build();
            in.add(DynamicMessage.newBuilder(trade).setField(trade.findFieldByName("id"), (long) i)
                    .setField(trade.findFieldByName("sym"), i % 2 == 0 ? "BÖRSE" : "X").setField(trade.findFieldByName("px"), px)
                    .setField(trade.findFieldByName("qty"), (long) i * 3).build().toByteArray());
        }
        byte[] good = in.get(5);
        in.add(java.util.Arrays.copyOf(good, good.length - 1)); // a tag without its value
        produce("pb_in", in);
        String log = run("CREATE STREAM t (id BIGINT, sym STRING, px DECIMAL(18,4), qty BIGINT) WITH ('t.type' = 'kafka_source',"
                + " 't.topic' = 'pb_in', 't.format' = 'protobuf', 't.proto.file' = 'trade.proto', 't.proto.message' = 'demo.Trade');\n"
                + "CREATE STREAM o AS SELECT id, sym, px * qty AS notional FROM t WHERE id % 4 = 1\n"
                + "WITH ('o.type' = 'kafka_sink', 'o.topic' = 'pb_out', 'o.format' = 'protobuf', 'o.proto.file' = 'trade.proto',"
                + " 'o.proto.message' = 'Notional');\n", 0);
        assertTrue(log.matches("(?s).*pb_in/0@40: error 22P02: truncated Protobuf message.*"), log);
        assertTrue(log.contains("41 records read, 10 written, 30 filtered out, 1 failed"), log);
        Descriptor out = trade.getFile().findMessageTypeByName("Notional");
        List<String> got = new ArrayList<>();
        for (byte[] b : drain("pb_out", 10)) {
            DynamicMessage m = DynamicMessage.parseFrom(out, b);
            got.add(m.getField(out.findFieldByName("id")) + " " + m.getField(out.findFieldByName("sym")) + " "
                    + m.getField(out.findFieldByName("notional")));
        }
        List<String> want = new ArrayList<>();
        for (int i = 1; i < 40; i += 4) {
            want.add(i + " X " + java.math.BigDecimal.valueOf(1_000_000L * i + 12345, 4).multiply(java.math.BigDecimal.valueOf(i * 3L))
                    .toPlainString());
        }
        assertEquals(want, got);
    }
}
