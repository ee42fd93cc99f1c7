package io.velo.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.failure.RecordError;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-place tokenizer cuts every line exactly as the reference splitter does (or fails alike). */
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
                expected = CsvDecoder.split(line, delimiter, new ArrayList<>(), new StringBuilder()).toString();
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
}
