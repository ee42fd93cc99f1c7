package io.velo.connector.file;

import io.velo.failure.RecordError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a file's bytes into records before decoding them, so one bad record never stops the others.
 * A record ends at a newline; in CSV a newline inside a quoted field (RFC 4180) belongs to the field,
 * so one record may span lines. A CR before the ending newline is dropped. Each record is then
 * decoded as UTF-8: an ASCII record (the common case) is copied as is, any other is decoded strictly,
 * and invalid bytes make that record an error (22021) that keeps the original bytes.
 *
 * <p>Positions are the line a record starts on; lines inside quoted fields are counted, so the
 * next record's position stays right. The bytes are scanned only once, in the raw buffer: the quote
 * and newline bytes are ASCII and never occur inside a multi-byte UTF-8 sequence.
 *
 * <p>Input that does not end with a newline is a record only when the caller says the input is
 * complete ({@code takeUnterminated}); a watched file's half-written line waits for its end.
 */
public final class RecordReader implements AutoCloseable {
    static final int NONE = 0;
    static final int RECORD = 1;
    static final int ERROR = 2;

    /** How far a quoted CSV field may run over lines before it counts as never closed. */
    static final int MAX_QUOTED_BYTES = 8 << 20;

    private static final int UNQUOTED = 0;
    private static final int QUOTED = 1;
    private static final int QUOTE_SEEN = 2;

    private final InputStream in;
    private final boolean csv;
    private final byte[] delimiter;
    private byte[] buf = new byte[1 << 16];
    private ByteBuffer wrapped = ByteBuffer.wrap(buf);
    private CharBuffer chars = CharBuffer.allocate(256);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int start;
    private int scan;
    private int limit;
    private int state = UNQUOTED;
    private int acc;
    private int newlines;
    private long nextLine = 1;
    private boolean begun;
    private long consumed;

    /** The last record's text (RECORD) or its original bytes, as text when valid, else byte[] (ERROR). */
    String text;
    Object raw;
    /** The line the last record or error starts on. */
    long line;
    String errorCode;
    String errorMessage;

    RecordReader(InputStream in, boolean csv, char delimiter) {
        this.in = in;
        this.csv = csv;
        this.delimiter = String.valueOf(delimiter).getBytes(StandardCharsets.UTF_8);
    }

    static RecordReader open(Path p, boolean csv, char delimiter) throws IOException {
        return new RecordReader(Files.newInputStream(p), csv, delimiter);
    }

    /** Bytes consumed by the records returned so far. */
    long consumed() {
        return consumed;
    }

    /**
     * The next record: RECORD (text, line), ERROR (errorCode, errorMessage, raw, line), or NONE when no
     * complete record is available yet (end of input, or an unterminated tail while
     * {@code takeUnterminated} is false; a later call may find it completed).
     */
    int next(boolean takeUnterminated) throws IOException {
        if (!begun) {
            begin();
        }
        while (true) {
            int end = csv ? scanCsv() : scanLines();
            if (end >= 0) {
                return emit(end, end + 1);
            }
            if (state == QUOTED && limit - start > MAX_QUOTED_BYTES && firstNewline() >= 0) {
                return unterminatedQuote("unterminated quoted field: the quote opened on this line is not closed within "
                        + (MAX_QUOTED_BYTES >> 20) + " MiB");
            }
            if (!fill()) {
                if (limit == start || !takeUnterminated) {
                    return NONE;
                }
                if (state == QUOTED) {
                    return unterminatedQuote("unterminated quoted field: the quote opened on this line is never closed");
                }
                return emit(limit, limit);
            }
        }
    }

