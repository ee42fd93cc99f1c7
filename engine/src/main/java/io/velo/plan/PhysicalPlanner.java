package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.codec.JsonEncoder;
import io.velo.codec.TextFieldDecoder;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.config.Setting;
import io.velo.connector.StdoutSink;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.exec.AggregateOperator;
import io.velo.exec.KeyedWindowOperator;
import io.velo.exec.ChangeGate;
import io.velo.exec.DistinctOperator;
import io.velo.exec.FilterOperator;
import io.velo.exec.KeyPartitioner;
import io.velo.exec.LimitOperator;
import io.velo.exec.Operator;
import io.velo.exec.ParallelOperator;
import io.velo.exec.ProjectOperator;
import io.velo.exec.RowErrors;
import io.velo.exec.SinkOperator;
import io.velo.exec.SortOperator;
import io.velo.exec.WindowAssigner;
import io.velo.expr.ExprCompiler;
import io.velo.expr.PredicateCompiler;
import io.velo.expr.eval.BatchPredicate;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.metrics.JobMetrics;
import io.velo.plan.logical.Aggregate;
import io.velo.plan.logical.Distinct;
import io.velo.plan.logical.Exchange;
import io.velo.plan.logical.Filter;
import io.velo.plan.logical.Having;
import io.velo.plan.logical.Join;
import io.velo.plan.logical.Limit;
import io.velo.plan.logical.LogicalNode;
import io.velo.plan.logical.Project;
import io.velo.plan.logical.Retract;
import io.velo.plan.logical.Scan;
import io.velo.plan.logical.Sort;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.Statement;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Builds the physical side of a job from its logical plan: creates the source and the sink,
 * compiles every expression, chains the operators from the sink backwards (the middle — WHERE, the
 * aggregation, HAVING, the projection — once per worker of a parallel plan) and returns the logical
 * plan annotated with what it decided (connector descriptions, the exchange, the state store, the
 * retraction gate), from which the plan text is rendered. One instance plans one query.
 */
final class PhysicalPlanner {
    /** What the planner lends every query: the catalog, paths, streams, and the caller's overrides of sink and threads. */
    record Env(Catalog catalog, Path baseDir, PrintStream stdout, PrintStream log, PathSafety paths, Supplier<String> kafka,
               Sink injectedSink, int forcedParallelism) {
    }

    /** The job's physical parts and its annotated logical plan. */
    record Built(Source source, Sink sink, Operator pipeline, Schema outSchema, boolean transactional,
                 io.velo.exec.state.Checkpointed checkpointed, io.velo.exec.state.StateStore stateStore,
                 io.velo.plan.logical.Sink annotated, Runnable release, boolean retracts, io.velo.exec.InFlight inFlight) {
    }

    /** What the job's operators hold beyond its end (the worker threads of a parallel stage), released however the job ends. */
    private final List<Runnable> releases = new ArrayList<>();
    /** The batches the operators still hold (a parallel stage's whole batches): settled before a commit, dropped before a replay. */
    private final List<io.velo.exec.InFlight> inFlight = new ArrayList<>();
    /** An aggregation over a declared keyed table: its key column (-1: none) and its tombstone column (-1: none). */
    private int tableKeyColumn = -1;
    private int tableDeletedColumn = -1;
    /** The SLIDING / SESSION aggregation of the plan, when it has one (it runs on one thread). */
    private KeyedWindowOperator keyedWindowOp;

    /** The compiled middle of a query — WHERE, the aggregation, the projection — compiled once per worker of a parallel plan. */
    private record Middle(BatchPredicate where, AggregatePlanner.Parts agg, ProjectionPlanner.Projection projection) {
    }

    private final Env env;
    private final Planner.Resolved job;
    private final JobProperties props;
    // the logical chain, each null when the query has none
    private final io.velo.plan.logical.Sink root;
    private final Scan scan;
    private final Filter filter;
    private final Aggregate aggregate;
    private final io.velo.plan.logical.Analytic analytic;
    private final Having having;
    private final Project project;
    private final Distinct distinct;
    private final Sort sort;
    private final Limit limit;

    private SourceType.Context srcContext;
    private Source source;
    private ExprCompiler compiler;
    private Scope scope;
    private RowErrors errors;
    /** Errors of rows the projection and HAVING see: the aggregation's result rows, or input records. */
    private RowErrors outErrors;
    /** Batches of output rows: the serial projection's and the sort's. */
    private BatchPool outPool;
    private Middle main;
    private Schema outSchema;
    private boolean[] retractKeys;
    private Sink sink;
    private String sinkDesc;
    private boolean transactional;
    private ChangeGate gate;
    private Exchange exchange;
    private boolean exchangeAboveFilter;
    private String stateNote;
    /** The query's joins, the one next to the stream first (none without JOIN). */
    private final List<Join> joins = new ArrayList<>();
    private final List<JoinPlanner.TableJoin> tableJoins = new ArrayList<>();
    /** The columns WHERE, the aggregation and the projection read: the stream's, then each joined table's. */
    private Schema inSchema;
    /** The subqueries over tables of the query's expressions, and their tables. */
    private SubqueryPlanner subqueries;
    /** The compiled analytic stage, when the query has one (it runs on one thread, so it is compiled once). */
    private AnalyticPlanner.Parts analyticParts;
    /** The query's stream-stream join, or null; its own input rows' errors (the rows after it are result rows). */
    private IntervalJoinPlanner.Planned intervalJoin;
    private RowErrors joinErrors;

