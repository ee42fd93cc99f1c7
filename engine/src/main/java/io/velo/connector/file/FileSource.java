package io.velo.connector.file;

import io.velo.batch.RecordBatch;
import io.velo.codec.CsvDecoder;
import io.velo.codec.CsvHeader;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads CSV or JSON-lines files (one or a glob of several, in name order), record by record (see
 * {@link RecordReader}: quoted CSV fields may span lines; a record that is not valid UTF-8 is a record
 * error 22021). Each record keeps its file and first line for error reports and its original text
 * (or bytes) for the dead-letter queue. A CSV header must fit the schema ({@link CsvHeader}); every
 * file's header is checked before the first record is read. With {@code watch} the source stays open
 * and picks up appended records; the last one is taken only once its newline is written (or when the
 * job ends after its idle time).
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
    private io.velo.types.EventTimeFormat eventTimeFormat = io.velo.types.EventTimeFormat.AUTO;
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
    private RecordReader reader;
    private String currentFile;
    private long line;
    private Decoder decoder;
    private final boolean csv;
    private final boolean inferredSchema;
    /**
     * In a one-column CSV file an empty line is a row whose value is NULL (that is how the CSV sink
     * writes it), not a blank line to skip; elsewhere blank lines are skipped.
     */
    private final boolean blankIsNullRow;
    private final JsonDecoder json;
    /** Records this source may still read in all ({@code --max-records}). */
    private long readBudget = Long.MAX_VALUE;
    /** Set for one poll when the job ends after its idle time: the watched file's unfinished tail is taken. */
    private boolean releaseHeldBack;

    public FileSource(String name, Schema schema, Path baseDir, String displayPath, String format, char delimiter,
                      boolean hasHeaders, boolean watch, int eventTimeColumn, int keyColumn, BatchConfig batching,
                      TextFieldDecoder fields, FailureHandler failures, JobMetrics metrics) {
        this(name, schema, false, baseDir, displayPath, format, delimiter, hasHeaders, watch, eventTimeColumn, keyColumn,
                batching, fields, failures, metrics);
    }

    /** @param inferredSchema whether the schema was inferred from the file (see {@link CsvHeader}) */
    public FileSource(String name, Schema schema, boolean inferredSchema, Path baseDir, String displayPath, String format,
                      char delimiter, boolean hasHeaders, boolean watch, int eventTimeColumn, int keyColumn,
                      BatchConfig batching, TextFieldDecoder fields, FailureHandler failures, JobMetrics metrics) {
        this.inferredSchema = inferredSchema;
        this.csv = format.equals("csv");
        this.blankIsNullRow = csv && schema.size() == 1;
        this.json = csv ? null : new JsonDecoder(schema, fields);
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
            throw new JobFailedException("source '" + name + "': cannot list '" + displayPath + "': " + io.velo.io.IoErrors.describe(e), e);
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
        if (csv && hasHeaders) {
            checkHeaders();
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
            reader = RecordReader.open(p, csv, delimiter);
        } catch (IOException e) {
            throw new JobFailedException("source '" + name + "': cannot read " + p + ": " + io.velo.io.IoErrors.describe(e), e);
        }
        decoder = csv && hasHeaders ? null : csv ? new CsvDecoder(schema, delimiter, null, fields) : json;
        return true;
    }

    /**
     * Maps the header's fields to the schema's columns, or fails the job naming the column: a header
     * that does not fit the schema would fill a column with another's values, or with NULLs.
     */
    private CsvDecoder header(String where, String text) {
        List<String> cells = CsvDecoder.split(text, delimiter);
        if (inferredSchema) {
            cells = CsvHeader.inferredNames(cells);
        }
        String problem = CsvHeader.problem(cells, schema);
        if (problem != null) {
            throw new JobFailedException(where + ": error: " + problem);
        }
        return new CsvDecoder(schema, delimiter, cells, fields);
    }

    /** Checks every file's header before the first record is read (a watched file's, once it is complete). */
    private void checkHeaders() {
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i);
            boolean watched = watch && i == files.size() - 1;
            try (RecordReader r = RecordReader.open(p, true, delimiter)) {
                int kind;
                do {
                    kind = r.next(!watched);
                } while (kind == RecordReader.RECORD && r.text.isBlank());
                if (kind == RecordReader.RECORD) {
                    header(display(p) + ":" + r.line, r.text);
                } else if (kind == RecordReader.ERROR) {
                    throw new JobFailedException(display(p) + ":" + r.line + ": error: the header is unreadable: " + r.errorMessage);
                }
            } catch (IOException e) {
                throw new JobFailedException("source '" + name + "': cannot read " + p + ": " + io.velo.io.IoErrors.describe(e), e);
            }
        }
    }

    /** The path as the user would type it: relative to the working directory when under it. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    /**
     * The next record of the current file (see {@link RecordReader#next}). A file's unterminated last
     * line is a record unless the file is the watched one, whose writer may not have finished it:
     * that line waits for its newline, or for the job to end after its idle time.
     */
    private int nextRecord() {
        boolean watched = watch && fileIndex == files.size() - 1;
        boolean takeUnterminated = !watched || releaseHeldBack;
        try {
            int kind = reader.next(takeUnterminated);
            bytesCurrent = reader.consumed();
            if (kind != RecordReader.NONE) {
                line = reader.line;
            }
            return kind;
        } catch (IOException e) {
            throw new JobFailedException("source '" + name + "': cannot read " + currentFile + ": " + io.velo.io.IoErrors.describe(e), e);
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
    public void limitTotal(long records) {
        readBudget = records;
    }

    @Override
    public boolean releaseHeldBack() {
        if (!watch || reader == null || fileIndex != files.size() - 1) {
            return false;
        }
        releaseHeldBack = true;
        return true;
    }

    @Override
    public boolean poll(RecordBatch batch) {
        if (reader == null && fileIndex >= files.size() || readBudget <= 0) {
            return false;
        }
        batch.sourceName = currentFile;
        int limit = Math.min(batch.capacity, recordLimit);
        long bytes = 0;
        long now = System.currentTimeMillis();
        boolean any = false;
        try {
            while (batch.size < limit && bytes < batching.maxBytes() && readBudget > 0) {
                int kind = nextRecord();
                if (kind == RecordReader.NONE) {
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
                if (kind == RecordReader.RECORD && reader.text.isBlank() && (decoder == null || !blankIsNullRow)) {
                    continue;
                }
                if (decoder == null) {
                    if (kind != RecordReader.RECORD) {
                        throw new JobFailedException(currentFile + ":" + line + ": error: the header is unreadable: " + reader.errorMessage);
                    }
                    decoder = header(currentFile + ":" + line, reader.text);
                    continue;
                }
                any = true;
                metrics.addRecordsIn(1);
                readBudget--;
                if (kind == RecordReader.ERROR) {
                    failures.onRecordError(currentFile, line, reader.raw, reader.errorCode, reader.errorMessage);
                    continue;
                }
                String text = reader.text;
                bytes += text.length();
                decodeInto(batch, text, now);
            }
        } finally {
            releaseHeldBack = false;
        }
        return true;
    }

    private void decodeInto(RecordBatch batch, String text, long now) {
        int row = batch.size;
        try {
            decoder.decode(text, batch, row);
            long eventTime = now;
            if (eventTimeColumn >= 0) {
                eventTime = eventTime(batch, row);
            }
            batch.timestamp[row] = now;
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

    private long eventTime(RecordBatch batch, int row) {
        return eventTimeFormat.millis(batch.columns[eventTimeColumn], row, schema.field(eventTimeColumn).type(),
                schema.field(eventTimeColumn).name());
    }

    /** How the event-time field is read ({@code 'event.time.format'}). */
    public void eventTimeFormat(io.velo.types.EventTimeFormat format) {
        this.eventTimeFormat = format;
    }

    private String keyText(RecordBatch batch, int row) {
        io.velo.batch.Column c = batch.columns[keyColumn];
        return c.type.kind == DataType.Kind.STRING ? (String) c.objects[row] : c.text(row);
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
