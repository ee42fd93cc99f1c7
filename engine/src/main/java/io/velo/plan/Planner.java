package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.codec.CsvEncoder;
import io.velo.codec.Encoder;
import io.velo.codec.JsonEncoder;
import io.velo.codec.SchemaInference;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.connector.StdoutSink;
import io.velo.connector.file.FilePaths;
import io.velo.connector.file.FileSink;
import io.velo.connector.file.FileSource;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.exec.AggregateOperator;
import io.velo.exec.DistinctOperator;
import io.velo.exec.FilterOperator;
import io.velo.exec.LimitOperator;
import io.velo.exec.Operator;
import io.velo.exec.ProjectOperator;
import io.velo.exec.RowErrors;
import io.velo.exec.SinkOperator;
import io.velo.exec.SortOperator;
import io.velo.exec.agg.Aggregator;
import io.velo.exec.metrics.JobMetrics;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.failure.FileDeadLetterWriter;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a query statement into a {@link JobPlan}: resolves the source and sink and their properties,
 * derives the source schema (declared, inline, or inferred from a sample of the file), compiles every
 * expression, builds the operator chain and the plan text. Everything that can be wrong with a
 * statement is found here, before any job starts.
 */
public final class Planner {
    private static final int INFERENCE_SAMPLE = 1000;

    private final Catalog catalog;
    private final Path baseDir;
    private final PrintStream log;
    private final PrintStream stdout;

    public Planner(Catalog catalog, Path baseDir, PrintStream stdout, PrintStream log) {
        this.catalog = catalog;
        this.baseDir = baseDir;
        this.stdout = stdout;
        this.log = log;
    }

