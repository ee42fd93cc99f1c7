package io.velo.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every codec benchmark computes what it claims: the engine's decoders and the references read the
 * same values out of the messages (which an independent JSON tree read confirms), and the engine's
 * encoders and the references write the same bytes.
 */
class CodecBenchmarkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static CodecBenchmark bench() {
        CodecBenchmark b = new CodecBenchmark();
        b.setup();
        return b;
    }

    private static void assertSameBatch(RecordBatch want, RecordBatch got, String what) {
        assertEquals(want.size, got.size, what);
        for (int c = 0; c < want.columns.length; c++) {
            Column w = want.columns[c];
            Column g = got.columns[c];
            for (int i = 0; i < want.size; i++) {
                String at = what + " column " + c + " row " + i;
                assertEquals(w.isNull(i), g.isNull(i), at);
                if (w.objects != null) {
                    assertEquals(w.objects[i], g.objects[i], at);
                } else {
                    assertEquals(w.longs[i], g.longs[i], at);
                }
                if (w.scales != null) {
                    assertEquals(w.scales[i], g.scales[i], at);
                }
            }
        }
    }

    @Test
    void theMessagesAreTradesOfAboutAHundredBytesAndTheEngineReadsThemRight() throws Exception {
        CodecBenchmark b = bench();
        double mean = Arrays.stream(b.jsonLen).average().orElse(0);
        assertTrue(mean > 90 && mean < 120, "mean message size " + mean);
        for (int i = 0; i < CodecBenchmark.N; i += 97) {
            JsonNode t = MAPPER.readTree(Arrays.copyOfRange(b.json, b.jsonOff[i], b.jsonOff[i] + b.jsonLen[i]));
            Column[] c = b.trades.columns;
            assertEquals(t.get("trade_id").asLong(), c[0].longs[i]);
            assertEquals(t.get("symbol").asText(), c[1].objects[i]);
            assertEquals(new BigDecimal(t.get("price").asText()), BigDecimal.valueOf(c[2].longs[i], c[2].scales[i]));
            assertEquals(t.get("quantity").asLong(), c[3].longs[i]);
            assertEquals(t.get("side").asText(), c[4].objects[i]);
            assertEquals(t.get("event_time").asLong(), c[5].longs[i]);
        }
    }

    @Test
    void jsonDecodersAgree() throws Exception {
        CodecBenchmark b = bench();
        assertEquals(CodecBenchmark.N, b.jsonDecodeEngine());
        assertEquals(CodecBenchmark.N, b.jsonDecodeJackson());
        assertSameBatch(b.trades, b.target, "engine");
        assertSameBatch(b.trades, b.referenceTarget, "Jackson");
    }

    @Test
    void jsonEncodersWriteTheSameBytes() throws Exception {
        CodecBenchmark b = bench();
        int engine = b.jsonEncodeEngine();
        int reference = b.jsonEncodeJackson();
        assertEquals(engine, reference);
        assertArrayEquals(b.ends, b.referenceEnds);
        assertArrayEquals(Arrays.copyOf(b.out.data, engine), b.referenceOut.toByteArray());
        // and what they write is the trades: ISO timestamps, decimals as strings at scale 4
        JsonNode first = MAPPER.readTree(Arrays.copyOf(b.out.data, b.ends[0]));
        assertEquals(Instant.ofEpochMilli(b.trades.columns[5].longs[0]).toString(), first.get("event_time").asText());
        assertEquals(BigDecimal.valueOf(b.trades.columns[2].longs[0], 4).toPlainString(), first.get("price").asText());
        // a second run gives the same output (buffers are reused, not appended to)
        assertEquals(engine, b.jsonEncodeEngine());
        assertEquals(reference, b.jsonEncodeJackson());
    }

    @Test
    void avroDecodersAgree() throws Exception {
        CodecBenchmark b = bench();
        assertEquals(CodecBenchmark.N, b.avroDecodeEngine());
        assertEquals(CodecBenchmark.N, b.avroDecodeReference());
        assertSameBatch(b.trades, b.target, "engine");
        assertSameBatch(b.trades, b.referenceTarget, "reference");
    }

    @Test
    void avroEncodersWriteTheSameBytes() throws Exception {
        CodecBenchmark b = bench();
        int engine = b.avroEncodeEngine();
        int reference = b.avroEncodeReference();
        assertEquals(engine, reference);
        assertArrayEquals(b.ends, b.referenceEnds);
        assertArrayEquals(Arrays.copyOf(b.out.data, engine), b.referenceOut.toByteArray());
        assertArrayEquals(b.avro, Arrays.copyOf(b.out.data, engine), "the same bytes the decoders read");
    }

    @Test
    void theHandWrittenHelpersAreExact() throws Exception {
        char[] buf = new char[32];
        for (long v : new long[] {0, 1, 9999, 10_000, 1_872_500, -1, -12_345, Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
            int n = CodecBenchmark.decimalText(v, 4, buf);
            assertEquals(BigDecimal.valueOf(v, 4).toPlainString(), new String(buf, 0, n));
            char[] text = BigDecimal.valueOf(v, 4).toPlainString().toCharArray();
            if (Math.abs(v) < 1_000_000_000_000_000L) {
                assertEquals(v, CodecBenchmark.unscaled(text, 0, text.length));
            }
            byte[] d = new byte[8];
            int len = CodecBenchmark.minimalTwosComplement(v, d);
            byte[] want = java.math.BigInteger.valueOf(v).toByteArray();
            assertArrayEquals(want, Arrays.copyOfRange(d, 8 - len, 8), "two's complement of " + v);
            assertEquals(v, CodecBenchmark.twosComplement(ByteBuffer.wrap(want)));
        }
        assertEquals(1_872_500, CodecBenchmark.unscaled("187.25".toCharArray(), 0, 6));
        assertEquals(1_872_500, CodecBenchmark.unscaled("187.250049".toCharArray(), 0, 10));
        assertEquals(1_872_510, CodecBenchmark.unscaled("187.25095".toCharArray(), 0, 9));
        for (long t : new long[] {0, 1_700_000_000_123L, 951_782_400_000L, -1, 253_402_300_799_999L}) {
            int n = CodecBenchmark.isoTimestamp(t, buf);
            String want = Instant.ofEpochMilli(t).toString();
            if (t % 1000 == 0) {
                want = want.replace("Z", ".000Z");
            }
            assertEquals(want, new String(buf, 0, n));
        }
    }
}
