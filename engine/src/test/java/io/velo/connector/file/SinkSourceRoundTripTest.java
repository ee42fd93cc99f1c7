package io.velo.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.velo.batch.Column;
import io.velo.batch.RecordBatch;
import io.velo.codec.CsvEncoder;
import io.velo.codec.Encoder;
import io.velo.codec.JsonEncoder;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.metrics.JobMetrics;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalRounding;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the CSV and JSON file sinks write, the file source of the same format reads back
 * identically: random strings (quotes, delimiters, CR/LF, supplementary characters, empty vs NULL),
 * decimals of several scales (also between −1 and 0, and beyond 64 bits), timestamps, dates,
 * booleans and doubles.
 */
class SinkSourceRoundTripTest {
    @TempDir
    Path dir;

    private static final Schema SCHEMA = new Schema(List.of(
            new Field("id", DataType.BIGINT),
            new Field("s", DataType.STRING),
            new Field("d4", DataType.decimal(18, 4)),
            new Field("dx", DataType.DECIMAL),
            new Field("big", DataType.decimal(38, 6)),
            new Field("ts", DataType.TIMESTAMP),
            new Field("day", DataType.DATE),
            new Field("ok", DataType.BOOLEAN),
            new Field("x", DataType.DOUBLE),
            new Field("t2", DataType.STRING)));

    private static final String[] PIECES = {"a", "Z", "0", " ", ",", ";", "\t", "\"", "\"\"", "\r", "\n", "\r\n", "é", "€",
        "😀", "𝄞", "\u2028", "\u0001", "\\", "null", "NULL", "{", "}", "'", "|"};

    @Test
    void csvWithCommas() {
        roundTrip("csv", ',', 1);
    }

    @Test
    void csvWithSemicolonsAndTabs() {
        roundTrip("csv", ';', 2);
        roundTrip("csv", '\t', 3);
    }

    @Test
    void jsonLines() {
        roundTrip("json", ',', 4);
    }

    /** A NULL in a one-column CSV file is an empty line: it is a row, not a blank line to skip. */
    @Test
    void oneColumnCsvKeepsItsNullRows() {
        for (DataType type : new DataType[] {DataType.BIGINT, DataType.STRING}) {
            Schema one = new Schema(List.of(new Field("v", type)));
            RecordBatch written = new RecordBatch(one, 6, null);
            for (int row = 0; row < 6; row++) {
                if (row % 2 == 1) {
                    written.columns[0].setNull(row);
                } else if (type.kind == DataType.Kind.STRING) {
                    written.columns[0].setObject(row, row == 2 ? "" : "x" + row);
                } else {
                    written.columns[0].setLong(row, row);
                }
            }
            written.size = 6;
            Path file = dir.resolve("one-" + type.kind + ".csv");
            FileSink sink = new FileSink("o", file, file.toString(), new CsvEncoder(one, ',', true), false);
            sink.open();
            sink.write(written);
            sink.close();
            JobMetrics metrics = new JobMetrics();
            FailureHandler failures = new FailureHandler("rt", FailureStrategy.FAIL_BATCH, null, new PrintStream(PrintStream.nullOutputStream()), metrics);
            FileSource source = new FileSource("t", one, false, file.getParent(), file.getFileName().toString(), "csv", ',',
                    true, false, -1, -1, BatchConfig.fixedSize(4), new TextFieldDecoder(DecimalRounding.HALF_UP), failures, metrics);
            source.open();
            List<String> read = new ArrayList<>();
            RecordBatch batch = new RecordBatch(one, 4, null);
            boolean more = true;
            while (more) {
                batch.size = 0;
                more = source.poll(batch);
                for (int row = 0; row < batch.size; row++) {
                    read.add(describe(batch, row));
                }
            }
            source.close();
            List<String> expected = new ArrayList<>();
            for (int row = 0; row < 6; row++) {
                expected.add(describe(written, row));
            }
            assertEquals(expected, read, type.toString());
        }
    }

