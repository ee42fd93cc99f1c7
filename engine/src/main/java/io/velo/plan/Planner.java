package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.codec.JsonEncoder;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.connector.StdoutSink;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.exec.AggregateOperator;
import io.velo.exec.KeyPartitioner;
import io.velo.exec.ParallelOperator;
import io.velo.exec.WindowAssigner;
import io.velo.exec.ChangeGate;
import io.velo.exec.DistinctOperator;
import io.velo.exec.FilterOperator;
import io.velo.exec.LimitOperator;
import io.velo.exec.Operator;
import io.velo.exec.ProjectOperator;
import io.velo.exec.RowErrors;
import io.velo.exec.SinkOperator;
import io.velo.exec.SortOperator;
import io.velo.metrics.JobMetrics;
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
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
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
    private final Catalog catalog;
    private final Path baseDir;
    private final PrintStream log;
    private final PrintStream stdout;
    private final PathSafety paths;

    public Planner(Catalog catalog, Path baseDir, PrintStream stdout, PrintStream log) {
        this.catalog = catalog;
        this.baseDir = baseDir;
        this.paths = new PathSafety(baseDir);
        this.stdout = stdout;
        this.log = log;
    }

    /** The command's Kafka bootstrap address, asked for only when a Kafka connector without its own opens. */
    private java.util.function.Supplier<String> kafka = () -> {
        throw new io.velo.failure.JobFailedException("no Kafka broker: pass --kafka embedded|testcontainers|HOST:PORT or set '<name>.bootstrap.servers'");
    };

    public void kafka(java.util.function.Supplier<String> bootstrap) {
        this.kafka = bootstrap;
    }

    /** Command-line overrides ({@code --set}), the highest layer of every job planned from now on. */
    private List<Statement.Property> overrides = List.of();
    private final Set<Statement.Property> keptOverrides = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Set<String> jobNames = new java.util.TreeSet<>();
    private final Set<String> jobStrategies = new java.util.TreeSet<>();

    /** Sets the command-line overrides; each is checked on its own now (key known, value of its type). */
    public void override(List<Statement.Property> settings) {
        settings.forEach(JobProperties::validateOverride);
        overrides = List.copyOf(settings);
    }

    /**
     * Once every statement is planned: an override that no job kept would silently do nothing (a name
     * no job uses, a batch key of a strategy no job uses), so it is an error.
     */
    public void checkOverridesUsed() {
        for (Statement.Property p : overrides) {
            if (!keptOverrides.contains(p)) {
                throw JobProperties.unusedOverride(p, jobNames, jobStrategies);
            }
        }
    }

    /** The overrides addressed to a job with these source and sink names: job keys, and keys of its names. */
    private List<Statement.Property> overridesFor(Set<String> names) {
        List<Statement.Property> out = new ArrayList<>();
        for (Statement.Property p : overrides) {
            int dot = p.key().indexOf('.');
            if (io.velo.config.PropertyCatalog.jobKey(p.key()) != null
                    || (dot > 0 && names.contains(p.key().substring(0, dot).toLowerCase(Locale.ROOT)))) {
                out.add(p);
            }
        }
        return out;
    }

    private void noteOverrides(List<Statement.Property> applied, Set<String> names, JobProperties props) {
        jobNames.addAll(names);
        jobStrategies.add(props.scoped("source", "batch.strategy", "fixed_size").toLowerCase(Locale.ROOT));
        jobStrategies.add(props.scoped("sink", "batch.strategy", "fixed_size").toLowerCase(Locale.ROOT));
        for (Statement.Property p : applied) {
            io.velo.config.Setting s = props.setting(p.key());
            if (s != null && s.keyPos() == p.keyPos()) {
                keptOverrides.add(p);
            }
        }
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
        return planInMemory(selectSql, sourceName, schema, sink, 0);
    }

    /** {@link #planInMemory(String, String, Schema, Sink)} on {@code parallelism} worker threads (0: as the query says). */
    public JobPlan planInMemory(String selectSql, String sourceName, Schema schema, Sink sink, int parallelism) {
        forcedParallelism = parallelism;
        try {
            return planInMemoryAs(selectSql, sourceName, schema, sink);
        } finally {
            forcedParallelism = 0;
        }
    }

    /** Worker threads set by the caller of {@link #planInMemory}, 0 when the query decides. */
    private int forcedParallelism;

    private JobPlan planInMemoryAs(String selectSql, String sourceName, Schema schema, Sink sink) {
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

    /**
     * Plans for EXPLAIN: the files the explained statement would read and write are checked (path
     * safety) but not recorded as the script's, since nothing runs.
     */
    public <T> T explain(java.util.function.Supplier<T> planning) {
        return paths.forgetting(planning);
    }

    /** Records the script's own file as read, so that no statement may write it. */
    public void protectScript(Path file) {
        paths.readScript(file);
    }

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
        List<Statement.Property> applied = overridesFor(names);
        layers.add(new AbstractMap.SimpleEntry<>(JobProperties.OVERRIDE, applied));
        JobProperties props = JobProperties.resolve(layers, names, baseDir);
        noteOverrides(applied, names, props);
        paths.nextStatement();
        paths.readConfigFiles(props, names);

        DecimalRounding rounding = DecimalRounding.parse(props.get("decimal.rounding", "half_up"));
        JobMetrics metrics = new JobMetrics();
        boolean kafkaJob = Connectors.usesKafka(props.get(srcName + ".type"))
                || (sinkName != null && Connectors.usesKafka(props.get(sinkName + ".type")));
        FailureHandler failures = failureHandler(jobName, props, metrics, q.pos(), kafkaJob, srcName);
        RowErrors errors = new RowErrors(failures);
        BatchConfig batching = BatchConfig.from(props, "source");

        // ---- source
        SourceType srcType = sourceType(srcName, declaredSrc, props, q.from().pos());
        String format = props.get(srcName + ".format", declaredSrc != null && declaredSrc.sinkFormat() != null ? declaredSrc.sinkFormat() : "json").toLowerCase(Locale.ROOT);
        props.addConnectorDefaults(srcName, srcType.defaults());
        srcType.format(props, srcName, format);
        Schema srcSchema = SourceSchemas.resolve(srcName, declaredSrc, props, srcType.samplesFiles(), format, q.from().pos(), baseDir);
        String etField = props.get(srcName + ".event.time.field", props.get("event.time.field"));
        int etColumn = -1;
        if (etField != null) {
            etColumn = srcSchema.indexOf(etField);
            if (etColumn < 0) {
                Pos p = props.setting(srcName + ".event.time.field") != null ? props.pos(srcName + ".event.time.field") : props.pos("event.time.field");
                throw new SqlException(p, "event time field '" + etField + "' is not a column of '" + srcName + "' (" + srcSchema + ")");
            }
        }
        SourceType.Context srcContext = new SourceType.Context(srcName, srcSchema, props, format, etColumn, batching,
                new TextFieldDecoder(rounding), failures, metrics, jobName, kafka, baseDir, declaredSrc, q.from().pos(), paths);
        Source source = srcType.create(srcContext);
        Scope scope = new Scope(srcName, q.from().alias(), srcSchema);
        ExprCompiler compiler = new ExprCompiler(scope, rounding);

        // ---- sink (built first: operators are chained from the end)
        boolean bounded = srcType.bounded(props, srcName);
        StringBuilder plan = new StringBuilder();
        List<String> steps = new ArrayList<>();

        io.velo.expr.eval.BatchPredicate where = q.where() == null ? null : new io.velo.expr.PredicateCompiler(compiler).compile(q.where(), "WHERE");
        boolean aggregate = !q.groupBy().isEmpty() || q.window() != null || AggregatePlanner.hasAggregate(q);
        Query.Emit emit = q.emit() != null ? q.emit() : (q.window() != null ? Query.Emit.FINAL : Query.Emit.CHANGES);
        if (aggregate && emit == Query.Emit.CHANGES && (!q.orderBy().isEmpty() || q.distinct())) {
            emit = finalForWholeRows(q, bounded);
        }

        if (declaredOut.isEmpty() && declaredSink != null && declaredSink != declaredSrc && declaredSink.schema() != null
                && declaredSink.schema().size() > 0 && declaredSink.origin().startsWith("declared")) {
            // INSERT INTO / SELECT INTO a declared stream: its columns name and type the output
            List<Statement.ColumnDef> cols = new ArrayList<>();
            for (Field f : declaredSink.schema().fields()) {
                cols.add(new Statement.ColumnDef(sinkPos, f.name(), f.type(), false));
            }
            declaredOut = cols;
        }
        ProjectionPlanner.Projection projection;
        AggregatePlanner.Parts aggParts = null;
        if (aggregate) {
            aggParts = AggregatePlanner.plan(q, compiler, scope, srcSchema, rounding, props, emit, batching);
            projection = ProjectionPlanner.project(q, aggParts.compiler, aggParts.outSchema, declaredOut, true);
        } else {
            if (q.having() != null) {
                throw new SqlException(q.having().pos(), "HAVING needs GROUP BY or an aggregate");
            }
            projection = ProjectionPlanner.project(q, compiler, srcSchema, declaredOut, false);
        }
        Schema outSchema = projection.schema;
        boolean[] retractKeys = aggParts != null && emit == Query.Emit.CHANGES && canRetract(q, projection)
                ? AggregatePlanner.keyItems(q, srcSchema) : null;
        if (retractKeys != null) {
            for (int i = 0; i < outSchema.size(); i++) {
                if (outSchema.field(i).name().equalsIgnoreCase("_deleted")) {
                    Query.SelectItem it = i < q.items().size() ? q.items().get(i) : null;
                    throw new SqlException(it != null ? it.expr().pos() : q.pos(), "'_deleted' names the retraction marker of this "
                            + "changelog (EMIT CHANGES that can retract): give the column another name");
                }
            }
        }

        // ---- sink
        Sink sink;
        String sinkDesc;
        if (injectedSink != null) {
            sink = injectedSink;
            sinkDesc = sink.describe();
        } else if (sinkName == null) {
            sink = new StdoutSink(stdout, new JsonEncoder(outSchema, false).retractions(retractKeys != null));
            sinkDesc = "stdout";
        } else {
            SinkType sinkType = sinkType(sinkName, props, sinkPos);
            props.addConnectorDefaults(sinkName, sinkType.defaults());
            String sinkFormat = props.get(sinkName + ".format", "json").toLowerCase(Locale.ROOT);
            sinkType.format(props, sinkName, sinkFormat);
            SinkType.Context sinkContext = new SinkType.Context(sinkName, outSchema, props, sinkFormat, retractKeys != null, primaryKey(q),
                    kafka, baseDir, jobName, sinkPos, paths, log);
            sink = sinkType.create(sinkContext);
            sinkDesc = sinkType.describe(sinkContext, sink);
            String sinkPath = props.get(sinkName + ".path");
            if (declaredSink == null && kind.startsWith("CREATE")) {
                // a changelog that retracts carries its _deleted column to whoever reads the file next
                Schema written = outSchema;
                if (retractKeys != null) {
                    List<Field> withFlag = new ArrayList<>(outSchema.fields());
                    withFlag.add(new Field("_deleted", DataType.BOOLEAN));
                    written = new Schema(withFlag);
                }
                catalog.put(new Catalog.Entry(sinkName, table, written, List.of(), "output of " + kind + " " + sinkName,
                        sinkPath, sinkFormat, primaryKey(q)));
            }
        }
        paths.writeDeadLetters(props, q.pos());
        boolean transactional = "transactional".equalsIgnoreCase(props.get("mode", "at_least_once"));
        if (transactional && !srcType.transactional()) {
            throw new SqlException(props.pos("mode"), "'mode' = 'transactional' gives exactly-once for Kafka→Kafka jobs; this job reads "
                    + srcType.reads());
        }
        if (transactional && !(sink instanceof io.velo.connector.kafka.KafkaSink && sink.transactional())) {
            throw new SqlException(props.pos("mode"), "'mode' = 'transactional' gives exactly-once for Kafka→Kafka jobs; this job writes to "
                    + (sinkName == null ? "standard output" : "a " + props.get(sinkName + ".type")) + ", which cannot take part in a transaction");
        }
        if (transactional && failures.deadLetters() instanceof io.velo.connector.kafka.KafkaDeadLetterWriter kd) {
            kd.joinTransactionsOf((io.velo.connector.kafka.KafkaSink) sink);
        }
        if (transactional && batching.parallel()) {
            Pos at = props.setting("batch.parallel") != null ? props.pos("batch.parallel") : props.pos("mode");
            throw new SqlException(at, "'batch.parallel' decodes ahead of the operators, so its offsets run ahead of what a transaction "
                    + "holds; 'mode' = 'transactional' needs it off");
        }
        if (transactional && q.distinct()) {
            throw new SqlException(q.pos(), "SELECT DISTINCT keeps state that 'mode' = 'transactional' cannot checkpoint yet; GROUP BY the distinct columns instead");
        }
        if (transactional && q.limit() != null) {
            throw new SqlException(q.pos(), "LIMIT over a stream in 'mode' = 'transactional' would start counting again after a restart; leave out LIMIT (or use --max-records)");
        }

        // ---- operator chain, from the sink backwards
        JobMetrics m = metrics;
        io.velo.exec.state.Checkpointed checkpointed = null;
        io.velo.exec.state.StateStore stateStore = null;
        Operator op = sink == null ? null : new SinkOperator(sink, m, failures);
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
                    if (it.expr() instanceof Expr.Literal lit && lit.kind() == Expr.LiteralKind.INTEGER) {
                        long pos = (Long) lit.value();
                        if (pos < 1 || pos > outSchema.size()) {
                            throw new SqlException(it.expr().pos(), "ORDER BY position " + pos + " is not in the output (1 to " + outSchema.size() + ")");
                        }
                        Field f = outSchema.field((int) pos - 1);
                        keys[i] = new ColumnEval((int) pos - 1, f.name(), f.type());
                    } else {
                        keys[i] = oc.compile(it.expr());
                    }
                } catch (SqlException e) {
                    throw new SqlException(e.pos(), "ORDER BY may use the output columns (" + outSchema + "): " + e.getMessage());
                }
                if (keys[i].type.kind == DataType.Kind.ARRAY || keys[i].type.kind == DataType.Kind.MAP) {
                    throw new SqlException(it.expr().pos(), "cannot ORDER BY a value of type " + keys[i].type);
                }
                desc[i] = it.descending();
                sb.append(i > 0 ? ", " : "").append(SqlPrinter.print(it.expr())).append(it.descending() ? " DESC" : "");
            }
            op = new SortOperator(keys, desc, outPool, op, metrics);
            steps.add("Sort " + sb);
        }
        if (q.distinct()) {
            op = new DistinctOperator(outSchema, op, m, aggregate);
            steps.add("Distinct");
        }
        RowErrors outErrors = aggParts != null ? new RowErrors(failures, true) : errors;
        ChangeGate gate = null;
        if (retractKeys != null) {
            op = gate = new ChangeGate(op);
            steps.add("Retract groups that leave HAVING or whose row fails (_deleted rows)");
        }
        boolean unboundedKafka = !bounded && source instanceof io.velo.connector.kafka.KafkaSource;
        boolean keepsState = aggParts != null && (transactional || (unboundedKafka && sink instanceof io.velo.connector.kafka.KafkaSink));
        boolean windowed = aggParts != null && aggParts.windowSize > 0;
        // stateless stages use the cores available unless told otherwise; stateful ones partition rows by key
        // only when 'parallelism' says so (their output then interleaves keys differently from one thread)
        boolean explicit = props.get("parallelism") != null || forcedParallelism > 0;
        int parallelism = forcedParallelism > 0 ? forcedParallelism : parallelism(props);
        String serialWhy = parallelism <= 1 ? null
                : gate != null ? "a changelog that retracts names its groups across the whole job"
                : keepsState ? "its state is checkpointed as one"
                : aggParts != null && aggParts.keys.length == 0 ? "a global aggregate has no key to partition by"
                : aggParts != null && !explicit ? "stateful stages are partitioned only when 'parallelism' is set"
                : null;
        final List<Statement.ColumnDef> outColumns = declaredOut;
        final Query.Emit emitAs = emit;
        java.util.function.Supplier<Middle> recompile = () -> compileMiddle(q, compiler, scope, srcSchema, rounding, props, emitAs,
                batching, outColumns, aggregate);
        Middle main = new Middle(where, whereText(q), aggParts, projection);
        AggregateOperator[] theAggregate = new AggregateOperator[1];
        if (parallelism > 1 && serialWhy == null) {
            Operator tail = op;
            Operator[] heads = new Operator[parallelism];
            ParallelOperator.Collector[] collectors = new ParallelOperator.Collector[parallelism];
            JobMetrics[] shards = new JobMetrics[parallelism];
            int cap = outPool.batchCapacity();
            for (int w = 0; w < parallelism; w++) {
                Middle mw = w == 0 ? main : recompile.get();
                shards[w] = new JobMetrics();
                collectors[w] = new ParallelOperator.Collector(new BatchPool(outSchema, cap, 4), aggParts == null);
                heads[w] = middle(mw, collectors[w], new BatchPool(outSchema, cap, 4), errors, outErrors, shards[w], props, emit,
                        retractKeys, null, !windowed, w == 0 ? steps : null, theAggregate);
            }
            KeyPartitioner[] partitioner = null;
            if (aggParts != null) {
                partitioner = new KeyPartitioner[parallelism];
                for (int w = 0; w < parallelism; w++) {
                    partitioner[w] = new KeyPartitioner(recompile.get().agg().keys);
                }
            }
            WindowAssigner assigner = windowed
                    ? new WindowAssigner(aggParts.windowSize, props.millis("watermark.max_out_of_orderness", 0), recompile.get().agg().timeColumn,
                            "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")), errors, m)
                    : null;
            op = new ParallelOperator(heads, collectors, tail, partitioner, assigner, m, shards, jobName);
            if (explicit) {
                steps.add("Parallel: " + parallelism + " workers, " + (partitioner != null
                    ? "rows by hash of the GROUP BY key (each worker owns its keys' state)" + (windowed ? ", watermark assigned here" : "")
                    : "each batch's rows cut into ranges, output kept in order"));
            }
            if (aggParts != null) {
                m.setAggregating();
            }
            if (windowed && where != null) {
                op = new FilterOperator(where, op, errors, m);
                steps.add("Filter " + SqlPrinter.print(q.where()));
            }
        } else {
            op = middle(main, op, outPool, errors, outErrors, m, props, emit, retractKeys, gate, true, steps, theAggregate);
            if (parallelism > 1 && explicit) {
                steps.add("Parallel: one thread (" + serialWhy + ")");
            }
        }
        if (theAggregate[0] != null && serialWhy == null && parallelism > 1) {
            theAggregate[0] = null; // checkpoints need the one aggregate of a serial plan
        }
        if (theAggregate[0] != null) {
            checkpointed = theAggregate[0];
            if (keepsState) {
                // at-least-once too: a restart must not start the totals from nothing after the offsets moved on
                checkpointed.enableCheckpoints();
                stateStore = new io.velo.connector.kafka.KafkaStateStore(props.get("changelog.topic", jobName + "-changelog"),
                        (io.velo.connector.kafka.KafkaSink) sink, transactional);
                insertBeforeAggregate(steps, "State: " + stateStore.describe());
            } else if (unboundedKafka) {
                insertBeforeAggregate(steps, "State: in memory only, so the source's offsets are never committed: a restart recomputes from the start"
                        + " (a kafka_sink keeps the state in a changelog topic)");
            }
        }
        String srcDesc = srcType.describe(srcContext, source);
        steps.add("Source " + srcName + ": " + srcDesc + " [" + srcSchema + "]" + (etField != null ? " event time: " + etField : ""));

        plan.append(kind).append(' ').append(jobName).append('\n');
        List<String> keyItems = new ArrayList<>();
        for (Query.SelectItem it : q.items()) {
            if (it.primaryKey()) {
                keyItems.add(it.alias() != null ? it.alias() : it.expr() instanceof Expr.ColumnRef c ? c.name() : SqlPrinter.print(it.expr()));
            }
        }
        plan.append("  Sink ").append(sinkName == null ? "stdout" : sinkName).append(": ").append(sinkDesc)
                .append(" [").append(outSchema).append("]")
                .append(keyItems.isEmpty() ? "" : " PRIMARY KEY (" + String.join(", ", keyItems) + ")").append('\n');
        String indent = "    ";
        for (String s : steps) {
            plan.append(indent).append(s).append('\n');
            indent += "  ";
        }
        plan.append("  Batching: ").append(batching).append('\n');
        plan.append("  Failures: ").append(failures.strategy())
                .append(failures.deadLetters() instanceof io.velo.connector.kafka.KafkaDeadLetterWriter kd ? " (dead letters to topic " + kd.topic() + ")" : "")
                .append('\n');
        if (kafkaJob) {
            plan.append("  Delivery: ").append(transactional ? "exactly-once (transactional producer, offsets in the transaction)" : "at-least-once").append('\n');
        }
        BatchPool srcPool = new BatchPool(srcSchema, Math.max(1, Math.min(batching.maxRecords(), BatchConfig.ABSOLUTE_MAX_RECORDS)),
                batching.reuseBuffers() ? (batching.parallel() ? 5 : 2) : 0); // in flight: one per stage, two queued when parallel
        return new JobPlan(jobName, kind, source, sink, op, srcPool, batching, props, failures, metrics, outSchema, plan.toString(),
                transactional, checkpointed, stateStore, props.millis("commit.interval", 1000), sinkRetry(props, sink));
    }

    /** The compiled middle of a query — WHERE, the aggregation, the projection — compiled once per worker of a parallel plan. */
    private record Middle(io.velo.expr.eval.BatchPredicate where, String whereText, AggregatePlanner.Parts agg, ProjectionPlanner.Projection projection) {
    }

    private static Middle compileMiddle(Query q, ExprCompiler compiler, Scope scope, Schema srcSchema, DecimalRounding rounding,
                                        JobProperties props, Query.Emit emit, BatchConfig batching, List<Statement.ColumnDef> declaredOut,
                                        boolean aggregate) {
        io.velo.expr.eval.BatchPredicate where = q.where() == null ? null : new io.velo.expr.PredicateCompiler(compiler).compile(q.where(), "WHERE");
        if (aggregate) {
            AggregatePlanner.Parts parts = AggregatePlanner.plan(q, compiler, scope, srcSchema, rounding, props, emit, batching);
            return new Middle(where, whereText(q), parts, ProjectionPlanner.project(q, parts.compiler, parts.outSchema, declaredOut, true));
        }
        return new Middle(where, whereText(q), null, ProjectionPlanner.project(q, compiler, srcSchema, declaredOut, false));
    }

    private static String whereText(Query q) {
        return q.where() == null ? null : SqlPrinter.print(q.where());
    }

    /**
     * Builds WHERE → aggregation → HAVING → projection in front of {@code next} and returns the first;
     * {@code steps} (null for the copies of a parallel plan) gets their descriptions, {@code aggregate[0]}
     * the aggregation.
     */
    private static Operator middle(Middle mid, Operator next, BatchPool outPool, RowErrors errors, RowErrors outErrors, JobMetrics m,
                                   JobProperties props, Query.Emit emit, boolean[] retractKeys, ChangeGate gate, boolean withWhere,
                                   List<String> steps, AggregateOperator[] aggregate) {
        List<String> st = steps != null ? steps : new ArrayList<>();
        Operator op = new ProjectOperator(mid.projection().items, mid.projection().eventTime, outPool, next, outErrors, retractKeys);
        st.add("Project " + mid.projection().describe);
        AggregatePlanner.Parts agg = mid.agg();
        if (agg != null) {
            if (agg.having != null) {
                FilterOperator having = new FilterOperator(agg.having, op, outErrors, m, true);
                op = gate != null ? having.retracting() : having;
                st.add("Having " + agg.havingText);
            }
            m.setAggregating();
            BatchPool aggPool = new BatchPool(agg.outSchema, 4096, 4);
            AggregateOperator a = new AggregateOperator(agg.keys, agg.aggregators, agg.args, agg.windowSize, agg.timeColumn,
                    emit == Query.Emit.FINAL, props.millis("watermark.max_out_of_orderness", 0),
                    "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")), aggPool, op, errors, m);
            if (gate != null) {
                a.retractThrough(gate);
            }
            aggregate[0] = a;
            op = a;
            st.add(agg.describe + " EMIT " + emit);
        }
        if (withWhere && mid.where() != null) {
            op = new FilterOperator(mid.where(), op, errors, m);
            st.add("Filter " + mid.whereText());
        }
        return op;
    }

    /** The job's worker threads: {@code 'parallelism'}, or the cores available. */
    private static int parallelism(JobProperties props) {
        String v = props.get("parallelism");
        return v != null ? Integer.parseInt(v.trim()) : Runtime.getRuntime().availableProcessors();
    }

    /** Puts a description just before the aggregation's line (where the serial plan always listed the state). */
    private static void insertBeforeAggregate(List<String> steps, String line) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).startsWith("Aggregate")) {
                steps.add(i, line);
                return;
            }
        }
        steps.add(line);
    }

    /**
     * RetryWithBackoff for sinks that fail over by replay (Kafka): the file sink retries its own writes
     * ({@link io.velo.connector.RetryingSink}) and needs none.
     */
    private static JobPlan.SinkRetry sinkRetry(JobProperties props, Sink sink) {
        if (sink == null || sink instanceof io.velo.connector.RetryingSink
                || FailureStrategy.parse(props.scoped("sink", "failure_strategy", "LogAndContinue")) != FailureStrategy.RETRY_WITH_BACKOFF) {
            return null;
        }
        return new JobPlan.SinkRetry(Integer.parseInt(props.scoped("sink", "max_retries", "3")),
                io.velo.sql.parser.Durations.parseMillis(props.scoped("sink", "retry_backoff", "1000ms")));
    }

    /**
     * The kind of source {@code srcName}: the in-memory relation of {@link #planInMemory}, its
     * {@code '<src>.type'}, or a file for the output of an earlier statement written to one.
     */
    private static SourceType sourceType(String srcName, Catalog.Entry declared, JobProperties props, Pos from) {
        if (declared != null && declared.origin().equals(MEMORY)) {
            return MemorySourceType.INSTANCE;
        }
        String type = props.get(srcName + ".type");
        if (type == null && declared != null && declared.sinkPath() != null) {
            type = FileSourceType.NAME;
        }
        if (type == null) {
            throw new SqlException(from, "unknown source '" + srcName + "': declare it with CREATE STREAM " + srcName
                    + " (…) WITH ('" + srcName + ".type' = 'file_source', '" + srcName + ".path' = '…') or set those properties in WITH");
        }
        SourceType t = Connectors.source(type);
        if (t == null) {
            throw new SqlException(props.pos(srcName + ".type"), "'" + srcName + "' is used as a source but its type is " + type);
        }
        props.checkConnectorKind(srcName, t.name());
        return t;
    }

    private static SinkType sinkType(String sinkName, JobProperties props, Pos sinkPos) {
        String type = props.get(sinkName + ".type");
        if (type == null) {
            throw new SqlException(sinkPos, "no sink configured for '" + sinkName + "': add WITH ('" + sinkName
                    + ".type' = 'file_sink', '" + sinkName + ".path' = 'out/" + sinkName + ".json')");
        }
        SinkType t = Connectors.sink(type);
        if (t == null) {
            throw new SqlException(props.pos(sinkName + ".type"), "'" + sinkName + "' is used as a sink but its type is " + type);
        }
        props.checkConnectorKind(sinkName, t.name());
        return t;
    }

    /** The output column marked PRIMARY KEY (the last, if several), or null. */
    private static String primaryKey(Query q) {
        String pk = null;
        for (Query.SelectItem it : q.items()) {
            if (it.primaryKey()) {
                pk = it.alias() != null ? it.alias() : it.expr() instanceof Expr.ColumnRef c ? c.name() : null;
            }
        }
        return pk;
    }

    /**
     * The job's failure handler and its dead-letter queue: a file ({@code 'dlq.path'}) or a Kafka topic
     * ({@code 'dlq.topic'}; a Kafka job without {@code 'dlq.path'} defaults to {@code <job>-dlq}).
     */
    private FailureHandler failureHandler(String job, JobProperties props, JobMetrics metrics, Pos pos, boolean kafkaJob, String srcName) {
        String fs = props.scoped("source", "failure_strategy", props.get("failure_strategy", "LogAndContinue"));
        FailureStrategy strategy = FailureStrategy.parse(fs);
        io.velo.failure.DeadLetterWriter dlq = null;
        String dlqPath = props.get("dlq.path");
        String dlqTopic = props.get("dlq.topic");
        if (dlqPath != null && dlqTopic != null) {
            throw new SqlException(props.setting("dlq.topic").keyPos(), "dead letters go to one place: 'dlq.path' (a file) or 'dlq.topic' (a Kafka topic), not both");
        }
        boolean lateToDlq = "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop"));
        if (strategy == FailureStrategy.SEND_TO_DLQ || lateToDlq) {
            if (dlqPath == null && dlqTopic == null && !kafkaJob) {
                Pos at = props.setting("failure_strategy") != null ? props.pos("failure_strategy") : props.pos("late.data.strategy");
                throw new SqlException(at.equals(Pos.NONE) ? pos : at, "dead-lettering needs 'dlq.path' (a file) or 'dlq.topic' (a Kafka topic)");
            }
            if (dlqPath != null) {
                dlq = new FileDeadLetterWriter(baseDir.resolve(dlqPath));
            } else {
                String servers = props.get(srcName + ".bootstrap.servers");
                java.util.function.Supplier<String> at = servers != null ? () -> servers : kafka;
                dlq = new io.velo.connector.kafka.KafkaDeadLetterWriter(dlqTopic != null ? dlqTopic : job + "-dlq", at, Map.of());
            }
        }
        // with late.data.strategy = dead_letter late records go to the DLQ whatever the strategy for bad records
        return new FailureHandler(job, strategy, dlq, log, metrics);
    }

    /**
     * ORDER BY and DISTINCT compare whole rows, but the change rows of an EMIT CHANGES aggregation each
     * replace their group's previous row: sorting or de-duplicating them shows one group twice and
     * loses another. Over a bounded input with no EMIT clause the query means its final groups (as in
     * batch SQL), so it emits those; otherwise it is refused.
     */
    private static Query.Emit finalForWholeRows(Query q, boolean bounded) {
        String clause = !q.orderBy().isEmpty() ? "ORDER BY" : "SELECT DISTINCT";
        Pos at = !q.orderBy().isEmpty() ? q.orderBy().get(0).expr().pos() : q.pos();
        if (!bounded) {
            if (!q.orderBy().isEmpty()) {
                return Query.Emit.CHANGES; // refused below: ORDER BY needs a bounded input
            }
            throw new SqlException(at, "SELECT DISTINCT over an unbounded aggregation would compare change rows, each of which "
                    + "replaces its group's previous row; select the GROUP BY columns without DISTINCT, or GROUP BY the distinct columns");
        }
        if (q.emit() == Query.Emit.CHANGES) {
            throw new SqlException(at, clause + " cannot apply to the change rows of EMIT CHANGES (each replaces its group's previous "
                    + "row); leave out EMIT CHANGES (or write EMIT FINAL) to " + (clause.equals("ORDER BY") ? "sort" : "de-duplicate")
                    + " the final groups");
        }
        return Query.Emit.FINAL;
    }

    /**
     * Whether an EMIT CHANGES aggregation can take a group's row back: HAVING can reject a group it
     * accepted before, and a computed item can fail for a group whose previous row was written.
     */
    private static boolean canRetract(Query q, ProjectionPlanner.Projection projection) {
        if (q.having() != null || projection.eventTime != null) {
            return true;
        }
        for (Eval e : projection.items) {
            if (!(e instanceof ColumnEval)) {
                return true;
            }
        }
        return false;
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

}
