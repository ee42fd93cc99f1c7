package io.velo.connector.file;

import io.velo.batch.RecordBatch;
import io.velo.codec.CsvDecoder;
import io.velo.codec.Decoder;
import io.velo.codec.JsonDecoder;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.connector.spi.Source;
import io.velo.metrics.JobMetrics;
import io.velo.failure.FailureHandler;
import io.velo.failure.JobFailedException;
import io.velo.failure.RecordError;
import io.velo.types.DataType;
import io.velo.types.Schema;
import io.velo.types.Values;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads CSV or JSON-lines files (one or a glob of several, in name order). Each record keeps its file
 * and line number for error reports and its original text for the dead-letter queue. With
 * {@code watch} the source stays open and picks up appended lines.
 */
public final class FileSource implements Source {
    private final String name;
    private final Schema schema;
    private final Path baseDir;
    private List<Path> files = List.of();
    private final String displayPath;
    private final String format;
    private final char delimiter;
    private final boolean hasHeaders;
    private final boolean watch;
    private final int eventTimeColumn;
    private final int keyColumn;
    private int recordLimit;
    private final BatchConfig batching;
    private final TextFieldDecoder fields;
    private final FailureHandler failures;
    private final JobMetrics metrics;

    private int fileIndex = -1;
    private long totalBytes;
    private long bytesDone;
    private long bytesCurrent;
    private BufferedReader reader;
    private String currentFile;
    private long line;
    private Decoder decoder;

