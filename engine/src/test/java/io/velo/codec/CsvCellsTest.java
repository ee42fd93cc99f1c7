package io.velo.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.failure.RecordError;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-place tokenizer cuts every line exactly as a plain character-by-character splitter does (or fails alike). */
class CsvCellsTest {
    private static final char[] ALPHABET = {'a', '1', '.', '-', ',', ';', '"', ' ', '\r', 'x'};

    @Test
    void agreesWithTheSplitterOnRandomLines() {
        SplittableRandom r = new SplittableRandom(9);
        CsvCells cells = new CsvCells();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(24);
            for (int k = 0; k < n; k++) {
                sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
            }
            String line = sb.toString();
            char delimiter = r.nextBoolean() ? ',' : ';';
            String expected;
            try {
                expected = referenceSplit(line, delimiter, new ArrayList<>(), new StringBuilder()).toString();
            } catch (RecordError e) {
                expected = "error: " + e.getMessage();
            }
            String actual;
            try {
                cells.tokenize(line, delimiter);
                List<String> out = new ArrayList<>();
                for (int c = 0; c < cells.count; c++) {
                    out.add(cells.string(line, c));
                }
                actual = out.toString();
            } catch (RecordError e) {
                actual = "error: " + e.getMessage();
            }
            assertEquals(expected, actual, () -> "line [" + line.replace("\r", "\\r") + "] delimiter " + delimiter);
        }
    }

    /** The reference: a character-by-character splitter, written independently of {@link CsvCells}. */
    static List<String> referenceSplit(String line, char delimiter, List<String> out, StringBuilder cell) {
        out.clear();
        cell.setLength(0);
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                out.add(cell.length() == 0 && !wasQuoted ? null : cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' && i == line.length() - 1) {
                break;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new RecordError(RecordError.MALFORMED_INPUT, "unterminated quoted field");
        }
        out.add(cell.length() == 0 && !wasQuoted ? null : cell.toString());
        return out;
    }
}