    PhysicalPlanner(Env env, Planner.Resolved job, io.velo.plan.logical.Sink plan) {
        this(env, job, plan, null);
    }

    /** The FROM subquery the query reads (its scan is the plan's), or null. */
    private final DerivedPlanner.Planned derived;

    /** @param derived the query's FROM subquery, planned, whose output the plan's scan reads; or null */
    PhysicalPlanner(Env env, Planner.Resolved job, io.velo.plan.logical.Sink plan, DerivedPlanner.Planned derived) {
        this.derived = derived;
        this.env = env;
        this.job = job;
        this.props = job.props();
        this.root = plan;
        this.scan = plan.find(Scan.class);
        this.filter = plan.find(Filter.class);
        this.aggregate = plan.find(Aggregate.class);
        this.analytic = plan.find(io.velo.plan.logical.Analytic.class);
        this.having = plan.find(Having.class);
        this.project = plan.find(Project.class);
        this.distinct = plan.find(Distinct.class);
        this.sort = plan.find(Sort.class);
        this.limit = plan.find(Limit.class);
        Catalog.Entry from = job.declaredSrc();
        if (aggregate != null && from != null && from.table() && from.origin().startsWith("declared")) {
            // each row of a keyed table replaces its key's previous one: the aggregation takes the replaced row back
            if (from.primaryKey() == null) {
                throw new SqlException(scan.pos(), "aggregating table '" + from.name() + "' needs its PRIMARY KEY: a later row replaces the "
                        + "row of its key, which the aggregation must take back");
            }
            if (aggregate.window() != null) {
                throw new SqlException(aggregate.window().pos(), "a table's rows have no event-time windows: aggregate table '" + from.name()
                        + "' without WINDOW");
            }
            tableKeyColumn = scan.schema().indexOf(from.primaryKey());
            tableDeletedColumn = scan.schema().indexOf("_deleted");
        }
        for (LogicalNode n = plan.find(Join.class); n instanceof Join j; n = j.left()) {
            joins.add(0, j);
        }
    }

    Built build() {
        createSource();
        main = compileMiddle();
        if (tableKeyColumn >= 0) {
            AggregatePlanner.Parts ap = main.agg();
            for (int k = 0; k < ap.aggregators.length; k++) {
                ap.aggregators[k] = ap.aggregators[k].removable();
                if (!ap.aggregators[k].canRemove()) {
                    throw new SqlException(ap.positions[k], "this aggregate cannot take a replaced row of table '" + job.declaredSrc().name()
                            + "' back exactly; over a keyed table COUNT, MIN, MAX, and SUM and AVG of BIGINT or DECIMAL can");
                }
            }
        }
        outSchema = main.projection().schema;
        retractKeys = main.agg() != null && aggregate.emit() == Query.Emit.CHANGES && canRetract(main.projection())
                ? AggregatePlanner.keyItems(project.items(), aggregate.keys(), inSchema) : null;
        checkRetractionMarker();
        createSink();
        env.paths().writeDeadLetters(props, root.pos());
        checkTransactional();
        checkKeyedWindow();
        outPool = new BatchPool(outSchema, Math.max(64, Math.min(job.batching().maxRecords(), 65_536)), 4);
        outErrors = main.agg() != null ? new RowErrors(job.failures(), true) : errors;
        Operator end = endOperators();
        AggregateOperator[] theAggregate = new AggregateOperator[1];
        Operator pipeline = middleOperators(end, theAggregate);
        io.velo.exec.state.Checkpointed checkpointed = theAggregate[0] != null ? theAggregate[0] : keyedWindowOp;
        io.velo.exec.state.StateStore stateStore = state(checkpointed);
        String srcDesc = job.srcType().describe(srcContext, source);
        Source run = source;
        List<io.velo.exec.join.TableInput> tables = new ArrayList<>();
        if (!tableJoins.isEmpty()) {
            // after a stream-stream join the tables enrich its rows (results, counted apart); else the stream's records
            List<io.velo.exec.StreamTableJoinOperator> ops = new ArrayList<>();
            pipeline = JoinPlanner.operators(tableJoins, intervalJoin != null ? intervalJoinedSchema() : scan.schema(), pipeline, errors,
                    intervalJoin != null ? joinResults() : job.metrics(), ops, root);
            tables.addAll(ops);
        }
        if (intervalJoin != null) {
            io.velo.exec.IntervalJoinOperator op = intervalJoinOperator(pipeline);
            pipeline = op;
            if (transactional) {
                // its kept rows go into the changelog with each commit, which also covers both streams' offsets
                checkpointed = op;
                op.enableCheckpoints();
                stateStore = new io.velo.connector.kafka.KafkaStateStore(props.get("changelog.topic", job.jobName() + "-changelog"),
                        (io.velo.connector.kafka.KafkaSink) sink, true);
                stateNote = stateStore.describe();
            }
            run = source == null ? null : new io.velo.exec.join.TwoStreamSource(source, intervalJoin.leftTime(), intervalJoin.source(),
                    intervalJoin.rightTime(), op, Math.max(1, Math.min(job.batching().maxRecords(), BatchConfig.ABSOLUTE_MAX_RECORDS)), job.metrics());
        }
        if (derived != null) {
            pipeline = derived.operators(pipeline, errors, job.metrics(), job.batching().maxRecords());
        }
        if (subqueries.any()) {
            pipeline = new io.velo.exec.TableRefreshOperator(subqueries.tables(), pipeline);
        }
        tables.addAll(subqueries.tables());
        if (!tables.isEmpty()) {
            run = source == null ? null : new io.velo.exec.join.JoinedSource(run, tables); // (both streams of a stream-stream join)
            if (source == null) {
                // an in-memory plan has no source to open: its caller pushes batches at once, so the tables load now
                for (io.velo.exec.join.TableInput t : tables) {
                    t.bootstrap();
                }
            }
        }
        List<Runnable> toRelease = List.copyOf(releases);
        return new Built(run, sink, pipeline, outSchema, transactional, checkpointed, stateStore,
                (io.velo.plan.logical.Sink) subqueries.annotate(annotate(srcDesc)), () -> toRelease.forEach(Runnable::run),
                retractKeys != null, io.velo.exec.InFlight.all(inFlight));
    }