    public FileSource(String name, Schema schema, Path baseDir, String displayPath, String format, char delimiter,
                      boolean hasHeaders, boolean watch, int eventTimeColumn, int keyColumn, BatchConfig batching,
                      TextFieldDecoder fields, FailureHandler failures, JobMetrics metrics) {
        this.name = name;
        this.schema = schema;
        this.baseDir = baseDir;
        this.displayPath = displayPath;
        this.format = format;
        this.delimiter = delimiter;
        this.hasHeaders = hasHeaders;
        this.watch = watch;
        this.eventTimeColumn = eventTimeColumn;
        this.keyColumn = keyColumn;
        this.recordLimit = batching.maxRecords();
        this.batching = batching;
        this.fields = fields;
        this.failures = failures;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public boolean bounded() {
        return !watch;
    }

    @Override
    public void open() {
        try {
            files = FilePaths.expand(baseDir, displayPath);
        } catch (IOException e) {
            throw new JobFailedException("source '" + name + "': cannot list '" + displayPath + "': " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new JobFailedException("source '" + name + "': no input file matches '" + displayPath + "'");
        }
        for (Path f : files) {
            try {
                totalBytes += Files.size(f);
            } catch (IOException ignored) {
                // size only feeds the ETA
            }
        }
        nextFile();
    }

    private boolean nextFile() {
        bytesDone += bytesCurrent;
        bytesCurrent = 0;
        closeReader();
        fileIndex++;
        if (fileIndex >= files.size()) {
            return false;
        }
        Path p = files.get(fileIndex);
        currentFile = display(p);
        line = 0;
        try {
            reader = Files.newBufferedReader(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JobFailedException("source '" + name + "': cannot read " + p + ": " + e.getMessage(), e);
        }
        if (format.equals("csv")) {
            List<String> header = null;
            if (hasHeaders) {
                String h = readLine();
                if (h == null) {
                    return true;
                }
                header = CsvDecoder.split(h, delimiter);
                for (int i = 0; i < header.size(); i++) {
                    if (header.get(i) == null) {
                        header.set(i, "");
                    }
                }
            }
            decoder = new CsvDecoder(schema, delimiter, header, fields);
        } else {
            decoder = new JsonDecoder(schema, fields);
        }
        return true;
    }

    /** The path as the user would type it: relative to the working directory when under it. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private String readLine() {
        try {
            String s = reader.readLine();
            if (s != null) {
                line++;
                bytesCurrent += s.length() + 1;
                if (line == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                    s = s.substring(1); // a UTF-8 byte-order mark is not part of the first header name
                }
            }
            return s;
        } catch (IOException e) {
            throw new JobFailedException("source '" + name + "': cannot read " + currentFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public double progress() {
        return watch || totalBytes == 0 ? -1 : Math.min(1.0, (bytesDone + bytesCurrent) / (double) totalBytes);
    }

    @Override
    public void limitRecords(int n) {
        recordLimit = Math.max(1, Math.min(n, batching.maxRecords()));
    }

    /**
     * How long a watched file's partial batch waits for more lines: the strategy's timeout/window,
     * none for eager low-latency processing.
     */
    private long partialBatchWait() {
        return batching.eager() ? 0 : batching.maxWaitMillis();
    }

    @Override
    public boolean poll(RecordBatch batch) {
        if (reader == null && fileIndex >= files.size()) {
            return false;
        }
        batch.sourceName = currentFile;
        int limit = Math.min(batch.capacity, recordLimit);
        long bytes = 0;
        long now = System.currentTimeMillis();
        boolean any = false;
        while (batch.size < limit && bytes < batching.maxBytes()) {
            String text = readLine();
            if (text == null) {
                boolean lastFile = fileIndex == files.size() - 1;
                if (watch && lastFile && batch.size > 0 && System.currentTimeMillis() - now < partialBatchWait()) {
                    sleepQuietly(2); // a watched file: give the batch until its timeout to fill up
                    continue;
                }
                if (batch.size > 0) {
                    break; // emit what we have; the next poll moves to the next file
                }
                if (watch && lastFile) {
                    return true; // nothing new yet
                }
                if (!nextFile()) {
                    return any;
                }
                batch.sourceName = currentFile;
                continue;
            }
            if (text.isBlank()) {
                continue;
            }
            any = true;
            metrics.addRecordsIn(1);
            bytes += text.length();
            int row = batch.size;
            try {
                decoder.decode(text, batch, row);
                long ts = now;
                long eventTime = now;
                if (eventTimeColumn >= 0) {
                    eventTime = eventTime(batch, row);
                }
                batch.timestamp[row] = ts;
                batch.eventTime[row] = eventTime;
                batch.partition[row] = 0;
                batch.offset[row] = line;
                batch.raw[row] = text;
                batch.key[row] = keyColumn < 0 || batch.columns[keyColumn].isNull(row) ? null : keyText(batch, row);
                batch.size++;
            } catch (RecordError e) {
                failures.onRecordError(currentFile, line, text, e.code(), e.getMessage());
            }
        }
        return true;
    }

    private long eventTime(RecordBatch batch, int row) {
        io.velo.batch.Column c = batch.columns[eventTimeColumn];
        String field = schema.field(eventTimeColumn).name();
        if (c.isNull(row)) {
            throw new RecordError(RecordError.MALFORMED_INPUT, "event time field '" + field + "' is missing");
        }
        DataType t = schema.field(eventTimeColumn).type();
        switch (t.kind) {
            case TIMESTAMP: case BIGINT: return c.longs[row];
            case DATE: return c.longs[row] * Values.MILLIS_PER_DAY;
            case STRING: {
                long v = Values.parseTimestamp((String) c.objects[row]);
                if (v == Long.MIN_VALUE) {
                    throw new RecordError(RecordError.MALFORMED_INPUT, "event time field '" + field + "': '" + c.objects[row]
                            + "' is neither epoch millis nor ISO-8601");
                }
                return v;
            }
            default:
                throw new RecordError(RecordError.MALFORMED_INPUT, "event time field '" + field + "' has type " + t);
        }
    }

    private String keyText(RecordBatch batch, int row) {
        io.velo.batch.Column c = batch.columns[keyColumn];
        switch (c.type.kind) {
            case BIGINT: case TIMESTAMP: case BOOLEAN: return Long.toString(c.longs[row]);
            case DATE: return Values.formatDate(c.longs[row]);
            case STRING: return (String) c.objects[row];
            default: {
                io.velo.expr.eval.ColumnEval e = new io.velo.expr.eval.ColumnEval(keyColumn, "key", c.type);
                e.eval(batch, row);
                return io.velo.expr.eval.CastEval.text(e);
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
            reader = null;
        }
    }

    @Override
    public void close() {
        closeReader();
        fileIndex = files.size();
    }

    @Override
    public String describe() {
        return "file_source " + displayPath + " (" + format + (watch ? ", watch" : "") + ")";
    }

    @Override
    public String toString() {
        return describe() + " files=" + Arrays.toString(files.toArray());
    }
}
