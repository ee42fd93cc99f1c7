package io.velo.connector.file;

import io.velo.batch.RecordBatch;
import io.velo.codec.CsvDecoder;
import io.velo.codec.Decoder;
import io.velo.codec.JsonDecoder;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.connector.spi.Source;
import io.velo.exec.metrics.JobMetrics;
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
import java.util.ArrayList;
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
    private final BatchConfig batching;
    private final TextFieldDecoder fields;
    private final FailureHandler failures;
    private final JobMetrics metrics;

    private int fileIndex = -1;
    private BufferedReader reader;
    private String currentFile;
    private long line;
    private Decoder decoder;

    public FileSource(String name, Schema schema, Path baseDir, String displayPath, String format, char delimiter,
                      boolean hasHeaders, boolean watch, int eventTimeColumn, BatchConfig batching,
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
        nextFile();
    }

    private boolean nextFile() {
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
                header = new ArrayList<>(CsvDecoder.split(h, delimiter, new ArrayList<>(), new StringBuilder()));
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
            }
            return s;
        } catch (IOException e) {
            throw new JobFailedException("source '" + name + "': cannot read " + currentFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean poll(RecordBatch batch) {
        if (reader == null && fileIndex >= files.size()) {
            return false;
        }
        batch.sourceName = currentFile;
        int limit = Math.min(batch.capacity, batching.maxRecords());
        long bytes = 0;
        long now = System.currentTimeMillis();
        boolean any = false;
        while (batch.size < limit && bytes < batching.maxBytes()) {
            String text = readLine();
            if (text == null) {
                if (batch.size > 0) {
                    break; // emit what we have; the next poll moves to the next file
                }
                if (watch && fileIndex == files.size() - 1) {
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
            metrics.recordsIn++;
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
                batch.key[row] = null;
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