    private void createSource() {
        Scan stream = derived != null ? derived.stream() : scan;
        srcContext = new SourceType.Context(job.srcName(), stream.schema(), props, job.format(), job.etColumn(), job.batching(),
                new TextFieldDecoder(job.rounding()), job.failures(), job.metrics(), job.jobName(), env.kafka(), env.baseDir(),
                job.declaredSrc(), stream.pos(), env.paths());
        source = job.srcType().create(srcContext);
        scope = new Scope(scan.source(), scan.alias(), scan.schema());
        inSchema = scan.schema();
        if (!joins.isEmpty()) {
            List<Scope.Relation> relations = new ArrayList<>(scope.relations());
            List<Field> fields = new ArrayList<>(scan.schema().fields());
            JoinPlanner tables = new JoinPlanner(env, job);
            if (IntervalJoinPlanner.joinsStream(env.catalog(), job, joins.get(0))) {
                planIntervalJoin(relations, fields);
            }
            for (Join j : intervalJoin != null ? joins.subList(1, joins.size()) : joins) { // (tables may follow a stream-stream join)
                JoinPlanner.TableJoin t = tables.plan(j, relations, fields.size());
                tableJoins.add(t);
                relations.add(t.relation());
                fields.addAll(t.relation().schema().fields());
            }
            scope = new Scope(relations);
            inSchema = new Schema(fields);
        }
        subqueries = derived != null ? derived.subqueries() : new SubqueryPlanner(env, job);
        compiler = new ExprCompiler(scope, job.rounding()).subqueries(subqueries);
        errors = new RowErrors(job.failures());
        if (intervalJoin != null) {
            joinErrors = errors;
            errors = new RowErrors(job.failures(), true); // after the join, rows are its results, not input records
        }
    }

    /** The query's one join is of two streams ({@link IntervalJoinPlanner}); what may follow it is refused here. */
    private void planIntervalJoin(List<Scope.Relation> relations, List<Field> fields) {
        Join j = joins.get(0);
        if (job.srcType() == MemorySourceType.INSTANCE && Planner.MEMORY_RIGHT.get() == null) {
            throw new SqlException(j.pos(), "an in-memory relation cannot be joined to a stream");
        }
        intervalJoin = new IntervalJoinPlanner(env, job).plan(j, relations.get(0));
        relations.add(intervalJoin.relation());
        fields.addAll(intervalJoin.relation().schema().fields());
    }

    /** The rows a stream-stream join passes on: the left stream's columns, then the right's (tables joined after it follow). */
    private Schema intervalJoinedSchema() {
        List<Field> fields = new ArrayList<>(scan.schema().fields());
        fields.addAll(intervalJoin.relation().schema().fields());
        return new Schema(fields);
    }

    private JobMetrics joinResults;

    /**
     * The counters of what happens to a stream-stream join's rows after it (tables joined to them,
     * an aggregation): results, not input records, so kept apart from the input's books and reported
     * as their own part of the job's summary.
     */
    private JobMetrics joinResults() {
        if (joinResults == null) {
            JobMetrics r = new JobMetrics();
            joinResults = r;
            job.metrics().addPart("join results", () -> {
                List<String> parts = new ArrayList<>();
                if (!tableJoins.isEmpty()) {
                    parts.add(r.unmatched() + " without a table match");
                }
                if (main.agg() != null) {
                    parts.add(r.aggregated() + " aggregated");
                }
                if (r.late() > 0) {
                    parts.add(r.late() + " late");
                }
                return String.join(", ", parts);
            });
        }
        return joinResults;
    }

