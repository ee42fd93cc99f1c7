package io.velo.codec.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.batch.RecordBatch;
import io.velo.codec.BytesDecoder;
import io.velo.codec.BytesEncoder;
import io.velo.codec.CodecFixtures;
import io.velo.codec.FormatContext;
import io.velo.codec.OutputBuffer;
import io.velo.failure.RecordError;
import io.velo.sql.SqlException;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Conversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro: our writer and reader against each other and against Apache Avro's own (decimals at several
 * scales and beyond 64 bits, NULLs, unicode), and hostile messages (every truncation, random bytes,
 * another schema, another framing) giving record errors only.
 */
class AvroCodecTest {
    static final Schema COLS = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("px", DataType.decimal(18, 4)),
            new Field("big", DataType.decimal(38, 10)), new Field("name", DataType.STRING), new Field("ok", DataType.BOOLEAN),
            new Field("ratio", DataType.DOUBLE), new Field("ts", DataType.TIMESTAMP), new Field("day", DataType.DATE)));

    @TempDir
    Path dir;

    static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new Conversions.DecimalConversion());
    }

    private RecordBatch rows(int n, long seed) {
        Random r = new Random(seed);
        RecordBatch b = CodecFixtures.batch(COLS, n);
        String[] names = {"ACME", "naïve", "😀 rocket 🚀", "", "a\"b,c\nd", "日本語"};
        Dec d = new Dec();
        for (int i = 0; i < n; i++) {
            b.columns[0].setLong(i, i == 1 ? Long.MAX_VALUE : i == 2 ? Long.MIN_VALUE : r.nextLong());
            long u = i == 3 ? 999_999_999_999_999_999L : i == 4 ? -999_999_999_999_999_999L : r.nextLong() % 1_000_000_000_000L;
            b.columns[1].setDecimal(i, d.set(u, 4));
            BigDecimal big = new BigDecimal(new BigInteger(120, r)).movePointLeft(10);
            b.columns[2].setDecimal(i, d.set(i % 2 == 0 ? big : big.negate()));
            b.columns[3].setObject(i, names[i % names.length]);
            b.columns[4].setLong(i, i % 2);
            b.columns[5].setDouble(i, r.nextDouble() * 1e6);
            b.columns[6].setLong(i, 1_700_000_000_000L + r.nextInt(1_000_000_000));
            b.columns[7].setLong(i, 19_000 + r.nextInt(1000));
            if (i % 5 == 4) {
                b.columns[i % COLS.size()].setNull(i);
            }
        }
        b.size = n;
        return b;
    }

    @Test
    void derivedSchemaRoundTripsEveryValue() {
        for (String framing : List.of("single_object", "binary")) {
            FormatContext c = CodecFixtures.context(COLS, dir, false, "avro.framing", framing);
            BytesEncoder enc = new AvroFormat().encoder(c);
            FormatContext src = CodecFixtures.context(COLS, dir, false, "avro.framing", framing,
                    "avro.schema", AvroFormat.sinkSchema(c).toString());
            BytesDecoder dec = new AvroFormat().decoder(src);
            RecordBatch in = rows(200, 7);
            RecordBatch out = CodecFixtures.batch(COLS, 200);
            OutputBuffer buf = new OutputBuffer(16);
            for (int i = 0; i < in.size; i++) {
                buf.clear();
                enc.encode(in, i, buf);
                dec.decode(buf.data, 0, buf.length, out, i);
                assertEquals(CodecFixtures.row(in, i), CodecFixtures.row(out, i), framing + " row " + i);
            }
        }
    }

    @Test
    void ourBytesAreWhatApacheAvroReadsAndWrites() throws Exception {
        FormatContext c = CodecFixtures.context(COLS, dir, false, "avro.framing", "binary");
        org.apache.avro.Schema schema = AvroFormat.sinkSchema(c);
        BytesEncoder enc = new AvroFormat().encoder(c);
        BytesDecoder dec = new AvroFormat().decoder(CodecFixtures.context(COLS, dir, false, "avro.framing", "binary",
                "avro.schema", schema.toString()));
        RecordBatch in = rows(100, 11);
        RecordBatch back = CodecFixtures.batch(COLS, 100);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema, schema, DATA);
        GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema, DATA);
        OutputBuffer buf = new OutputBuffer(16);
        for (int i = 0; i < in.size; i++) {
            buf.clear();
            enc.encode(in, i, buf);
            GenericRecord rec = reader.read(null, DecoderFactory.get().binaryDecoder(buf.data, 0, buf.length, null));
            BigDecimal px = (BigDecimal) rec.get("px");
            Dec d = new Dec();
            if (!in.columns[1].isNull(i)) {
                in.columns[1].getDecimal(i, d);
                assertEquals(d.toBigDecimal(), px, "row " + i);
            }
            if (!in.columns[2].isNull(i)) {
                in.columns[2].getDecimal(i, d);
                assertEquals(d.toBigDecimal(), rec.get("big"), "row " + i);
            }
            // and back: Avro's writer → our reader gives the row again
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder e = EncoderFactory.get().binaryEncoder(bytes, null);
            writer.write(rec, e);
            e.flush();
            byte[] m = bytes.toByteArray();
            assertTrue(Arrays.equals(m, Arrays.copyOf(buf.data, buf.length)), "the same bytes as Apache Avro, row " + i);
            dec.decode(m, 0, m.length, back, i);
            assertEquals(CodecFixtures.row(in, i), CodecFixtures.row(back, i));
        }
    }

    @Test
    void singleObjectMessagesOfApacheAvroAreRead() throws Exception {
        String avsc = "{\"type\":\"record\",\"name\":\"Trade\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"long\"},"
                + "{\"name\":\"px\",\"type\":{\"type\":\"fixed\",\"name\":\"P\",\"size\":9,\"logicalType\":\"decimal\",\"precision\":20,\"scale\":3}},"
                + "{\"name\":\"venue\",\"type\":\"string\"},"
                + "{\"name\":\"side\",\"type\":{\"type\":\"enum\",\"name\":\"Side\",\"symbols\":[\"BUY\",\"SELL\"]}},"
                + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
        Files.writeString(dir.resolve("trade.avsc"), avsc);
        Schema cols = new Schema(List.of(new Field("px", DataType.decimal(20, 3)), new Field("id", DataType.BIGINT),
                new Field("side", DataType.STRING), new Field("ts", DataType.TIMESTAMP), new Field("note", DataType.STRING)));
        BytesDecoder dec = new AvroFormat().decoder(CodecFixtures.context(cols, dir, false, "avro.schema", "trade.avsc"));
        org.apache.avro.Schema s = new org.apache.avro.Schema.Parser().parse(avsc);
        GenericData.Record rec = new GenericData.Record(s);
        rec.put("id", 42L);
        rec.put("px", new Conversions.DecimalConversion().toFixed(new BigDecimal("-12345678901234567.891"), s.getField("px").schema(),
                s.getField("px").schema().getLogicalType()));
        rec.put("venue", "XNAS");
        rec.put("side", new GenericData.EnumSymbol(s.getField("side").schema(), "SELL"));
        rec.put("ts", 1_700_000_000_123L);
        rec.put("note", null);
        ByteBuffer bb = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), s).encode(rec);
        byte[] m = new byte[bb.remaining()];
        bb.get(m);
        RecordBatch out = CodecFixtures.batch(cols, 1);
        dec.decode(m, 0, m.length, out, 0);
        assertEquals("-12345678901234567.891|42|SELL|2023-11-14T22:13:20.123Z|null", CodecFixtures.row(out, 0));

        // every truncation and random corruption is a record error, never another exception
        for (int len = 0; len < m.length; len++) {
            int l = len;
            RecordError e = assertThrows(RecordError.class, () -> dec.decode(m, 0, l, out, 0), "length " + len);
            assertEquals(RecordError.MALFORMED_INPUT, e.code());
        }
        Random r = new Random(3);
        for (int k = 0; k < 20_000; k++) {
            byte[] x = m.clone();
            for (int j = 0; j < 1 + r.nextInt(4); j++) {
                x[10 + r.nextInt(x.length - 10)] = (byte) r.nextInt(256);
            }
            try {
                dec.decode(x, 0, x.length, out, 0);
            } catch (RecordError expected) {
                // fine: a clear record error
            }
        }
    }

    @Test
    void anotherSchemaOrFramingIsReportedNotMisread() {
        FormatContext c = CodecFixtures.context(COLS, dir, false);
        BytesEncoder enc = new AvroFormat().encoder(c);
        OutputBuffer buf = new OutputBuffer(16);
        enc.encode(rows(1, 1), 0, buf);
        Schema fewer = new Schema(List.of(new Field("id", DataType.BIGINT)));
        String other = "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
        BytesDecoder dec = new AvroFormat().decoder(CodecFixtures.context(fewer, dir, false, "avro.schema", other));
        RecordBatch out = CodecFixtures.batch(fewer, 1);
        RecordError e = assertThrows(RecordError.class, () -> dec.decode(buf.data, 0, buf.length, out, 0));
        assertTrue(e.getMessage().contains("written with another Avro schema"), e.getMessage());
        byte[] confluent = {0, 0, 0, 0, 7, 2};
        e = assertThrows(RecordError.class, () -> dec.decode(confluent, 0, confluent.length, out, 0));
        assertTrue(e.getMessage().contains("Confluent Schema Registry framing (magic byte 0, schema id 7)"), e.getMessage());
        BytesDecoder bare = new AvroFormat().decoder(CodecFixtures.context(fewer, dir, false, "avro.schema", other, "avro.framing", "binary"));
        byte[] extra = {2, 4};
        e = assertThrows(RecordError.class, () -> bare.decode(extra, 0, extra.length, out, 0));
        assertTrue(e.getMessage().contains("1 bytes left after the Avro record"), e.getMessage());
    }

    @Test
    void schemaMistakesAreCheckTimeErrors() {
        Schema cols = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("px", DataType.decimal(10, 2))));
        String s = "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"px\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":4}}]}";
        SqlException e = assertThrows(SqlException.class, () -> new AvroFormat().decoder(CodecFixtures.context(cols, dir, false, "avro.schema", s)));
        assertTrue(e.getMessage().contains("Avro field 'id' of type string cannot be read as column 'id' BIGINT"), e.getMessage());
        e = assertThrows(SqlException.class, () -> new AvroFormat().decoder(CodecFixtures.context(cols, dir, false, "avro.schema", "nope.avsc")));
        assertTrue(e.getMessage().contains("Avro schema file 'nope.avsc' not found"), e.getMessage());
        e = assertThrows(SqlException.class, () -> new AvroFormat().decoder(CodecFixtures.context(cols, dir, false, "avro.schema", "{\"type\":")));
        assertTrue(e.getMessage().contains("is not a valid Avro schema"), e.getMessage());
        e = assertThrows(SqlException.class, () -> new AvroFormat().decoder(CodecFixtures.context(cols, dir, false)));
        assertTrue(e.getMessage().contains("needs 't.avro.schema'"), e.getMessage());
        String rounds = s.replace("\"string\"", "\"long\"");
        e = assertThrows(SqlException.class, () -> new AvroFormat().decoder(CodecFixtures.context(cols, dir, false, "avro.schema", rounds)));
        assertTrue(e.getMessage().contains("would round it"), e.getMessage());
    }
}