    private void roundTrip(String format, char delimiter, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 40; round++) {
            int rows = r.nextInt(60);
            RecordBatch written = new RecordBatch(SCHEMA, Math.max(1, rows), null);
            for (int row = 0; row < rows; row++) {
                fill(written, row, r);
            }
            written.size = rows;
            Path file = dir.resolve("rt-" + format + "-" + seed + "-" + round + "." + format);
            Encoder encoder = format.equals("csv") ? new CsvEncoder(SCHEMA, delimiter, true) : new JsonEncoder(SCHEMA, false);
            FileSink sink = new FileSink("o", file, file.toString(), encoder, false);
            sink.open();
            sink.write(written);
            sink.close();

            List<String> expected = new ArrayList<>();
            for (int row = 0; row < rows; row++) {
                expected.add(describe(written, row));
            }
            List<String> read = readBack(file, format, delimiter);
            String what = "round " + round + " of " + format + " (delimiter " + delimiter + ")";
            assertEquals(expected, read, what);
        }
    }

    private List<String> readBack(Path file, String format, char delimiter) {
        JobMetrics metrics = new JobMetrics();
        FailureHandler failures = new FailureHandler("rt", FailureStrategy.FAIL_BATCH, null, new PrintStream(PrintStream.nullOutputStream()), metrics);
        FileSource source = new FileSource("t", SCHEMA, false, file.getParent(), file.getFileName().toString(), format, delimiter,
                true, false, -1, -1, BatchConfig.fixedSize(7), new TextFieldDecoder(DecimalRounding.HALF_UP), failures, metrics);
        source.open();
        List<String> out = new ArrayList<>();
        RecordBatch batch = new RecordBatch(SCHEMA, 7, null);
        while (true) {
            batch.size = 0;
            boolean more = source.poll(batch);
            for (int row = 0; row < batch.size; row++) {
                out.add(describe(batch, row));
            }
            if (!more) {
                break;
            }
        }
        source.close();
        assertEquals(0, metrics.failed());
        return out;
    }

    private static void fill(RecordBatch b, int row, SplittableRandom r) {
        Column[] c = b.columns;
        c[0].setLong(row, r.nextInt(4) == 0 ? Long.MIN_VALUE + r.nextInt(2) : r.nextLong());
        c[1].setObject(row, text(r));
        // DECIMAL(18,4): values at scale 4, many between −1 and 0
        long unscaled = switch (r.nextInt(4)) {
            case 0 -> -r.nextInt(10_000);
            case 1 -> r.nextInt(10_000);
            default -> r.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L);
        };
        c[2].setDecimal(row, unscaled, 4);
        // any-scale DECIMAL: each value keeps its own scale
        int scale = r.nextInt(10);
        c[3].setDecimal(row, r.nextBoolean() ? -r.nextInt(1000) : r.nextLong() / (1L << r.nextInt(63)), scale);
        Dec big = new Dec();
        BigInteger digits = new BigInteger(r.nextInt(1, 120), new java.util.Random(r.nextLong()));
        big.set(new BigDecimal(r.nextBoolean() ? digits.negate() : digits, 6));
        if (big.toBigDecimal().precision() <= 38) {
            c[4].setDecimal(row, big);
        } else {
            c[4].setDecimal(row, -r.nextInt(1_000_000), 6);
        }
        c[5].setLong(row, r.nextLong(-2_208_988_800_000L, 253_402_300_799_000L)); // 1900 to 9999
        c[6].setLong(row, r.nextLong(-25_567, 2_932_896));
        c[7].setLong(row, r.nextInt(2));
        double x = switch (r.nextInt(4)) {
            case 0 -> r.nextDouble() - 0.5;
            case 1 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (r.nextBoolean() ? 1 : -1);
            case 2 -> r.nextInt(100);
            default -> r.nextBoolean() ? Double.MIN_VALUE : -0.0;
        };
        c[8].setDouble(row, x);
        c[9].setObject(row, r.nextInt(3) == 0 ? "" : text(r));
        for (int col = 1; col < c.length; col++) {
            if (r.nextInt(6) == 0) {
                c[col].setNull(row);
            }
        }
    }

    private static String text(SplittableRandom r) {
        if (r.nextInt(8) == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(1, 12);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** A value-exact description of one row: decimals with their scale, doubles by their bits. */
    private static String describe(RecordBatch b, int row) {
        StringBuilder sb = new StringBuilder();
        Dec d = new Dec();
        for (int col = 0; col < b.schema.size(); col++) {
            Column c = b.columns[col];
            sb.append(col == 0 ? "" : " | ");
            if (c.isNull(row)) {
                sb.append("NULL");
                continue;
            }
            switch (b.schema.field(col).type().kind) {
                case STRING -> sb.append('[').append(((String) c.objects[row]).replace("\r", "\\r").replace("\n", "\\n")).append(']');
                case DECIMAL -> {
                    c.getDecimal(row, d);
                    BigDecimal v = d.toBigDecimal();
                    sb.append(v.unscaledValue()).append("e-").append(v.scale());
                }
                case DOUBLE -> sb.append(Double.doubleToRawLongBits(c.doubles[row])).append('=').append(c.doubles[row]);
                default -> sb.append(c.longs[row]);
            }
        }
        return sb.toString();
    }
}
