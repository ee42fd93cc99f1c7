package io.velo.harness.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.codec.BytesDecoder;
import io.velo.codec.BytesEncoder;
import io.velo.codec.FormatContext;
import io.velo.codec.Formats;
import io.velo.codec.OutputBuffer;
import io.velo.codec.TextFieldDecoder;
import io.velo.codec.avro.AvroFormat;
import io.velo.config.JobProperties;
import io.velo.harness.kafka.TradeMessages;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Statement;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The message codecs on 1,024 ~105-byte trades ({@link TradeMessages}: id, symbol, price
 * DECIMAL(18,4) as a string, quantity, side, event time in epoch millis). Figures: ns per message.
 *
 * <ul>
 *   <li>{@code jsonDecode*}: the engine's JSON decoder (the one a Kafka source uses, from the bytes
 *       into a batch's columns) against Jackson's streaming parser doing the same field extraction by
 *       hand into the same kind of columns (decimal text to an unscaled long at scale 4 without a
 *       BigDecimal, strings as Strings). The engine also checks UTF-8 and duplicate keys; the
 *       reference does not.</li>
 *   <li>{@code jsonEncode*}: the engine's JSON sink encoder (timestamps as ISO-8601 text, decimals
 *       as strings at their scale) against a Jackson generator writing the same bytes (checked by the
 *       test) with pre-serialised field names.</li>
 *   <li>{@code avroDecode*} / {@code avroEncode*}: the engine's Avro codec (single-object framing,
 *       the schema a sink derives: nullable fields, decimal as bytes, timestamp-millis) against
 *       Avro's own {@link BinaryDecoder}/{@link BinaryEncoder} reading and writing the same fields in
 *       order, with the framing header checked and written by hand.</li>
 * </ul>
 * Decoders write into a batch that is reused (as a pooled one is); encoders append every message of
 * the batch to one reused buffer and record where each ends. Each method returns its output size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    static final int N = 1024;
    static final int PRICE_SCALE = 4;
    static final Schema SCHEMA = new Schema(List.of(
            new Field("trade_id", DataType.BIGINT),
            new Field("symbol", DataType.STRING),
            new Field("price", DataType.decimal(18, PRICE_SCALE)),
            new Field("quantity", DataType.BIGINT),
            new Field("side", DataType.STRING),
            new Field("event_time", DataType.TIMESTAMP)));
    static final int TRADE_ID = 0;
    static final int SYMBOL = 1;
    static final int PRICE = 2;
    static final int QUANTITY = 3;
    static final int SIDE = 4;
    static final int EVENT_TIME = 5;

    /** The JSON messages, back to back: message i is {@code json[jsonOff[i], jsonOff[i] + jsonLen[i])}. */
    byte[] json;
    int[] jsonOff;
    int[] jsonLen;
    /** The same trades as the engine's Avro encoder frames them. */
    byte[] avro;
    int[] avroOff;
    int[] avroLen;

    BytesDecoder jsonDecoder;
    BytesEncoder jsonEncoder;
    BytesDecoder avroDecoder;
    BytesEncoder avroEncoder;
    org.apache.avro.Schema avroSchema;

    /** The trades decoded once: what the encoders write. */
    RecordBatch trades;
    RecordBatch target;
    RecordBatch referenceTarget;
    OutputBuffer out;
    Bytes referenceOut;
    int[] ends;
    int[] referenceEnds;

    final JsonFactory jackson = new JsonFactory();
    BinaryDecoder avroIn;
    BinaryEncoder avroOut;
    ByteBuffer avroBytes;
    /** {@code C3 01} and the schema's 64-bit fingerprint, little-endian: the single-object header. */
    byte[] avroHeader;
    final char[] chars = new char[32];
    final byte[] decimalBytes = new byte[8];
    static final SerializableString[] NAMES = new SerializableString[SCHEMA.size()];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = new SerializedString(SCHEMA.field(i).name());
        }
    }

    @Setup
    public void setup() {
        TradeMessages gen = new TradeMessages(5);
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            messages.add(gen.next());
        }
        jsonOff = new int[N];
        jsonLen = new int[N];
        json = pack(messages, jsonOff, jsonLen);

        FormatContext sink = context("t");
        jsonDecoder = Formats.get("json").decoder(sink);
        jsonEncoder = Formats.get("json").encoder(sink);
        AvroFormat avroFormat = new AvroFormat();
        avroEncoder = avroFormat.encoder(sink);
        avroSchema = AvroFormat.sinkSchema(sink);
        avroDecoder = avroFormat.decoder(context("t", "avro.schema", avroSchema.toString()));

        trades = new RecordBatch(SCHEMA, N, null);
        for (int i = 0; i < N; i++) {
            jsonDecoder.decode(json, jsonOff[i], jsonLen[i], trades, i);
        }
        trades.size = N;
        out = new OutputBuffer(256 * N);
        referenceOut = new Bytes(256 * N);
        ends = new int[N];
        referenceEnds = new int[N];
        target = new RecordBatch(SCHEMA, N, null);
        referenceTarget = new RecordBatch(SCHEMA, N, null);

        List<byte[]> framed = new ArrayList<>();
        OutputBuffer one = new OutputBuffer(256);
        for (int i = 0; i < N; i++) {
            one.clear();
            avroEncoder.encode(trades, i, one);
            framed.add(one.toByteArray());
        }
        avroOff = new int[N];
        avroLen = new int[N];
        avro = pack(framed, avroOff, avroLen);
        long fp = SchemaNormalization.parsingFingerprint64(avroSchema);
        avroHeader = new byte[10];
        avroHeader[0] = (byte) 0xC3;
        avroHeader[1] = 0x01;
        for (int b = 0; b < 8; b++) {
            avroHeader[2 + b] = (byte) (fp >>> (8 * b));
        }
        avroBytes = ByteBuffer.allocate(16);
    }

    /** A format context for connector {@code name} over {@link #SCHEMA} with {@code props} ({@code key, value, …} without the prefix). */
    static FormatContext context(String name, String... props) {
        List<Statement.Property> ps = new ArrayList<>();
        for (int i = 0; i < props.length; i += 2) {
            ps.add(new Statement.Property(Pos.NONE, name + "." + props[i], Pos.NONE, props[i + 1]));
        }
        JobProperties jp = JobProperties.resolve(List.of(Map.entry("WITH", ps)), Set.of(name), Path.of("."));
        return new FormatContext(name, SCHEMA, jp, Path.of("."), new TextFieldDecoder(DecimalRounding.HALF_UP), false);
    }

    private static byte[] pack(List<byte[]> messages, int[] off, int[] len) {
        int total = 0;
        for (byte[] m : messages) {
            total += m.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (int i = 0; i < messages.size(); i++) {
            byte[] m = messages.get(i);
            System.arraycopy(m, 0, all, at, m.length);
            off[i] = at;
            len[i] = m.length;
            at += m.length;
        }
        return all;
    }

    // ================================================================ JSON decode

    @Benchmark
    @OperationsPerInvocation(N)
    public int jsonDecodeEngine() {
        final RecordBatch b = target;
        final BytesDecoder d = jsonDecoder;
        for (int i = 0; i < N; i++) {
            d.decode(json, jsonOff[i], jsonLen[i], b, i);
        }
        b.size = N;
        return N;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int jsonDecodeJackson() throws IOException {
        final RecordBatch b = referenceTarget;
        for (int i = 0; i < N; i++) {
            try (JsonParser p = jackson.createParser(json, jsonOff[i], jsonLen[i])) {
                readTrade(p, b, i);
            }
        }
        b.size = N;
        return N;
    }

    /** One trade object's fields into row {@code row}; unknown fields are skipped, a missing field stays NULL. */
    private void readTrade(JsonParser p, RecordBatch b, int row) throws IOException {
        Column[] c = b.columns;
        for (Column col : c) {
            col.nulls[row] = true;
        }
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "trade_id": c[TRADE_ID].setLong(row, p.getLongValue()); break;
                case "symbol": c[SYMBOL].setObject(row, p.getText()); break;
                case "price": c[PRICE].setDecimal(row, unscaled(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()), PRICE_SCALE); break;
                case "quantity": c[QUANTITY].setLong(row, p.getLongValue()); break;
                case "side": c[SIDE].setObject(row, p.getText()); break;
                case "event_time": c[EVENT_TIME].setLong(row, p.getLongValue()); break;
                default:
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
            }
        }
    }

    /** Decimal text as an unscaled long at scale 4 (HALF_UP past four places; BigDecimal only when it does not fit 18 digits). */
    static long unscaled(char[] text, int off, int len) {
        int end = off + len;
        int i = off;
        boolean negative = i < end && text[i] == '-';
        if (negative || (i < end && text[i] == '+')) {
            i++;
        }
        long v = 0;
        int digits = 0;
        int scale = -1;
        for (; i < end; i++) {
            char ch = text[i];
            if (ch == '.' && scale < 0) {
                scale = 0;
                continue;
            }
            if (ch < '0' || ch > '9' || digits == 18 || scale == PRICE_SCALE) {
                return new BigDecimal(text, off, len).setScale(PRICE_SCALE, RoundingMode.HALF_UP).unscaledValue().longValueExact();
            }
            v = v * 10 + (ch - '0');
            digits++;
            if (scale >= 0) {
                scale++;
            }
        }
        for (int s = Math.max(scale, 0); s < PRICE_SCALE; s++) {
            v *= 10;
        }
        return negative ? -v : v;
    }

    // ================================================================ JSON encode

    @Benchmark
    @OperationsPerInvocation(N)
    public int jsonEncodeEngine() {
        final OutputBuffer o = out;
        final BytesEncoder e = jsonEncoder;
        final RecordBatch b = trades;
        o.clear();
        for (int i = 0; i < N; i++) {
            e.encode(b, i, o);
            ends[i] = o.length;
        }
        return o.length;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int jsonEncodeJackson() throws IOException {
        final Bytes o = referenceOut;
        final RecordBatch b = trades;
        final Column[] c = b.columns;
        o.reset();
        try (JsonGenerator g = jackson.createGenerator(o)) {
            g.setRootValueSeparator(null);
            for (int i = 0; i < N; i++) {
                g.writeStartObject();
                g.writeFieldName(NAMES[TRADE_ID]);
                g.writeNumber(c[TRADE_ID].longs[i]);
                g.writeFieldName(NAMES[SYMBOL]);
                g.writeString((String) c[SYMBOL].objects[i]);
                g.writeFieldName(NAMES[PRICE]);
                g.writeString(chars, 0, decimalText(c[PRICE].longs[i], c[PRICE].scales[i], chars));
                g.writeFieldName(NAMES[QUANTITY]);
                g.writeNumber(c[QUANTITY].longs[i]);
                g.writeFieldName(NAMES[SIDE]);
                g.writeString((String) c[SIDE].objects[i]);
                g.writeFieldName(NAMES[EVENT_TIME]);
                g.writeString(chars, 0, isoTimestamp(c[EVENT_TIME].longs[i], chars));
                g.writeEndObject();
                g.flush();
                referenceEnds[i] = o.count;
            }
        }
        return o.count;
    }

    /** {@code unscaled / 10^scale} as plain text into {@code out}; returns its length. */
    static int decimalText(long unscaled, int scale, char[] out) {
        int n = 0;
        if (unscaled < 0) {
            out[n++] = '-';
        }
        // digits from the right, then reversed
        int start = n;
        long v = Math.abs(unscaled);
        int written = 0;
        do {
            if (written == scale && scale > 0) {
                out[n++] = '.';
            }
            out[n++] = (char) ('0' + v % 10);
            v /= 10;
            written++;
        } while (v != 0 || written <= scale);
        for (int i = start, j = n - 1; i < j; i++, j--) {
            char t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return n;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC) of epoch millis into {@code out} (years 0–9999); returns its length. */
    static int isoTimestamp(long millis, char[] out) {
        long days = Math.floorDiv(millis, 86_400_000L);
        int ms = (int) Math.floorMod(millis, 86_400_000L);
        // the proleptic Gregorian date of a day number, in 400-year eras starting 0000-03-01
        long shifted = days + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        int dayOfEra = (int) (shifted - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year " + year + " out of range");
        }
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, ms / 3_600_000, 2);
        out[13] = ':';
        digits(out, 14, ms / 60_000 % 60, 2);
        out[16] = ':';
        digits(out, 17, ms / 1000 % 60, 2);
        out[19] = '.';
        digits(out, 20, ms % 1000, 3);
        out[23] = 'Z';
        return 24;
    }

    private static void digits(char[] out, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    // ================================================================ Avro decode

    @Benchmark
    @OperationsPerInvocation(N)
    public int avroDecodeEngine() {
        final RecordBatch b = target;
        final BytesDecoder d = avroDecoder;
        for (int i = 0; i < N; i++) {
            d.decode(avro, avroOff[i], avroLen[i], b, i);
        }
        b.size = N;
        return N;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int avroDecodeReference() throws IOException {
        final RecordBatch b = referenceTarget;
        final Column[] c = b.columns;
        final byte[] header = avroHeader;
        for (int i = 0; i < N; i++) {
            int off = avroOff[i];
            int len = avroLen[i];
            if (len < header.length || !java.util.Arrays.equals(avro, off, off + header.length, header, 0, header.length)) {
                throw new IOException("message " + i + " has no single-object header of the schema");
            }
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(avro, off + header.length, len - header.length, avroIn);
            avroIn = in;
            if (present(in, c[TRADE_ID], i)) {
                c[TRADE_ID].setLong(i, in.readLong());
            }
            if (present(in, c[SYMBOL], i)) {
                c[SYMBOL].setObject(i, in.readString());
            }
            if (present(in, c[PRICE], i)) {
                ByteBuffer bb = in.readBytes(avroBytes);
                avroBytes = bb;
                c[PRICE].setDecimal(i, twosComplement(bb), PRICE_SCALE);
            }
            if (present(in, c[QUANTITY], i)) {
                c[QUANTITY].setLong(i, in.readLong());
            }
            if (present(in, c[SIDE], i)) {
                c[SIDE].setObject(i, in.readString());
            }
            if (present(in, c[EVENT_TIME], i)) {
                c[EVENT_TIME].setLong(i, in.readLong());
            }
        }
        b.size = N;
        return N;
    }

    /** The branch of a {@code ["null", T]} union: false (and the cell NULL) for the null branch. */
    private static boolean present(BinaryDecoder in, Column c, int row) throws IOException {
        int branch = in.readIndex();
        if (branch == 0) {
            c.setNull(row);
            return false;
        }
        if (branch != 1) {
            throw new IOException("union branch " + branch);
        }
        return true;
    }

    /** A big-endian two's-complement value of at most 8 bytes (Avro's decimal bytes) as a long. */
    static long twosComplement(ByteBuffer bb) throws IOException {
        int n = bb.remaining();
        if (n == 0 || n > 8) {
            throw new IOException("decimal of " + n + " bytes");
        }
        int p = bb.position();
        long v = bb.get(p); // sign-extends the first byte
        for (int k = 1; k < n; k++) {
            v = (v << 8) | (bb.get(p + k) & 0xFF);
        }
        return v;
    }

    // ================================================================ Avro encode

    @Benchmark
    @OperationsPerInvocation(N)
    public int avroEncodeEngine() {
        final OutputBuffer o = out;
        final BytesEncoder e = avroEncoder;
        final RecordBatch b = trades;
        o.clear();
        for (int i = 0; i < N; i++) {
            e.encode(b, i, o);
            ends[i] = o.length;
        }
        return o.length;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int avroEncodeReference() throws IOException {
        final Bytes o = referenceOut;
        final Column[] c = trades.columns;
        final byte[] d = decimalBytes;
        o.reset();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(o, avroOut);
        avroOut = enc;
        for (int i = 0; i < N; i++) {
            enc.writeFixed(avroHeader);
            enc.writeIndex(1);
            enc.writeLong(c[TRADE_ID].longs[i]);
            enc.writeIndex(1);
            enc.writeString((String) c[SYMBOL].objects[i]);
            enc.writeIndex(1);
            int n = minimalTwosComplement(c[PRICE].longs[i], d);
            enc.writeBytes(d, 8 - n, n);
            enc.writeIndex(1);
            enc.writeLong(c[QUANTITY].longs[i]);
            enc.writeIndex(1);
            enc.writeString((String) c[SIDE].objects[i]);
            enc.writeIndex(1);
            enc.writeLong(c[EVENT_TIME].longs[i]);
            enc.flush();
            referenceEnds[i] = o.count;
        }
        return o.count;
    }

    /** {@code v} big-endian in the last bytes of {@code out[0..8)}, as few as keep its sign; returns how many. */
    static int minimalTwosComplement(long v, byte[] out) {
        for (int k = 7; k >= 0; k--) {
            out[k] = (byte) v;
            v >>= 8;
        }
        int n = 8;
        while (n > 1 && ((out[8 - n] == 0 && out[9 - n] >= 0) || (out[8 - n] == -1 && out[9 - n] < 0))) {
            n--;
        }
        return n;
    }

    /** A reusable in-memory byte sink (ByteArrayOutputStream without the synchronisation and the copy). */
    static final class Bytes extends OutputStream {
        byte[] buf;
        int count;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            count = 0;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, count);
        }
    }
}