    private io.velo.exec.IntervalJoinOperator intervalJoinOperator(Operator next) {
        IntervalJoinPlanner.Planned p = intervalJoin;
        Query.JoinType kind = p.join().kind();
        if (transactional && main.agg() != null) {
            throw new SqlException(main.agg().positions.length > 0 ? main.agg().positions[0] : p.join().pos(),
                    "an aggregation after a stream-stream join keeps two states, which 'mode' = 'transactional' cannot checkpoint "
                    + "together yet: write the join's rows to a topic and aggregate them in a second job");
        }
        job.metrics().setAggregating(); // input records end in the join; the rows after it are its results
        return new io.velo.exec.IntervalJoinOperator(scan.schema(), p.leftKeys(), p.leftTime(), p.relation().schema(), p.rightKeys(),
                p.rightTime(), p.lo(), p.hi(), kind == Query.JoinType.LEFT || kind == Query.JoinType.FULL,
                kind == Query.JoinType.RIGHT || kind == Query.JoinType.FULL, props.millis("watermark.max_out_of_orderness", 0),
                "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")),
                new BatchPool(intervalJoinedSchema(), Math.max(64, Math.min(job.batching().maxRecords(), 65_536)), 4), next, joinErrors, job.metrics())
                // each side's state holds the columns the rest of the query may read, not every column of its stream (the
                // join's own ON reads its input rows)
                .keepColumns(ColumnUse.of(root, scope.relations().get(0), p.join().condition()),
                        ColumnUse.of(root, p.relation(), p.join().condition()));
    }

    private Middle compileMiddle() {
        BatchPredicate where = filter == null ? null : new PredicateCompiler(compiler).compile(filter.condition(), "WHERE");
        Expr havingCondition = having == null ? null : having.condition();
        if (aggregate != null) {
            AggregatePlanner.Parts parts = AggregatePlanner.plan(aggregate, project.items(), havingCondition, compiler, inSchema,
                    job.rounding());
            return new Middle(where, parts, ProjectionPlanner.project(project.items(), scan, parts.compiler, parts.outSchema, job.declaredOut()));
        }
        if (analytic != null) {
            analyticParts = AnalyticPlanner.plan(analytic, compiler, scope, inSchema, job.rounding());
            return new Middle(where, null, ProjectionPlanner.project(project.items(), scan, analyticParts.compiler, inSchema,
                    job.declaredOut(), scope.relations()));
        }
        return new Middle(where, null, ProjectionPlanner.project(project.items(), scan, compiler, inSchema, job.declaredOut(),
                scope.relations()));
    }

    /**
     * Whether an EMIT CHANGES aggregation can take a group's row back: HAVING can reject a group it
     * accepted before, and a computed item can fail for a group whose previous row was written.
     */
    private boolean canRetract(ProjectionPlanner.Projection projection) {
        if (having != null || projection.eventTime != null || tableKeyColumn >= 0) {
            return true; // (over a keyed table: a group whose rows all left leaves the result)
        }
        for (Eval e : projection.items) {
            if (!(e instanceof ColumnEval)) {
                return true;
            }
        }
        return false;
    }

    private void checkRetractionMarker() {
        if (retractKeys == null) {
            return;
        }
        for (int i = 0; i < outSchema.size(); i++) {
            if (outSchema.field(i).name().equalsIgnoreCase("_deleted")) {
                Query.SelectItem it = i < project.items().size() ? project.items().get(i) : null;
                throw new SqlException(it != null ? it.expr().pos() : root.pos(), "'_deleted' names the retraction marker of this "
                        + "changelog (EMIT CHANGES that can retract): give the column another name");
            }
        }
    }

    private void createSink() {
        String sinkName = job.sinkName();
        if (env.injectedSink() != null) {
            sink = env.injectedSink();
            sinkDesc = sink.describe();
            return;
        }
        if (sinkName == null) {
            sink = new StdoutSink(env.stdout(), new JsonEncoder(outSchema, false).retractions(retractKeys != null));
            sinkDesc = "stdout";
            return;
        }
        SinkType sinkType = Planner.sinkType(sinkName, props, job.sinkPos());
        props.addConnectorDefaults(sinkName, sinkType.defaults());
        String sinkFormat = props.get(sinkName + ".format", "json").toLowerCase(Locale.ROOT);
        sinkType.format(props, sinkName, sinkFormat);
        SinkType.Context sinkContext = new SinkType.Context(sinkName, outSchema, props, sinkFormat, retractKeys != null, tableKey(),
                env.kafka(), env.baseDir(), job.jobName(), job.sinkPos(), env.paths(), env.log(), job.table());
        sink = sinkType.create(sinkContext);
        sinkDesc = sinkType.describe(sinkContext, sink);
        String sinkPath = props.get(sinkName + ".path");
        if (job.declaredSink() == null && job.kind().startsWith("CREATE")) {
            // a changelog that retracts carries its _deleted column to whoever reads the file next
            Schema written = outSchema;
            if (retractKeys != null) {
                List<Field> withFlag = new ArrayList<>(outSchema.fields());
                withFlag.add(new Field("_deleted", DataType.BOOLEAN));
                written = new Schema(withFlag);
            }
            env.catalog().put(new Catalog.Entry(sinkName, job.table(), written, readBack(sinkName, sinkType), "output of " + job.kind() + " "
                    + sinkName, sinkPath, sinkFormat, tableKey()));
        }
    }

    /** What a topic's readers need to know of the kafka_sink writing it: the settings naming the topic, its cluster and format. */
    private static final List<String> READ_BACK = List.of("bootstrap.servers", "format", "avro.schema", "avro.framing", "proto.file",
            "proto.message", "key.field");

    /**
     * The settings through which a later statement reads this statement's output: a Kafka sink's topic is
     * read back by a kafka_source of the same topic, cluster, format and client security settings (a
     * file sink's file is found by its path). Empty for other sinks.
     */
    private List<Statement.Property> readBack(String sinkName, SinkType sinkType) {
        if (!sinkType.usesKafka()) {
            return List.of();
        }
        List<Statement.Property> out = new ArrayList<>();
        Setting type = props.setting(sinkName + ".type");
        Pos at = type != null && type.pos() != Pos.NONE ? type.pos() : job.sinkPos();
        out.add(new Statement.Property(at, sinkName + ".type", at, KafkaSourceType.NAME));
        out.add(new Statement.Property(at, sinkName + ".topic", at, KafkaClients.topic(props, sinkName)));
        String prefix = sinkName.toLowerCase(Locale.ROOT) + ".";
        for (Setting s : props.all()) {
            if (!s.key().startsWith(prefix)) {
                continue;
            }
            String rest = s.key().substring(prefix.length());
            if (READ_BACK.contains(rest) || rest.startsWith("kafka.security.") || rest.startsWith("kafka.sasl.")
                    || rest.startsWith("kafka.ssl.")) {
                Pos p = s.pos() != Pos.NONE ? s.pos() : at;
                out.add(new Statement.Property(s.keyPos() != Pos.NONE ? s.keyPos() : p, s.key(), p, s.value()));
            }
        }
        return out;
    }

    /**
     * The key of the output: the column marked PRIMARY KEY, else for a CREATE TABLE … AS that groups by
     * one column without a window, the output item that is that group key (a join looks the table up by
     * it, a Kafka sink keys its records and tombstones by it); null otherwise.
     */
    private String tableKey() {
        String pk = primaryKey();
        if (pk != null || !job.table() || aggregate == null || aggregate.window() != null || aggregate.keys().size() != 1) {
            return pk;
        }
        String group = io.velo.sql.ast.SqlPrinter.print(aggregate.keys().get(0));
        String key = null;
        for (int i = 0; i < project.items().size(); i++) {
            Query.SelectItem it = project.items().get(i);
            if (it.star() || (it.alias() != null && it.alias().equalsIgnoreCase("_event_time"))) {
                return null; // not one output column per item
            }
            if (io.velo.sql.ast.SqlPrinter.print(it.expr()).equalsIgnoreCase(group)) {
                if (key != null) {
                    return null; // the group column twice: no one column is the key
                }
                key = outSchema.field(i).name();
            }
        }
        return key;
    }

    /** The output column marked PRIMARY KEY (the last, if several), or null. */
    private String primaryKey() {
        String pk = null;
        for (Query.SelectItem it : project.items()) {
            if (it.primaryKey()) {
                pk = it.alias() != null ? it.alias() : it.expr() instanceof Expr.ColumnRef c ? c.name() : null;
            }
        }
        return pk;
    }

    private void checkTransactional() {
        transactional = "transactional".equalsIgnoreCase(props.get("mode", "at_least_once"));
        if (!transactional) {
            return;
        }
        if (!job.srcType().transactional()) {
            throw new SqlException(props.pos("mode"), "'mode' = 'transactional' gives exactly-once for Kafka→Kafka jobs; this job reads "
                    + job.srcType().reads());
        }
        if (!(sink instanceof io.velo.connector.kafka.KafkaSink && sink.transactional())) {
            throw new SqlException(props.pos("mode"), "'mode' = 'transactional' gives exactly-once for Kafka→Kafka jobs; this job writes to "
                    + (job.sinkName() == null ? "standard output" : "a " + props.get(job.sinkName() + ".type"))
                    + ", which cannot take part in a transaction");
        }
        if (job.failures().deadLetters() instanceof io.velo.connector.kafka.KafkaDeadLetterWriter kd) {
            kd.joinTransactionsOf((io.velo.connector.kafka.KafkaSink) sink);
        }
        if (job.batching().parallel()) {
            Pos at = props.setting("batch.parallel") != null ? props.pos("batch.parallel") : props.pos("mode");
            throw new SqlException(at, "'batch.parallel' decodes ahead of the operators, so its offsets run ahead of what a transaction "
                    + "holds; 'mode' = 'transactional' needs it off");
        }
        if (analytic != null) {
            throw new SqlException(analytic.calls().get(0).over().pos(), "analytic functions (OVER) keep per-partition state that "
                    + "'mode' = 'transactional' cannot checkpoint yet");
        }
        if (distinct != null) {
            throw new SqlException(root.pos(), "SELECT DISTINCT keeps state that 'mode' = 'transactional' cannot checkpoint yet; GROUP BY the distinct columns instead");
        }
        if (limit != null) {
            throw new SqlException(root.pos(), "LIMIT over a stream in 'mode' = 'transactional' would start counting again after a restart; leave out LIMIT (or use --max-records)");
        }
    }

    /** The sink and what follows the projection — LIMIT, ORDER BY, DISTINCT, the retraction gate — chained from the sink backwards. */
    private Operator endOperators() {
        JobMetrics m = job.metrics();
        Operator op = sink == null ? null : new SinkOperator(sink, m, job.failures());
        if (limit != null) {
            op = new LimitOperator(limit.count(), op, m);
        }
        if (sort != null) {
            op = sortOperator(op);
        }
        if (distinct != null) {
            op = new DistinctOperator(outSchema, op, m, aggregate != null);
        }
        if (retractKeys != null) {
            op = gate = new ChangeGate(op);
        }
        return op;
    }

    private Operator sortOperator(Operator next) {
        List<Expr.OrderItem> items = sort.keys();
        if (!job.bounded()) {
            throw new SqlException(items.get(0).expr().pos(), "ORDER BY needs a bounded input (files); a stream never ends");
        }
        ExprCompiler oc = new ExprCompiler(new Scope("output", null, outSchema), job.rounding());
        Eval[] keys = new Eval[items.size()];
        boolean[] desc = new boolean[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Expr.OrderItem it = items.get(i);
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
        }
        return new SortOperator(keys, desc, outPool, next, job.metrics());
    }

    /** Whether the job's aggregation state is checkpointed: transactional, or an unbounded Kafka source into a Kafka sink. */
    private boolean keepsState() {
        boolean unboundedKafka = !job.bounded() && source instanceof io.velo.connector.kafka.KafkaSource;
        return main.agg() != null && (transactional || (unboundedKafka && sink instanceof io.velo.connector.kafka.KafkaSink));
    }

    /**
     * WHERE → aggregation → HAVING → projection in front of {@code end}, on the worker threads when
     * the query can run on several; {@code theAggregate[0]} gets the aggregation of a serial plan.
     */
    private Operator middleOperators(Operator end, AggregateOperator[] theAggregate) {
        AggregatePlanner.Parts aggParts = main.agg();
        // stages use the cores available unless told otherwise; a stateful one partitions rows by key (its
        // workers' results merged back into one thread's order) — by default only when the job's batches are
        // big enough to be worth sharing out, since every batch of a partitioned stage goes to every worker
        boolean explicit = props.get("parallelism") != null || env.forcedParallelism() > 0;
        int parallelism = env.forcedParallelism() > 0 ? env.forcedParallelism() : parallelism(props);
        String serialWhy = parallelism <= 1 ? null
                : subqueries.any() ? "subqueries read their tables' current rows on one thread"
                : intervalJoin != null ? "a stream-stream join runs on one thread"
                : analyticParts != null ? "analytic functions (OVER) take each partition's rows in arrival order"
                : tableKeyColumn >= 0 ? "an aggregation over a keyed table takes each key's replaced row back in order"
                : gate != null ? "a changelog that retracts names its groups across the whole job"
                : keepsState() ? "its state is checkpointed as one"
                : keyedWindow(aggParts) ? aggParts.window.kind() + " windows run on one thread"
                : aggParts != null && aggParts.keys.length == 0 ? "a global aggregate has no key to partition by"
                : aggParts != null && !explicit && job.batching().maxRecords() < ParallelOperator.MIN_SPLIT
                        ? "batches of " + job.batching().maxRecords() + " records are too small to share out (a stateful stage is partitioned by default from "
                                + ParallelOperator.MIN_SPLIT + ")"
                : null;
        if (parallelism > 1 && serialWhy == null) {
            return parallelMiddle(end, parallelism, explicit);
        }
        if (parallelism > 1 && explicit) {
            exchange = new Exchange(scan, 1, false, false, serialWhy);
        }
        return middle(main, end, outPool, job.metrics(), gate, true, theAggregate);
    }

    /** The middle on {@code parallelism} workers, each with its own compiled copy, behind a {@link ParallelOperator}. */
    private Operator parallelMiddle(Operator tail, int parallelism, boolean explicit) {
        AggregatePlanner.Parts aggParts = main.agg();
        boolean windowed = aggParts != null && aggParts.windowSize > 0;
        JobMetrics m = job.metrics();
        // a stateless stage has two lanes (copies of its operators) per worker thread and one for the caller
        int copies = aggParts == null ? 2 * parallelism - 1 : parallelism;
        Operator[] heads = new Operator[copies];
        ParallelOperator.Collector[] collectors = new ParallelOperator.Collector[copies];
        JobMetrics[] shards = new JobMetrics[copies];
        int cap = outPool.batchCapacity();
        AggregateOperator[] theAggregate = new AggregateOperator[1];
        // each worker hashes its rows with its own key evaluators, on its own thread, before its aggregation uses them
        KeyPartitioner[] partitioner = aggParts == null ? null : new KeyPartitioner[parallelism];
        for (int w = 0; w < copies; w++) {
            Middle mw = w == 0 ? main : compileMiddle();
            shards[w] = new JobMetrics();
            collectors[w] = new ParallelOperator.Collector(new BatchPool(outSchema, cap, 4), aggParts == null);
            heads[w] = middle(mw, collectors[w], new BatchPool(outSchema, cap, 4), shards[w], null, !windowed, theAggregate);
            if (aggParts != null) {
                theAggregate[0].tagOrder(); // the workers' results are merged back into one thread's order
                partitioner[w] = new KeyPartitioner(mw.agg().keys);
            }
        }
        // the window assigner runs on the calling thread only: worker 0's aggregation takes the carried
        // times and watermarks, so it never evaluates its own time column
        WindowAssigner assigner = windowed
                ? new WindowAssigner(aggParts.windowSize, props.millis("watermark.max_out_of_orderness", 0), main.agg().timeColumn,
                        "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")), errors, m)
                : null;
        ParallelOperator parallel = new ParallelOperator(heads, collectors, tail, partitioner, assigner, m, shards, job.jobName(), parallelism);
        parallel.wholeBatches(job.failures().strategy() != io.velo.failure.FailureStrategy.FAIL_BATCH);
        releases.add(parallel::close); // a job that fails before finish() must not leave its workers parked
        inFlight.add(parallel);
        Operator op = parallel;
        if (explicit) {
            exchangeAboveFilter = windowed && filter != null;
            exchange = new Exchange(exchangeAboveFilter ? filter : scan, parallelism, partitioner != null, windowed, null);
        }
        if (aggParts != null) {
            m.setAggregating();
        }
        if (windowed && main.where() != null) {
            op = new FilterOperator(main.where(), op, errors, m);
        }
        return op;
    }

    /**
     * Builds WHERE (when {@code withWhere}) → aggregation → HAVING → projection in front of
     * {@code next} and returns the first; {@code aggregate[0]} gets the aggregation.
     */
    private Operator middle(Middle mid, Operator next, BatchPool pool, JobMetrics m, ChangeGate gate, boolean withWhere,
                            AggregateOperator[] theAggregate) {
        Operator op = new ProjectOperator(mid.projection().items, mid.projection().eventTime, pool, next, outErrors, retractKeys);
        if (analyticParts != null) {
            List<AnalyticPlanner.Stage> stages = analyticParts.stages;
            for (int i = stages.size() - 1; i >= 0; i--) { // built from the last: each pushes into the next
                AnalyticPlanner.Stage an = stages.get(i);
                Schema stageIn = i == 0 ? inSchema : stages.get(i - 1).outSchema; // (the joined rows' layout after a join)
                op = new io.velo.exec.AnalyticOperator(stageIn, an.partitionKeys, an.orderKey, an.orderText, an.descending, an.ordered,
                        an.values, an.fns, "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")),
                        new BatchPool(an.outSchema, pool.batchCapacity(), 4), op, errors, m);
            }
        }
        AggregatePlanner.Parts agg = mid.agg();
        if (agg != null) {
            if (agg.having != null) {
                FilterOperator h = new FilterOperator(agg.having, op, outErrors, m, true);
                op = gate != null ? h.retracting() : h;
            }
            m.setAggregating();
            // after a stream-stream join the rows aggregated are its results, not input records (those ended in the join)
            JobMetrics am = intervalJoin != null ? joinResults() : m;
            BatchPool aggPool = new BatchPool(agg.outSchema, 4096, 4);
            if (keyedWindow(agg)) {
                Query.WindowSpec w = agg.window;
                boolean session = w.kind() == Query.WindowKind.SESSION;
                KeyedWindowOperator kw = new KeyedWindowOperator(session, session ? w.gap() : w.size(), session ? 0 : w.advance(),
                        agg.keys, agg.aggregators, agg.args, agg.timeColumn, aggregate.emit() == Query.Emit.FINAL,
                        aggregateOutOfOrderness(),
                        "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")), aggPool, op, errors, am);
                if (gate != null) {
                    kw.retractThrough(gate);
                }
                keyedWindowOp = kw;
                op = kw;
                if (withWhere && mid.where() != null) {
                    op = new FilterOperator(mid.where(), op, errors, m);
                }
                return op;
            }
            AggregateOperator a = new AggregateOperator(agg.keys, agg.aggregators, agg.args, agg.windowSize, agg.timeColumn,
                    aggregate.emit() == Query.Emit.FINAL, aggregateOutOfOrderness(),
                    "dead_letter".equalsIgnoreCase(props.get("late.data.strategy", "drop")), aggPool, op, errors, am);
            if (gate != null) {
                a.retractThrough(gate);
            }
            theAggregate[0] = a;
            op = a;
            if (tableKeyColumn >= 0) {
                // the table's changes: each replaced row taken back before its new one (WHERE applies to both)
                a.enableRemovals();
                return new io.velo.exec.TableChangesOperator(inSchema, tableKeyColumn, tableDeletedColumn, withWhere ? mid.where() : null, op, errors, m);
            }
        }
        if (withWhere && mid.where() != null) {
            op = new FilterOperator(mid.where(), op, errors, m, intervalJoin != null);
        }
        return op;
    }

    /**
     * How far behind the latest row an aggregation still takes a row: the job's
     * {@code 'watermark.max_out_of_orderness'}, and after a stream–stream join that much more as the
     * join's interval spans. A joined row leaves the join when the later of its two rows arrives, so its
     * time (either side's) can trail the times of rows the join already wrote by up to the interval's
     * bounds beyond the lateness each input is allowed; with less, rows the query's definition includes
     * would depend on arrival order and be dropped as late.
     */
    private long aggregateOutOfOrderness() {
        long ooo = props.millis("watermark.max_out_of_orderness", 0);
        if (intervalJoin == null) {
            return ooo;
        }
        return ooo + Math.abs(intervalJoin.lo()) + Math.abs(intervalJoin.hi());
    }

    /** Whether the aggregation is over SLIDING or SESSION windows ({@link KeyedWindowOperator}). */
    private static boolean keyedWindow(AggregatePlanner.Parts agg) {
        return agg != null && agg.window != null && agg.window.kind() != Query.WindowKind.TUMBLING;
    }

    /**
     * SLIDING and SESSION windows need an event time that comes with the records (a file's records have
     * none unless 'event.time.field' names one).
     */
    private void checkKeyedWindow() {
        if (!keyedWindow(main.agg())) {
            return;
        }
        Query.WindowSpec w = main.agg().window;
        if (w.timeColumn() == null && job.etColumn() < 0 && job.srcType() instanceof FileSourceType) {
            throw new SqlException(w.pos(), w.kind() + " windows need an event time: '" + job.srcName() + "' is a file, whose "
                    + "records have none of their own; set 'event.time.field' or name the time column, as in " + w.kind()
                    + (w.kind() == Query.WindowKind.SESSION ? "(ts, 30s)" : "(ts, 1m, 10s)"));
        }
    }

    /** The job's worker threads: {@code 'parallelism'}, or the cores available. */
    private static int parallelism(JobProperties props) {
        String v = props.get("parallelism");
        return v != null ? Integer.parseInt(v.trim()) : Runtime.getRuntime().availableProcessors();
    }

    /** The state store of a serial plan's aggregation that keeps its state (and the note the plan shows), or null. */
    private io.velo.exec.state.StateStore state(io.velo.exec.state.Checkpointed theAggregate) {
        if (theAggregate == null) {
            return null;
        }
        if (keepsState()) {
            // at-least-once too: a restart must not start the totals from nothing after the offsets moved on
            theAggregate.enableCheckpoints();
            io.velo.exec.state.StateStore store = new io.velo.connector.kafka.KafkaStateStore(
                    props.get("changelog.topic", job.jobName() + "-changelog"), (io.velo.connector.kafka.KafkaSink) sink, transactional);
            stateNote = store.describe();
            return store;
        }
        if (!job.bounded() && source instanceof io.velo.connector.kafka.KafkaSource) {
            stateNote = "in memory only, so the source's offsets are never committed: a restart recomputes from the start"
                    + " (a kafka_sink keeps the state in a changelog topic)";
        }
        return null;
    }

    /** The logical plan with what was decided here: connector descriptions, the output schema, the exchange, the state, the gate. */
    private io.velo.plan.logical.Sink annotate(String srcDesc) {
        LogicalNode annotated = root.transformUp(n -> {
            if (intervalJoin != null && n instanceof Scan s && s == intervalJoin.join().right()) {
                String et = intervalJoin.rightTime() < 0 ? props.get(s.source() + ".event.time.field", props.get("event.time.field")) : null;
                return new Scan(s.source(), s.alias(), s.pos(), intervalJoin.relation().schema(), et, intervalJoin.description());
            }
            if (intervalJoin != null && n instanceof Join j && j.pos().equals(intervalJoin.join().pos())) {
                return new io.velo.plan.logical.IntervalJoin(j, IntervalJoinPlanner.stateNote(intervalJoin, j.kind(),
                        props.millis("watermark.max_out_of_orderness", 0)));
            }
            if (n instanceof Scan s && s != scan) {
                for (JoinPlanner.TableJoin t : tableJoins) {
                    if (t.join().right() == s) {
                        return new Scan(s.source(), s.alias(), s.pos(), t.relation().schema(), null, t.description());
                    }
                }
            }
            if (n instanceof Scan s) {
                LogicalNode described = derived != null ? derived.node(srcDesc) : s.describedAs(srcDesc);
                return exchange != null && !exchangeAboveFilter && joins.isEmpty() ? exchange.withInputs(List.of(described)) : described;
            }
            if (n instanceof Join j && exchange != null && !exchangeAboveFilter && j.pos().equals(joins.get(joins.size() - 1).pos())) {
                return exchange.withInputs(List.of(j));
            }
            if (n instanceof Filter f && exchange != null && exchangeAboveFilter) {
                return exchange.withInputs(List.of(f));
            }
            if (n instanceof io.velo.plan.logical.Analytic a && analyticParts != null) {
                return a.withState(analyticParts.note);
            }
            if (n instanceof Aggregate a && stateNote != null) {
                return a.withState(stateNote);
            }
            if (n instanceof Project p && gate != null) {
                return new Retract(p);
            }
            if (n instanceof io.velo.plan.logical.Sink s) {
                return s.describedAs(sinkDesc, outSchema);
            }
            return n;
        });
        return (io.velo.plan.logical.Sink) annotated;
    }
}