    /** Registers a {@code CREATE STREAM|TABLE name (cols) WITH (…)} source declaration. */
    public void declare(Statement.CreateSource s) {
        List<Field> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String pk = null;
        for (Statement.ColumnDef c : s.columns()) {
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new SqlException(c.pos(), "duplicate column '" + c.name() + "'");
            }
            fields.add(new Field(c.name(), c.type()));
            if (c.primaryKey()) {
                pk = c.name();
            }
        }
        if (s.table() && pk == null) {
            throw new SqlException(s.namePos(), "table '" + s.name() + "' needs a PRIMARY KEY column");
        }
        if (catalog.get(s.name()) != null) {
            throw new SqlException(s.namePos(), "'" + s.name() + "' is already defined");
        }
        // validate the declaration's own properties now, so a typo is reported where it was written
        JobProperties.resolve(List.of(new AbstractMap.SimpleEntry<>("declared", s.with())),
                Set.of(s.name().toLowerCase(Locale.ROOT)), baseDir);
        catalog.put(new Catalog.Entry(s.name(), s.table(), new Schema(fields), s.with(), "declared at " + s.pos(), null, null, pk));
    }

    /**
     * Plans a SELECT over an in-memory relation (no connector, no codec) writing to the given sink:
     * the engine-only pipelines of {@code velo bench pipelines} and the test driver use it. The caller
     * pushes batches of {@code schema} into the returned pipeline.
     */
    public JobPlan planInMemory(String selectSql, String sourceName, Schema schema, Sink sink) {
        catalog.put(new Catalog.Entry(sourceName, false, schema, List.of(), MEMORY, null, null, null));
        List<Statement> st = Parser.parseScript(selectSql);
        if (st.size() != 1 || !(st.get(0) instanceof Statement.Select s)) {
            throw new SqlException(st.isEmpty() ? Pos.NONE : st.get(0).pos(), "expected one SELECT statement");
        }
        injectedSink = sink;
        try {
            return planQuery("in_memory", "SELECT", s.query(), null, null, s.with(), List.of(), false);
        } finally {
            injectedSink = null;
        }
    }

    private static final String MEMORY = "in-memory";
    private Sink injectedSink;

    public JobPlan plan(Statement st) {
        if (st instanceof Statement.CreateAs c) {
            if (catalog.get(c.name()) != null) {
                throw new SqlException(c.namePos(), "'" + c.name() + "' is already defined");
            }
            return planQuery(c.name(), c.table() ? "CREATE TABLE AS" : "CREATE STREAM AS", c.query(), c.name(), c.namePos(),
                    c.with(), c.columns(), c.table());
        }
        if (st instanceof Statement.InsertInto i) {
            return planQuery("insert_into_" + i.sink(), "INSERT INTO", i.query(), i.sink(), i.sinkPos(), i.with(), List.of(), false);
        }
        if (st instanceof Statement.Select s) {
            String name = s.into() != null ? "select_into_" + s.into() : "select_" + s.pos().line();
            return planQuery(name, s.into() != null ? "SELECT INTO" : "SELECT", s.query(), s.into(), s.intoPos(), s.with(), List.of(), false);
        }
        throw new SqlException(st.pos(), "not a query statement");
    }

    // ------------------------------------------------------------------ the query

    private JobPlan planQuery(String jobName, String kind, Query q, String sinkName, Pos sinkPos,
                              List<Statement.Property> with, List<Statement.ColumnDef> declaredOut, boolean table) {
        checkSupported(q);
        if (q.from() == null) {
            throw new SqlException(q.pos(), "a streaming query needs FROM <source>");
        }
        String srcName = q.from().name();
        Catalog.Entry declaredSrc = catalog.get(srcName);
        Catalog.Entry declaredSink = sinkName == null ? null : catalog.get(sinkName);

        Set<String> names = new LinkedHashSet<>();
        names.add(srcName.toLowerCase(Locale.ROOT));
        if (sinkName != null) {
            names.add(sinkName.toLowerCase(Locale.ROOT));
        }
        List<Map.Entry<String, List<Statement.Property>>> layers = new ArrayList<>();
        if (declaredSrc != null) {
            layers.add(new AbstractMap.SimpleEntry<>(declaredSrc.origin().startsWith("declared") ? "declared" : "output of", declaredSrc.properties()));
        }
        if (declaredSink != null && declaredSink != declaredSrc) {
            layers.add(new AbstractMap.SimpleEntry<>("declared", declaredSink.properties()));
        }
        layers.add(new AbstractMap.SimpleEntry<>("WITH", with));
        JobProperties props = JobProperties.resolve(layers, names, baseDir);

        DecimalRounding rounding = DecimalRounding.parse(props.get("decimal.rounding", "half_up"));
        JobMetrics metrics = new JobMetrics();
        FailureHandler failures = failureHandler(jobName, props, metrics, q.pos());
        RowErrors errors = new RowErrors(failures);
        BatchConfig batching = BatchConfig.from(props, "source");

        // ---- source
        String srcType = props.get(srcName + ".type");
        if (declaredSrc != null && declaredSrc.origin().equals(MEMORY)) {
            srcType = "memory";
        }
        if (srcType == null && declaredSrc != null && declaredSrc.sinkPath() != null) {
            srcType = "file_source";
        }
        if (srcType == null) {
            throw new SqlException(q.from().pos(), "unknown source '" + srcName + "': declare it with CREATE STREAM " + srcName
                    + " (…) WITH ('" + srcName + ".type' = 'file_source', '" + srcName + ".path' = '…') or set those properties in WITH");
        }
        if (!srcType.equals("file_source") && !srcType.equals("kafka_source") && !srcType.equals("memory")) {
            throw new SqlException(props.pos(srcName + ".type"), "'" + srcName + "' is used as a source but its type is " + srcType);
        }
        if (!srcType.equals("memory")) {
            props.checkConnectorKind(srcName, srcType);
        }
        String format = props.get(srcName + ".format", declaredSrc != null && declaredSrc.sinkFormat() != null ? declaredSrc.sinkFormat() : "json").toLowerCase(Locale.ROOT);
        props.addConnectorDefaults(srcName, srcType.equals("file_source") ? List.of("format", "has_headers", "delimiter", "watch") : List.of("format", "auto.offset.reset"));
        if (format.equals("avro") || format.equals("protobuf")) {
            throw new SqlException(props.pos(srcName + ".format"), "format '" + format + "' is not supported yet for sources (json and csv are)");
        }
        Schema srcSchema = sourceSchema(srcName, declaredSrc, props, srcType, format, q.from().pos());
        String etField = props.get(srcName + ".event.time.field", props.get("event.time.field"));
        int etColumn = -1;
        if (etField != null) {
            etColumn = srcSchema.indexOf(etField);
            if (etColumn < 0) {
                Pos p = props.setting(srcName + ".event.time.field") != null ? props.pos(srcName + ".event.time.field") : props.pos("event.time.field");
                throw new SqlException(p, "event time field '" + etField + "' is not a column of '" + srcName + "' (" + srcSchema + ")");
            }
        }
        Source source = null;
        String srcPath = props.get(srcName + ".path", declaredSrc != null ? declaredSrc.sinkPath() : null);
        if (srcType.equals("file_source")) {
            if (srcPath == null) {
                throw new SqlException(q.from().pos(), "file source '" + srcName + "' needs '" + srcName + ".path'");
            }
            source = new FileSource(srcName, srcSchema, baseDir, srcPath, format,
                    delimiter(props, srcName), props.bool(srcName + ".has_headers", true), props.bool(srcName + ".watch", false),
                    etColumn, keyColumn(props, srcName, srcSchema), batching, new TextFieldDecoder(rounding), failures, metrics);
        }
        if (srcType.equals("kafka_source")) {
            String why = "batch.strategy=" + batching.strategy();
            io.velo.config.KafkaSuggestions.forSource(batching).forEach((k, v) -> props.suggest(srcName + ".kafka." + k, v, why));
        }
        Scope scope = new Scope(srcName, q.from().alias(), srcSchema);
        ExprCompiler compiler = new ExprCompiler(scope, rounding);

        // ---- sink (built first: operators are chained from the end)
        boolean bounded = srcType.equals("memory") || (srcType.equals("file_source") && !props.bool(srcName + ".watch", false));
        StringBuilder plan = new StringBuilder();
        List<String> steps = new ArrayList<>();

        io.velo.expr.eval.BatchPredicate where = q.where() == null ? null : new io.velo.expr.PredicateCompiler(compiler).compile(q.where(), "WHERE");
        boolean aggregate = !q.groupBy().isEmpty() || q.window() != null || hasAggregate(q);
        Query.Emit emit = q.emit() != null ? q.emit() : (q.window() != null ? Query.Emit.FINAL : Query.Emit.CHANGES);

        if (declaredOut.isEmpty() && declaredSink != null && declaredSink != declaredSrc && declaredSink.schema() != null
                && declaredSink.schema().size() > 0 && declaredSink.origin().startsWith("declared")) {
            // INSERT INTO / SELECT INTO a declared stream: its columns name and type the output
            List<Statement.ColumnDef> cols = new ArrayList<>();
            for (Field f : declaredSink.schema().fields()) {
                cols.add(new Statement.ColumnDef(sinkPos, f.name(), f.type(), false));
            }
            declaredOut = cols;
        }
        Projection projection;
        AggregateParts aggParts = null;
        if (aggregate) {
            aggParts = planAggregate(q, compiler, scope, srcSchema, rounding, props, emit, batching);
            projection = projection(q, aggParts.compiler, aggParts.outSchema, declaredOut, true);
        } else {
            if (q.having() != null) {
                throw new SqlException(q.having().pos(), "HAVING needs GROUP BY or an aggregate");
            }
            projection = projection(q, compiler, srcSchema, declaredOut, false);
        }
        Schema outSchema = projection.schema;

        // ---- sink
        Sink sink;
        String sinkDesc;
        if (injectedSink != null) {
            sink = injectedSink;
            sinkDesc = sink.describe();
        } else if (sinkName == null) {
            sink = new StdoutSink(stdout, new JsonEncoder(outSchema, false));
            sinkDesc = "stdout";
        } else {
            String sinkType = props.get(sinkName + ".type");
            if (sinkType == null) {
                throw new SqlException(sinkPos, "no sink configured for '" + sinkName + "': add WITH ('" + sinkName
                        + ".type' = 'file_sink', '" + sinkName + ".path' = 'out/" + sinkName + ".json')");
            }
            if (!sinkType.equals("file_sink") && !sinkType.equals("kafka_sink")) {
                throw new SqlException(props.pos(sinkName + ".type"), "'" + sinkName + "' is used as a sink but its type is " + sinkType);
            }
            props.checkConnectorKind(sinkName, sinkType);
            if (sinkType.equals("kafka_sink")) {
                BatchConfig sinkBatching = BatchConfig.from(props, "sink");
                String why = "batch.strategy=" + sinkBatching.strategy();
                io.velo.config.KafkaSuggestions.forSink(sinkBatching).forEach((k, v) -> props.suggest(sinkName + ".kafka." + k, v, why));
            }
            props.addConnectorDefaults(sinkName, sinkType.equals("file_sink") ? List.of("format", "has_headers", "delimiter", "decimal.encoding", "append")
                    : List.of("format", "decimal.encoding", "partitions", "replication.factor"));
            String sinkFormat = props.get(sinkName + ".format", "json").toLowerCase(Locale.ROOT);
            if (!sinkFormat.equals("json") && !sinkFormat.equals("csv")) {
                throw new SqlException(props.pos(sinkName + ".format"), "format '" + sinkFormat + "' is not supported yet for sinks (json and csv are)");
            }
            Encoder encoder = sinkFormat.equals("csv")
                    ? new CsvEncoder(outSchema, delimiter(props, sinkName), props.bool(sinkName + ".has_headers", true))
                    : new JsonEncoder(outSchema, props.get(sinkName + ".decimal.encoding", "string").equalsIgnoreCase("number"));
            String sinkPath = props.get(sinkName + ".path");
            if (sinkType.equals("file_sink")) {
                if (sinkPath == null) {
                    throw new SqlException(sinkPos, "file sink '" + sinkName + "' needs '" + sinkName + ".path'");
                }
                sink = new FileSink(sinkName, baseDir.resolve(sinkPath), sinkPath, encoder, props.bool(sinkName + ".append", false));
                if (FailureStrategy.parse(props.scoped("sink", "failure_strategy", "LogAndContinue")) == FailureStrategy.RETRY_WITH_BACKOFF) {
                    sink = new io.velo.connector.RetryingSink(sink, Integer.parseInt(props.scoped("sink", "max_retries", "3")),
                            io.velo.sql.parser.Durations.parseMillis(props.scoped("sink", "retry_backoff", "1000ms")), log);
                }
            } else {
                sink = null; // Kafka sinks arrive with the Kafka connector; check still plans them
            }
            sinkDesc = (sink != null && sink instanceof io.velo.connector.RetryingSink ? "[RetryWithBackoff] " : "") + sinkType + " " + (sinkPath != null ? sinkPath : props.get(sinkName + ".topic", props.get(sinkName + ".topic.name", sinkName)))
                    + " (" + sinkFormat + ")";
            if (declaredSink == null && kind.startsWith("CREATE")) {
                String pk = null;
                for (Query.SelectItem it : q.items()) {
                    if (it.primaryKey()) {
                        pk = it.alias() != null ? it.alias() : it.expr() instanceof Expr.ColumnRef c ? c.name() : null;
                    }
                }
                catalog.put(new Catalog.Entry(sinkName, table, outSchema, List.of(), "output of " + kind + " " + sinkName,
                        sinkPath == null ? null : sinkPath, sinkFormat, pk));
            }
        }
        if (!srcType.equals("file_source") || (sinkName != null && !"file_sink".equals(props.get(sinkName + ".type")))) {
            source = null; // Kafka jobs are planned (check) but cannot run before the Kafka connector exists
        }
        if ("transactional".equalsIgnoreCase(props.get("mode", "at_least_once")) && (srcType.equals("file_source"))) {
            throw new SqlException(props.pos("mode"), "'mode' = 'transactional' gives exactly-once for Kafka→Kafka jobs; this job reads files");
        }

        // ---- operator chain, from the sink backwards
        JobMetrics m = metrics;
        Operator op = sink == null ? null : new SinkOperator(sink, m);
        BatchPool outPool = new BatchPool(outSchema, Math.max(64, Math.min(batching.maxRecords(), 65_536)), 4);
        if (q.limit() != null) {
            op = new LimitOperator(q.limit(), op, m);
            steps.add("Limit " + q.limit());
        }
        if (!q.orderBy().isEmpty()) {
            if (!bounded) {
                throw new SqlException(q.orderBy().get(0).expr().pos(), "ORDER BY needs a bounded input (files); a stream never ends");
            }
            Scope outScope = new Scope("output", null, outSchema);
            ExprCompiler oc = new ExprCompiler(outScope, rounding);
            Eval[] keys = new Eval[q.orderBy().size()];
            boolean[] desc = new boolean[keys.length];
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < keys.length; i++) {
                Expr.OrderItem it = q.orderBy().get(i);
                try {
                    keys[i] = oc.compile(it.expr());
                } catch (SqlException e) {
                    throw new SqlException(e.pos(), "ORDER BY may use the output columns (" + outSchema + "): " + e.getMessage());
                }
                desc[i] = it.descending();
                sb.append(i > 0 ? ", " : "").append(SqlPrinter.print(it.expr())).append(it.descending() ? " DESC" : "");
            }
            op = new SortOperator(keys, desc, outPool, op);
            steps.add("Sort " + sb);
        }
        if (q.distinct()) {
            op = new DistinctOperator(outSchema, op, m, aggregate);
            steps.add("Distinct");
        }
        RowErrors outErrors = aggParts != null ? new RowErrors(failures, true) : errors;
        op = new ProjectOperator(projection.items, projection.eventTime, outPool, op, outErrors);
        steps.add("Project " + projection.describe);
        if (aggParts != null) {
            if (aggParts.having != null) {
                op = new FilterOperator(aggParts.having, op, outErrors, m, true);
                steps.add("Having " + SqlPrinter.print(q.having()));
            }
            m.aggregating = true;
            BatchPool aggPool = new BatchPool(aggParts.outSchema, 4096, 4);
            op = new AggregateOperator(aggParts.keys, aggParts.aggregators, aggParts.args, aggParts.windowSize, aggParts.timeColumn,
                    emit == Query.Emit.FINAL, props.millis("watermark.max_out_of_orderness", 0),
                    "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")), aggPool, op, errors, m);
            steps.add(aggParts.describe + " EMIT " + emit);
        }
        if (where != null) {
            op = new FilterOperator(where, op, errors, m);
            steps.add("Filter " + SqlPrinter.print(q.where()));
        }
        String srcDesc = source != null ? source.describe() : srcType + " " + (srcPath != null ? srcPath
                : props.get(srcName + ".topic", props.get(srcName + ".topic.name", srcName))) + " (" + format + ")";
        steps.add("Source " + srcName + ": " + srcDesc + " [" + srcSchema + "]" + (etField != null ? " event time: " + etField : ""));

        plan.append(kind).append(' ').append(jobName).append('\n');
        plan.append("  Sink ").append(sinkName == null ? "stdout" : sinkName).append(": ").append(sinkDesc)
                .append(" [").append(outSchema).append("]\n");
        String indent = "    ";
        for (String s : steps) {
            plan.append(indent).append(s).append('\n');
            indent += "  ";
        }
        plan.append("  Batching: ").append(batching).append('\n');
        plan.append("  Failures: ").append(failures.strategy()).append('\n');
        BatchPool srcPool = new BatchPool(srcSchema, Math.max(1, Math.min(batching.maxRecords(), BatchConfig.ABSOLUTE_MAX_RECORDS)),
                batching.reuseBuffers() ? 3 : 0);
        return new JobPlan(jobName, kind, source, sink, op, srcPool, batching, props, failures, metrics, outSchema, plan.toString());
    }

    private static int keyColumn(JobProperties props, String src, Schema schema) {
        String field = props.get(src + ".key.field");
        if (field == null) {
            return -1;
        }
        int i = schema.indexOf(field);
        if (i < 0) {
            throw new SqlException(props.pos(src + ".key.field"), "key field '" + field + "' is not a column of '" + src + "' (" + schema + ")");
        }
        return i;
    }

    private static char delimiter(JobProperties props, String name) {
        String d = props.get(name + ".delimiter", ",");
        return d.equals("\\t") ? '\t' : d.charAt(0);
    }

    private FailureHandler failureHandler(String job, JobProperties props, JobMetrics metrics, Pos pos) {
        String fs = props.scoped("source", "failure_strategy", props.get("failure_strategy", "LogAndContinue"));
        FailureStrategy strategy = FailureStrategy.parse(fs);
        FileDeadLetterWriter dlq = null;
        String dlqPath = props.get("dlq.path");
        if (props.get("dlq.topic") != null) {
            throw new SqlException(props.setting("dlq.topic").keyPos(), "'dlq.topic' needs the Kafka connector, which this build does not run yet; use 'dlq.path'");
        }
        boolean lateToDlq = "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop"));
        if (strategy == FailureStrategy.SEND_TO_DLQ || lateToDlq) {
            if (dlqPath == null) {
                Pos at = props.setting("failure_strategy") != null ? props.pos("failure_strategy") : props.pos("late.data.strategy");
                throw new SqlException(at.line() > 0 ? at : pos, "dead-lettering needs 'dlq.path' for file jobs (a Kafka dead-letter topic, 'dlq.topic', needs the Kafka connector)");
            }
            dlq = new FileDeadLetterWriter(baseDir.resolve(dlqPath));
        }
        // with late.data.strategy = dead_letter late records go to the DLQ whatever the strategy for bad records
        return new FailureHandler(job, strategy, dlq, log, metrics);
    }

    private Schema sourceSchema(String name, Catalog.Entry declared, JobProperties props, String type, String format, Pos pos) {
        if (declared != null && declared.schema() != null && declared.schema().size() > 0) {
            if (props.get(name + ".schema") != null && declared.origin().startsWith("declared")) {
                throw new SqlException(props.pos(name + ".schema"), "'" + name + "' declares its columns already; drop '" + name + ".schema'");
            }
            return declared.schema();
        }
        String inline = props.get(name + ".schema");
        if (inline != null) {
            return parseInlineSchema(inline, props.pos(name + ".schema"));
        }
        if (!type.equals("file_source")) {
            throw new SqlException(pos, "source '" + name + "' needs a schema: declare its columns or set '" + name + ".schema'");
        }
        String path = props.get(name + ".path");
        if (path == null) {
            throw new SqlException(pos, "file source '" + name + "' needs '" + name + ".path'");
        }
        List<Path> files;
        try {
            files = FilePaths.expand(baseDir, path);
        } catch (IOException e) {
            files = List.of();
        }
        if (files.isEmpty()) {
            throw new SqlException(props.pos(name + ".path"), "cannot infer the schema of '" + name + "': no file matches '" + path
                    + "' (declare the columns or set '" + name + ".schema' to plan without the file)");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(files.get(0), StandardCharsets.UTF_8)) {
            String line;
            while (lines.size() < INFERENCE_SAMPLE + 1 && (line = r.readLine()) != null) {
                if (lines.isEmpty() && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new SqlException(props.pos(name + ".path"), "cannot read " + files.get(0) + ": " + e.getMessage());
        }
        Schema s;
        if (format.equals("csv")) {
            char d = delimiter(props, name);
            boolean headers = props.bool(name + ".has_headers", true);
            List<List<String>> rows = new ArrayList<>();
            for (String l : lines) {
                try {
                    rows.add(new ArrayList<>(io.velo.codec.CsvDecoder.split(l, d, new ArrayList<>(), new StringBuilder())));
                } catch (RuntimeException e) {
                    rows.add(List.of());
                }
            }
            List<String> header;
            if (headers && !rows.isEmpty()) {
                header = new ArrayList<>();
                for (String h : rows.remove(0)) {
                    header.add(h == null ? "" : h);
                }
            } else {
                header = new ArrayList<>();
                int n = rows.isEmpty() ? 0 : rows.get(0).size();
                for (int i = 0; i < n; i++) {
                    header.add("c" + (i + 1));
                }
            }
            s = SchemaInference.csv(header, rows);
        } else {
            s = SchemaInference.json(lines);
        }
        if (s.size() == 0) {
            throw new SqlException(props.pos(name + ".path"), "cannot infer the schema of '" + name + "' from " + files.get(0) + ": no records");
        }
        return s;
    }

    /** Parses {@code 'id BIGINT, price DECIMAL(18,4), ts TIMESTAMP'}. */
    static Schema parseInlineSchema(String text, Pos pos) {
        try {
            List<Statement> st = Parser.parseScript("CREATE STREAM s (" + text + ") WITH ()");
            Statement.CreateSource cs = (Statement.CreateSource) st.get(0);
            List<Field> fields = new ArrayList<>();
            for (Statement.ColumnDef c : cs.columns()) {
                fields.add(new Field(c.name(), c.type()));
            }
            return new Schema(fields);
        } catch (SqlException | ClassCastException e) {
            throw new SqlException(pos, "bad inline schema '" + text + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ unsupported features

    private static void checkSupported(Query q) {
        if (!q.joins().isEmpty()) {
            Query.Join j = q.joins().get(0);
            throw new SqlException(j.pos(), j.type() + " JOIN is not supported yet (stream-table and interval joins are planned)");
        }
        if (q.from() != null && q.from().subquery() != null) {
            throw new SqlException(q.from().pos(), "subqueries in FROM are not supported yet");
        }
        if (q.window() != null && q.window().kind() != Query.WindowKind.TUMBLING) {
            throw new SqlException(q.window().pos(), q.window().kind() + " windows are not supported yet (TUMBLING windows are)");
        }
    }

    // ------------------------------------------------------------------ aggregation

    static boolean hasAggregate(Query q) {
        for (Query.SelectItem it : q.items()) {
            if (it.expr() != null && containsAggregate(it.expr())) {
                return true;
            }
        }
        return q.having() != null && containsAggregate(q.having());
    }

    static boolean containsAggregate(Expr e) {
        List<Expr.Call> out = new ArrayList<>();
        collectAggregates(e, out);
        return !out.isEmpty();
    }

    static void collectAggregates(Expr e, List<Expr.Call> out) {
        if (e instanceof Expr.Call c) {
            io.velo.expr.fn.FunctionDef d = io.velo.expr.fn.FunctionRegistry.lookup(c.name());
            if (d != null && c.over() == null && (d.kind() == io.velo.expr.fn.FunctionKind.AGGREGATE
                    || d.kind() == io.velo.expr.fn.FunctionKind.AGGREGATE_OR_ANALYTIC)) {
                out.add(c);
                return;
            }
            c.args().forEach(a -> collectAggregates(a, out));
        } else if (e instanceof Expr.Unary u) {
            collectAggregates(u.operand(), out);
        } else if (e instanceof Expr.Binary b) {
            collectAggregates(b.left(), out);
            collectAggregates(b.right(), out);
        } else if (e instanceof Expr.Between b) {
            collectAggregates(b.value(), out);
            collectAggregates(b.low(), out);
            collectAggregates(b.high(), out);
        } else if (e instanceof Expr.InList in) {
            collectAggregates(in.value(), out);
            in.list().forEach(a -> collectAggregates(a, out));
        } else if (e instanceof Expr.Like l) {
            collectAggregates(l.value(), out);
            collectAggregates(l.pattern(), out);
        } else if (e instanceof Expr.IsNull n) {
            collectAggregates(n.value(), out);
        } else if (e instanceof Expr.Case c) {
            if (c.operand() != null) {
                collectAggregates(c.operand(), out);
            }
            for (Expr.When w : c.whens()) {
                collectAggregates(w.condition(), out);
                collectAggregates(w.result(), out);
            }
            if (c.otherwise() != null) {
                collectAggregates(c.otherwise(), out);
            }
        } else if (e instanceof Expr.Cast c) {
            collectAggregates(c.value(), out);
        }
    }

    private static final class AggregateParts {
        Eval[] keys;
        Aggregator[] aggregators;
        Eval[] args;
        long windowSize;
        Eval timeColumn;
        Schema outSchema;
        ExprCompiler compiler;
        io.velo.expr.eval.BatchPredicate having;
        String describe;
    }

    private AggregateParts planAggregate(Query q, ExprCompiler in, Scope inScope, Schema srcSchema, DecimalRounding rounding,
                                         JobProperties props, Query.Emit emit, BatchConfig batching) {
        AggregateParts p = new AggregateParts();
        List<Field> fields = new ArrayList<>();
        Map<String, Integer> keyIndex = new LinkedHashMap<>();
        Map<String, Integer> keyByName = new LinkedHashMap<>();
        List<Eval> keys = new ArrayList<>();
        for (Expr g : q.groupBy()) {
            if (containsAggregate(g)) {
                throw new SqlException(g.pos(), "aggregate functions are not allowed in GROUP BY");
            }
            Eval e = in.compile(g);
            String text = SqlPrinter.print(g);
            if (keyIndex.containsKey(text)) {
                continue;
            }
            String name = g instanceof Expr.ColumnRef c ? c.name() : "$key" + keys.size();
            keyIndex.put(text, keys.size());
            if (g instanceof Expr.ColumnRef c) {
                keyByName.put(c.name().toLowerCase(Locale.ROOT), keys.size());
            }
            fields.add(new Field(name, e.type));
            keys.add(e);
        }
        // aggregate calls, de-duplicated by their text
        List<Expr.Call> calls = new ArrayList<>();
        for (Query.SelectItem it : q.items()) {
            if (it.star()) {
                throw new SqlException(it.pos(), "SELECT * cannot be used with GROUP BY or aggregates");
            }
            collectAggregates(it.expr(), calls);
        }
        if (q.having() != null) {
            collectAggregates(q.having(), calls);
        }
        Map<String, Integer> aggIndex = new LinkedHashMap<>();
        List<Aggregator> aggs = new ArrayList<>();
        List<Eval> args = new ArrayList<>();
        List<String> aggTexts = new ArrayList<>();
        for (Expr.Call c : calls) {
            String text = SqlPrinter.print(c);
            if (aggIndex.containsKey(text)) {
                continue;
            }
            io.velo.expr.fn.FunctionDef def = io.velo.expr.fn.FunctionRegistry.lookup(c.name());
            ExprCompiler.checkArity(def, c);
            for (Expr a : c.args()) {
                if (containsAggregate(a)) {
                    throw new SqlException(a.pos(), "aggregate functions cannot be nested");
                }
            }
            Eval arg = c.star() || c.args().isEmpty() ? null : in.compile(c.args().get(0));
            Aggregator agg = Aggregates.create(c, arg, rounding, in);
            aggIndex.put(text, aggs.size());
            aggs.add(agg);
            args.add(arg);
            aggTexts.add(text);
            fields.add(new Field("$agg" + (aggs.size() - 1), agg.resultType));
        }
        long windowSize = 0;
        Eval timeColumn = null;
        if (q.window() != null) {
            windowSize = q.window().size();
            if (q.window().timeColumn() != null) {
                timeColumn = in.compile(q.window().timeColumn());
                if (timeColumn.type.kind != DataType.Kind.TIMESTAMP && timeColumn.type.kind != DataType.Kind.BIGINT) {
                    throw new SqlException(q.window().timeColumn().pos(), "the window time column must be a TIMESTAMP or epoch millis BIGINT, got " + timeColumn.type);
                }
            }
            fields.add(new Field("_window_start", DataType.TIMESTAMP));
            fields.add(new Field("_window_end", DataType.TIMESTAMP));
        }
        Schema outSchema = new Schema(fields);
        Scope outScope = new Scope("aggregate", null, outSchema);
        int keyCount = keys.size();
        final long ws = windowSize;
        ExprCompiler post = new ExprCompiler(outScope, rounding, e -> {
            String text = SqlPrinter.print(e);
            Integer k = keyIndex.get(text);
            if (k != null) {
                return new ColumnEval(k, outSchema.field(k).name(), outSchema.field(k).type());
            }
            Integer a = aggIndex.get(text);
            if (a != null) {
                int idx = keyCount + a;
                return new ColumnEval(idx, outSchema.field(idx).name(), outSchema.field(idx).type());
            }
            if (e instanceof Expr.Call c && ws > 0 && (c.name().equals("TUMBLE_START") || c.name().equals("TUMBLE_END"))) {
                int idx = outSchema.indexOf(c.name().equals("TUMBLE_START") ? "_window_start" : "_window_end");
                return new ColumnEval(idx, outSchema.field(idx).name(), DataType.TIMESTAMP);
            }
            if (e instanceof Expr.ColumnRef c) {
                Integer byName = keyByName.get(c.name().toLowerCase(Locale.ROOT));
                if (byName != null) {
                    return new ColumnEval(byName, outSchema.field(byName).name(), outSchema.field(byName).type());
                }
                String n = c.name().toLowerCase(Locale.ROOT);
                if (ws > 0 && (n.equals("_window_start") || n.equals("_window_end"))) {
                    return null;
                }
                throw new SqlException(c.pos(), "column '" + c.name() + "' must appear in GROUP BY or inside an aggregate function");
            }
            return null;
        }, "aggregate");
        p.keys = keys.toArray(new Eval[0]);
        p.aggregators = aggs.toArray(new Aggregator[0]);
        p.args = args.toArray(new Eval[0]);
        p.windowSize = windowSize;
        p.timeColumn = timeColumn;
        p.outSchema = outSchema;
        p.compiler = post;
        p.having = q.having() == null ? null : new io.velo.expr.PredicateCompiler(post).compile(q.having(), "HAVING");
        StringBuilder d = new StringBuilder("Aggregate");
        if (!q.groupBy().isEmpty()) {
            d.append(" GROUP BY ");
            for (int i = 0; i < q.groupBy().size(); i++) {
                d.append(i > 0 ? ", " : "").append(SqlPrinter.print(q.groupBy().get(i)));
            }
        }
        if (q.window() != null) {
            d.append(" WINDOW TUMBLING(").append(windowSize).append("ms")
                    .append(q.window().timeColumn() != null ? " ON " + SqlPrinter.print(q.window().timeColumn()) : " ON _event_time")
                    .append(")");
        }
        d.append(" [").append(String.join(", ", aggTexts)).append("]");
        p.describe = d.toString();
        return p;
    }

    // ------------------------------------------------------------------ projection

    private static final class Projection {
        Eval[] items;
        Eval eventTime;
        Schema schema;
        String describe;
    }

    private Projection projection(Query q, ExprCompiler compiler, Schema inSchema, List<Statement.ColumnDef> declaredOut, boolean aggregate) {
        List<Eval> items = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        List<String> desc = new ArrayList<>();
        Eval eventTime = null;
        Set<String> used = new HashSet<>();
        int exprN = 0;
        for (Query.SelectItem it : q.items()) {
            if (it.star()) {
                boolean any = false;
                for (int i = 0; i < inSchema.size(); i++) {
                    if (it.starQualifier() != null && !it.starQualifier().equalsIgnoreCase(q.from().name())
                            && !it.starQualifier().equalsIgnoreCase(q.from().alias() == null ? "" : q.from().alias())) {
                        throw new SqlException(it.pos(), "unknown source or alias '" + it.starQualifier() + "'");
                    }
                    Field f = inSchema.field(i);
                    items.add(new ColumnEval(i, f.name(), f.type()));
                    fields.add(new Field(unique(f.name(), used), f.type()));
                    any = true;
                }
                desc.add(it.starQualifier() == null ? "*" : it.starQualifier() + ".*");
                if (!any) {
                    throw new SqlException(it.pos(), "* has no columns to select");
                }
                continue;
            }
            Eval e = compiler.compile(it.expr());
            String name;
            if (it.alias() != null) {
                name = it.alias();
            } else if (it.expr() instanceof Expr.ColumnRef c) {
                name = c.name();
            } else if (it.expr() instanceof Expr.Call c) {
                name = c.name().toLowerCase(Locale.ROOT);
            } else {
                name = "expr" + (exprN++);
            }
            if (name.equalsIgnoreCase("_event_time") && it.alias() != null) {
                if (e.type.kind != DataType.Kind.TIMESTAMP && e.type.kind != DataType.Kind.BIGINT) {
                    throw new SqlException(it.pos(), "an expression AS _event_time must be a TIMESTAMP or epoch millis, got " + e.type);
                }
                eventTime = e;
                desc.add(SqlPrinter.print(it.expr()) + " AS _event_time");
                continue;
            }
            if (e.type.kind == DataType.Kind.NULL) {
                e = compiler.coerce(e, DataType.STRING);
            }
            items.add(e);
            fields.add(new Field(unique(name, used), e.type));
            desc.add(SqlPrinter.print(it.expr()) + (it.alias() != null ? " AS " + it.alias() : ""));
        }
        if (!declaredOut.isEmpty()) {
            if (declaredOut.size() != items.size()) {
                throw new SqlException(declaredOut.get(0).pos(), "the output declares " + declaredOut.size() + " columns ("
                        + describe(declaredOut) + ") but the query selects " + items.size());
            }
            for (int i = 0; i < items.size(); i++) {
                Statement.ColumnDef c = declaredOut.get(i);
                items.set(i, compiler.coerce(items.get(i), c.type()));
                fields.set(i, new Field(c.name(), c.type()));
            }
        }
        Projection p = new Projection();
        p.items = items.toArray(new Eval[0]);
        p.eventTime = eventTime;
        p.schema = new Schema(fields);
        p.describe = String.join(", ", desc);
        return p;
    }

    private static String describe(List<Statement.ColumnDef> cols) {
        StringBuilder sb = new StringBuilder();
        for (Statement.ColumnDef c : cols) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(c.type());
        }
        return sb.toString();
    }

    private static String unique(String name, Set<String> used) {
        String n = name;
        int k = 2;
        while (!used.add(n.toLowerCase(Locale.ROOT))) {
            n = name + "_" + k++;
        }
        return n;
    }
}