    /** Skips a UTF-8 byte-order mark: it is not part of the first record. */
    private void begin() throws IOException {
        begun = true;
        while (limit < 3 && fill()) {
            // a mark is three bytes
        }
        if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            start = scan = 3;
            consumed = 3;
        }
    }

    /** JSON lines: the index of the record's newline, or -1 when the buffer holds no newline yet. */
    private int scanLines() {
        byte[] b = buf;
        int a = acc;
        for (int i = scan; i < limit; i++) {
            byte c = b[i];
            if (c == '\n') {
                acc = a;
                scan = i;
                return i;
            }
            a |= c;
        }
        acc = a;
        scan = limit;
        return -1;
    }

    /**
     * CSV: the index of the newline that ends the record outside quotes, or -1. A quote opens a quoted
     * field only at the start of a field; inside, a doubled quote is a quote and a single one closes it
     * (text after the closing quote runs to the delimiter, as the tokenizer reads it).
     */
    private int scanCsv() {
        byte[] b = buf;
        int a = acc;
        int st = state;
        int i = scan;
        for (; i < limit; i++) {
            byte c = b[i];
            a |= c;
            if (st == UNQUOTED) {
                if (c == '\n') {
                    break;
                }
                if (c == '"' && fieldStart(i)) {
                    st = QUOTED;
                }
            } else if (st == QUOTED) {
                if (c == '"') {
                    st = QUOTE_SEEN;
                } else if (c == '\n') {
                    newlines++;
                }
            } else if (c == '"') {
                st = QUOTED; // a doubled quote inside the field
            } else {
                st = UNQUOTED;
                if (c == '\n') {
                    break;
                }
            }
        }
        acc = a;
        state = st;
        scan = i;
        return i < limit ? i : -1;
    }

    private boolean fieldStart(int i) {
        byte[] d = delimiter;
        int n = d.length;
        if (i - start < n) {
            return i == start;
        }
        for (int k = 0; k < n; k++) {
            if (buf[i - n + k] != d[k]) {
                return false;
            }
        }
        return true;
    }

    /** Emits the record [start, end) and continues at {@code next}. */
    private int emit(int end, int next) {
        int from = start;
        int to = end > from && buf[end - 1] == '\r' ? end - 1 : end;
        line = nextLine;
        nextLine += 1 + newlines;
        boolean ascii = acc >= 0;
        consumed += next - start;
        start = scan = next;
        state = UNQUOTED;
        acc = 0;
        newlines = 0;
        if (ascii) {
            // an ASCII record is its own Latin-1 text: a plain copy, no decoding
            text = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
            raw = text;
            return RECORD;
        }
        return decode(from, to);
    }

    /** Decodes [from, to) strictly: RECORD with text, or ERROR with the bytes and what is wrong with them. */
    private int decode(int from, int to) {
        int n = to - from;
        if (chars.capacity() < n) {
            chars = CharBuffer.allocate(Math.max(n, chars.capacity() * 2));
        }
        chars.clear();
        ByteBuffer src = wrapped;
        src.limit(to).position(from);
        utf8.reset();
        CoderResult r = utf8.decode(src, chars, true);
        if (!r.isError()) {
            r = utf8.flush(chars);
        }
        if (r.isError()) {
            int bad = src.position();
            int lineInRecord = 0;
            int lineStart = from;
            for (int i = from; i < bad; i++) {
                if (buf[i] == '\n') {
                    lineInRecord++;
                    lineStart = i + 1;
                }
            }
            StringBuilder m = new StringBuilder("invalid UTF-8: byte");
            for (int k = 0; k < r.length(); k++) {
                m.append(String.format(" 0x%02X", buf[bad + k] & 0xFF));
            }
            m.append(" at byte ").append(bad - lineStart + 1).append(" of ")
                    .append(lineInRecord == 0 ? "the line" : "line " + (line + lineInRecord));
            text = null;
            raw = java.util.Arrays.copyOfRange(buf, from, to);
            errorCode = RecordError.INVALID_ENCODING;
            errorMessage = m.toString();
            return ERROR;
        }
        chars.flip();
        text = chars.toString();
        raw = text;
        return RECORD;
    }

    private int firstNewline() {
        for (int i = start; i < limit; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * An open quote that never closes: the error is the record's first line, and reading goes on
     * after it — so one stray quote costs one line, not the rest of the file.
     */
    private int unterminatedQuote(String why) {
        int nl = firstNewline();
        int end = nl < 0 ? limit : nl;
        int to = end > start && buf[end - 1] == '\r' ? end - 1 : end;
        raw = decode(start, to) == RECORD ? text : raw;
        text = null;
        line = nextLine;
        nextLine++;
        int next = nl < 0 ? limit : nl + 1;
        consumed += next - start;
        start = scan = next;
        state = UNQUOTED;
        acc = 0;
        newlines = 0;
        errorCode = RecordError.MALFORMED_INPUT;
        errorMessage = why;
        return ERROR;
    }

    /** Reads more bytes after the pending record, compacting or growing the buffer; false at end of input. */
    private boolean fill() throws IOException {
        if (start > 0 && limit == buf.length) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            scan -= start;
            start = 0;
        }
        if (limit == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            wrapped = ByteBuffer.wrap(buf);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Up to {@code max} non-blank records from the start of a file, for schema inference. Records
     * that are not valid text are left out: they are reported, with their lines, when the job reads them.
     */
    public static List<String> sample(Path p, boolean csv, char delimiter, int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (RecordReader r = open(p, csv, delimiter)) {
            int kind;
            while (out.size() < max && (kind = r.next(true)) != NONE) {
                if (kind == RECORD && !r.text.isBlank()) {
                    out.add(r.text);
                }
            }
        }
        return out;
    }
}
