package io.velo.codec;

import io.velo.failure.RecordError;

/**
 * The cells of one CSV line as index ranges into the line, so numeric cells are parsed in place
 * without a String per cell. Rules: RFC 4180 quotes with doubled quotes, a quote opens a quoted
 * cell only at the start of the cell, an empty unquoted cell is NULL, a trailing CR outside quotes
 * is ignored. A quoted cell with doubled quotes or text after its closing quote is
 * materialised as a String. The line is a String (files) or a {@link ByteChars} view of a message's
 * UTF-8 bytes (Kafka): delimiters and quotes are ASCII, which never occurs inside a multi-byte UTF-8
 * character, so cells are found the same way in both.
 */
final class CsvCells {
    static final byte NULL = 0;
    static final byte RANGE = 1;
    static final byte TEXT = 2;

    int count;
    int[] start = new int[16];
    int[] end = new int[16];
    byte[] kind = new byte[16];
    String[] text = new String[16];

    void tokenize(CharSequence line, char delimiter) {
        count = 0;
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r' && !endsInsideQuotes(line, n - 1, delimiter)) {
            n--;
        }
        int i = 0;
        while (true) {
            if (count == start.length) {
                grow();
            }
            int c = count++;
            text[c] = null;
            if (i < n && line.charAt(i) == '"') {
                i = quoted(line, i + 1, n, delimiter, c);
            } else {
                int s = i;
                while (i < n && line.charAt(i) != delimiter) {
                    i++;
                }
                start[c] = s;
                end[c] = i;
                kind[c] = i == s ? NULL : RANGE;
            }
            if (i < n && line.charAt(i) == delimiter) {
                i++;
                continue;
            }
            return;
        }
    }

    /** Parses a quoted cell whose content starts at {@code i}; returns the index after the cell. */
    private int quoted(CharSequence line, int i, int n, char delimiter, int c) {
        int contentStart = i;
        boolean doubled = false;
        int close;
        while (true) {
            close = indexOfQuote(line, i, n);
            if (close < 0 || close >= n) {
                throw new RecordError(RecordError.MALFORMED_INPUT, "unterminated quoted field");
            }
            if (close + 1 < n && line.charAt(close + 1) == '"') {
                doubled = true;
                i = close + 2;
                continue;
            }
            break;
        }
        int after = close + 1;
        int cellEnd = after;
        while (cellEnd < n && line.charAt(cellEnd) != delimiter) {
            cellEnd++;
        }
        if (!doubled && cellEnd == after) {
            start[c] = contentStart;
            end[c] = close;
            kind[c] = RANGE;
        } else {
            String content = slice(line, contentStart, close);
            if (doubled) {
                content = content.replace("\"\"", "\"");
            }
            text[c] = after == cellEnd ? content : content + slice(line, after, cellEnd);
            kind[c] = TEXT;
        }
        return cellEnd;
    }

    /** Whether position {@code pos} lies inside an open quoted cell (a CR there is content). */
    private static boolean endsInsideQuotes(CharSequence line, int pos, char delimiter) {
        boolean inQuotes = false;
        boolean cellStart = true;
        for (int i = 0; i < pos; i++) {
            char ch = line.charAt(i);
            if (inQuotes) {
                if (ch == '"') {
                    if (i + 1 < pos && line.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        inQuotes = false;
                    }
                }
            } else if (ch == '"' && cellStart) {
                inQuotes = true;
                cellStart = false;
            } else {
                cellStart = ch == delimiter;
            }
        }
        return inQuotes;
    }

    /** The cell as a String (null for an empty unquoted cell). */
    String string(CharSequence line, int c) {
        switch (kind[c]) {
            case NULL: return null;
            case TEXT: return text[c];
            default: return slice(line, start[c], end[c]);
        }
    }

    /** The text of {@code line[from, to)} (decoded as UTF-8 when the line is a byte view). */
    private static String slice(CharSequence line, int from, int to) {
        if (line instanceof String s) {
            return s.substring(from, to);
        }
        if (line instanceof ByteChars b) {
            return b.utf8(from, to);
        }
        return line.subSequence(from, to).toString();
    }

    private static int indexOfQuote(CharSequence line, int from, int n) {
        if (line instanceof String s) {
            return s.indexOf('"', from);
        }
        for (int i = from; i < n; i++) {
            if (line.charAt(i) == '"') {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        int n = start.length * 2;
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        kind = java.util.Arrays.copyOf(kind, n);
        text = java.util.Arrays.copyOf(text, n);
    }
}
