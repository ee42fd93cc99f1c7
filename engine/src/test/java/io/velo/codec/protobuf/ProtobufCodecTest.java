package io.velo.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
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
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protobuf from a .proto file: round trips (decimals as {unscaled, scale} and as text, NULLs through
 * proto3 optional, unicode, Timestamp), our bytes against protobuf-java's DynamicMessage both ways,
 * and hostile messages giving record errors only.
 */
class ProtobufCodecTest {
    static final String PROTO = """
            syntax = "proto3";
            package test.trades;
            import "google/protobuf/timestamp.proto";
            import "money.proto";

            message Trade {
              int64 id = 1;
              optional string sym = 2;
              Decimal px = 3;           // {unscaled, scale}
              string notional = 4;      // decimal text
              optional bool ok = 5;
              optional double ratio = 6;
              google.protobuf.Timestamp ts = 7;
              optional int32 day = 8;
              Side side = 9;
              sint64 delta = 10;
              map<string, int64> tags = 11;
              repeated string notes = 12;
              enum Side { BUY = 0; SELL = 1; }
            }
            message Other { string id = 1; }
            """;
    static final String MONEY = """
            syntax = "proto3";
            package test.trades;
            message Decimal { int64 unscaled = 1; int32 scale = 2; }
            """;
    static final Schema COLS = new Schema(List.of(new Field("id", DataType.BIGINT), new Field("sym", DataType.STRING),
            new Field("px", DataType.decimal(18, 4)), new Field("notional", DataType.decimal(38, 8)), new Field("ok", DataType.BOOLEAN),
            new Field("ratio", DataType.DOUBLE), new Field("ts", DataType.TIMESTAMP), new Field("day", DataType.DATE),
            new Field("side", DataType.STRING), new Field("delta", DataType.BIGINT)));

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("trade.proto"), PROTO);
        Files.writeString(dir.resolve("money.proto"), MONEY);
    }

    private FormatContext ctx(Schema cols, String... more) {
        String[] p = Arrays.copyOf(new String[] {"proto.file", "trade.proto", "proto.message", "test.trades.Trade"}, 4 + more.length);
        System.arraycopy(more, 0, p, 4, more.length);
        return CodecFixtures.context(cols, dir, false, p);
    }

    private RecordBatch rows(int n) {
        Random r = new Random(5);
        RecordBatch b = CodecFixtures.batch(COLS, n);
        String[] syms = {"ACME", "naïve", "😀🚀", "", "日本語"};
        Dec d = new Dec();
        for (int i = 0; i < n; i++) {
            b.columns[0].setLong(i, i == 1 ? Long.MIN_VALUE : r.nextLong());
            b.columns[1].setObject(i, syms[i % syms.length]);
            b.columns[2].setDecimal(i, d.set(i == 2 ? 999_999_999_999_999_999L : i == 3 ? -999_999_999_999_999_999L : r.nextLong() % 10_000_000L, 4));
            b.columns[3].setDecimal(i, d.set(new BigDecimal(new java.math.BigInteger(100, r)).movePointLeft(8)));
            b.columns[4].setLong(i, i % 2);
            b.columns[5].setDouble(i, r.nextGaussian());
            b.columns[6].setLong(i, -86_400_000L + r.nextInt(1_000_000_000) * 1000L + r.nextInt(1000));
            b.columns[7].setLong(i, r.nextInt(40_000) - 1000);
            b.columns[8].setObject(i, i % 3 == 0 ? "SELL" : "BUY");
            b.columns[9].setLong(i, r.nextLong());
            if (i % 4 == 3) {
                for (int c : new int[] {1, 4, 5, 7}) {
                    b.columns[c].setNull(i); // proto3 optional: NULL survives
                }
            }
        }
        b.size = n;
        return b;
    }

    @Test
    void roundTripAndDynamicMessageAgree() throws Exception {
        BytesEncoder enc = new ProtobufFormat().encoder(ctx(COLS));
        BytesDecoder dec = new ProtobufFormat().decoder(ctx(COLS));
        Descriptor type = ProtobufFormat.message(ctx(COLS));
        RecordBatch in = rows(200);
        RecordBatch out = CodecFixtures.batch(COLS, 200);
        OutputBuffer buf = new OutputBuffer(8);
        Dec d = new Dec();
        for (int i = 0; i < in.size; i++) {
            buf.clear();
            enc.encode(in, i, buf);
            dec.decode(buf.data, 0, buf.length, out, i);
            assertEquals(CodecFixtures.row(in, i), CodecFixtures.row(out, i), "row " + i);
            byte[] m = buf.toByteArray();
            DynamicMessage dm = DynamicMessage.parseFrom(type, m);
            DynamicMessage px = (DynamicMessage) dm.getField(type.findFieldByName("px"));
            in.columns[2].getDecimal(i, d);
            assertEquals(d.toBigDecimal(), BigDecimal.valueOf((Long) px.getField(px.getDescriptorForType().findFieldByName("unscaled")),
                    (Integer) px.getField(px.getDescriptorForType().findFieldByName("scale"))));
            assertEquals(in.columns[0].longs[i], dm.getField(type.findFieldByName("id")));
            assertEquals(in.columns[9].longs[i], dm.getField(type.findFieldByName("delta")));
            // protobuf-java's bytes (a canonical re-serialisation) read back to the same row
            byte[] again = dm.toByteArray();
            dec.decode(again, 0, again.length, out, i);
            assertEquals(CodecFixtures.row(in, i), CodecFixtures.row(out, i), "row " + i + " through DynamicMessage");
        }
    }

    @Test
    void hostileMessagesAreRecordErrors() {
        BytesEncoder enc = new ProtobufFormat().encoder(ctx(COLS));
        BytesDecoder dec = new ProtobufFormat().decoder(ctx(COLS));
        OutputBuffer buf = new OutputBuffer(8);
        enc.encode(rows(1), 0, buf);
        byte[] m = buf.toByteArray();
        RecordBatch out = CodecFixtures.batch(COLS, 1);
        int errors = 0;
        for (int len = 1; len < m.length; len++) {
            try {
                dec.decode(m, 0, len, out, 0);
            } catch (RecordError e) {
                errors++;
            }
        }
        assertTrue(errors > m.length / 2, "most truncations are detected: " + errors + " of " + m.length);
        Random r = new Random(9);
        for (int k = 0; k < 20_000; k++) {
            byte[] x = m.clone();
            x[r.nextInt(x.length)] = (byte) r.nextInt(256);
            try {
                dec.decode(x, 0, x.length, out, 0);
            } catch (RecordError expected) {
                // a clear record error
            }
        }
        // a message of another type: field 1 is a string there, an int64 here
        byte[] other = {0x0A, 0x03, 'a', 'b', 'c'};
        RecordError e = assertThrows(RecordError.class, () -> dec.decode(other, 0, other.length, out, 0));
        assertTrue(e.getMessage().contains("field 'id' (number 1) has wire type 2 but test.trades.Trade declares it int64"), e.getMessage());
    }

    @Test
    void schemaMistakesAreCheckTimeErrors() throws Exception {
        Schema badType = new Schema(List.of(new Field("sym", DataType.DECIMAL)));
        assertTrue(assertThrows(SqlException.class, () -> new ProtobufFormat().decoder(ctx(new Schema(List.of(new Field("id", DataType.BOOLEAN))))))
                .getMessage().contains("Protobuf field 'id' of type int64 cannot hold column 'id' BOOLEAN"));
        assertTrue(assertThrows(SqlException.class, () -> new ProtobufFormat().decoder(ctx(new Schema(List.of(new Field("nope", DataType.BIGINT))))))
                .getMessage().contains("column 'nope' is not a field of Protobuf message test.trades.Trade"));
        assertTrue(assertThrows(SqlException.class, () -> new ProtobufFormat().decoder(ctx(COLS, "proto.message", "Missing"))
                ).getMessage().length() > 0);
        Files.writeString(dir.resolve("broken.proto"), "syntax = \"proto3\";\nmessage A { int64 id = ; }\n");
        SqlException e = assertThrows(SqlException.class, () -> new ProtobufFormat().decoder(
                CodecFixtures.context(COLS, dir, false, "proto.file", "broken.proto")));
        assertTrue(e.getMessage().contains("broken.proto") && e.getMessage().contains("2:"), e.getMessage());
        e = assertThrows(SqlException.class, () -> new ProtobufFormat().decoder(CodecFixtures.context(COLS, dir, false, "proto.file", "none.proto")));
        assertTrue(e.getMessage().contains("Protobuf file 'none.proto' not found"), e.getMessage());
        e = assertThrows(SqlException.class, () -> new ProtobufFormat().decoder(CodecFixtures.context(COLS, dir, false, "proto.file", "trade.proto")));
        assertTrue(e.getMessage().contains("declares 2 messages"), e.getMessage());
        assertTrue(badType.size() == 1);
    }
}
