package io.velo.connector.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Records cut from bytes: line numbers, quoted CSV fields over lines, bad UTF-8, unfinished tails. */
class RecordReaderTest {

    /** An input that hands out its bytes a few at a time and can grow, like a file being appended to. */
    static final class GrowingInput extends InputStream {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] all = new byte[0];
        final SplittableRandom random;
        final int maxChunk;
        int pos;

        GrowingInput(long seed, int maxChunk) {
            random = new SplittableRandom(seed);
            this.maxChunk = maxChunk;
        }

        GrowingInput append(byte[] b) {
            data.writeBytes(b);
            all = data.toByteArray();
            return this;
        }

        GrowingInput append(String s) {
            return append(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= all.length) {
                return -1;
            }
            int n = Math.min(len, Math.min(all.length - pos, 1 + random.nextInt(maxChunk)));
            System.arraycopy(all, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static List<String> all(RecordReader r) throws IOException {
        List<String> out = new ArrayList<>();
        int kind;
        while ((kind = r.next(true)) != RecordReader.NONE) {
            out.add(r.line + (kind == RecordReader.RECORD ? ":" + r.text : "!" + r.errorCode + " " + r.errorMessage));
        }
        return out;
    }

    @Test
    void linesKeepTheirNumbersAcrossBadBytesAndCrLf() throws IOException {
        GrowingInput in = new GrowingInput(1, 3).append(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})
                .append("{\"a\":1}\r\n{\"s\":\"é😀\"}\n").append(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n'})
                .append("\n{\"a\":4}");
        RecordReader r = new RecordReader(in, false, ',');
        assertEquals(RecordReader.RECORD, r.next(true));
        assertEquals("{\"a\":1}", r.text, "the byte-order mark and the CR of CRLF are not part of the record");
        assertEquals(RecordReader.RECORD, r.next(true));
        assertEquals("{\"s\":\"é😀\"}", r.text);
        assertEquals(RecordReader.ERROR, r.next(true));
        assertEquals(3, r.line);
        assertEquals("22021", r.errorCode);
        assertEquals("invalid UTF-8: byte 0xC3 at byte 7 of the line", r.errorMessage);
        assertArrayEquals(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xC3, '(', '"', '}'}, (byte[]) r.raw, "the original bytes");
        assertEquals(List.of("4:", "5:{\"a\":4}"), all(r));
    }

    @Test
    void quotedCsvFieldsSpanLinesAndPositionsFollowTheFirstLine() throws IOException {
        String csv = "id,text\n1,\"two\nlines\"\n2,\"crlf\r\ninside, and \"\"quotes\"\"\"\r\n3,plain\n4,x\"y\n5,\"\"\n";
        assertEquals(List.of("1:id,text", "2:1,\"two\nlines\"", "4:2,\"crlf\r\ninside, and \"\"quotes\"\"\"", "6:3,plain",
                "7:4,x\"y", "8:5,\"\""), all(new RecordReader(new GrowingInput(2, 2).append(csv), true, ',')));
    }

    @Test
    void anUnterminatedQuoteCostsItsFirstLineOnly() throws IOException {
        String csv = "a,b\n1,\"open\n2,x\n3,y\n";
        assertEquals(List.of("1:a,b", "2!22P02 unterminated quoted field: the quote opened on this line is never closed",
                "3:2,x", "4:3,y"), all(new RecordReader(new GrowingInput(3, 5).append(csv), true, ',')));
    }

    @Test
    void aQuoteOpensAFieldOnlyAtItsStartAlsoAfterAMultiByteDelimiter() throws IOException {
        String csv = "1§\"a§\nb\"§c\n2§x\"§\"y\"\n";
        assertEquals(List.of("1:1§\"a§\nb\"§c", "3:2§x\"§\"y\""), all(new RecordReader(new GrowingInput(4, 1).append(csv), true, '§')));
    }

    @Test
    void anUnfinishedTailWaitsForItsNewlineUnlessTheInputIsComplete() throws IOException {
        GrowingInput in = new GrowingInput(5, 4).append("1,a\n2,\"multi\nline");
        RecordReader r = new RecordReader(in, true, ',');
        assertEquals(RecordReader.RECORD, r.next(false));
        assertEquals(RecordReader.NONE, r.next(false), "half a record is not a record");
        in.append("\",b");
        assertEquals(RecordReader.NONE, r.next(false));
        in.append("\n3,c");
        assertEquals(RecordReader.RECORD, r.next(false));
        assertEquals("2,\"multi\nline\",b", r.text);
        assertEquals(2, r.line);
        assertEquals(RecordReader.NONE, r.next(false));
        assertEquals(RecordReader.RECORD, r.next(true), "at the end of the job the tail is taken");
        assertEquals("3,c", r.text);
        assertEquals(4, r.line);
    }

    /** Whatever the read sizes, the records are those of a plain split of the whole text. */
    @Test
    void chunkingNeverChangesTheRecords() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        String[] pieces = {"a", ",", "\"", "\n", "\r\n", "é", "😀", "  ", "x".repeat(70_000)};
        for (int round = 0; round < 300; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                String p = pieces[random.nextInt(pieces.length - (round % 10 == 0 ? 0 : 1))];
                sb.append(p);
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            List<String> whole = all(new RecordReader(new GrowingInput(round, Integer.MAX_VALUE - 1).append(bytes), true, ','));
            List<String> chunked = all(new RecordReader(new GrowingInput(round, 3).append(bytes), true, ','));
            assertEquals(whole, chunked);
            List<String> lines = all(new RecordReader(new GrowingInput(round, 2).append(bytes), false, ','));
            String[] expected = sb.toString().split("\n", -1);
            int count = expected.length - (expected[expected.length - 1].isEmpty() ? 1 : 0);
            assertEquals(count, lines.size(), sb::toString);
            for (int i = 0; i < count; i++) {
                String e = expected[i].endsWith("\r") ? expected[i].substring(0, expected[i].length() - 1) : expected[i];
                assertEquals((i + 1) + ":" + e, lines.get(i));
            }
        }
    }
}
