package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.config.BatchConfig;
import io.velo.config.JobProperties;
import io.velo.connector.spi.Sink;
import io.velo.connector.spi.Source;
import io.velo.metrics.JobMetrics;
import io.velo.failure.FailureHandler;
import io.velo.failure.FailureStrategy;
import io.velo.failure.FileDeadLetterWriter;
import io.velo.plan.logical.PlanText;
import io.velo.plan.logical.Scan;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.Statement;
import io.velo.sql.parser.Parser;
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
 * derives the source schema (declared, inline, or inferred from a sample of the file), builds the
 * query's logical plan ({@link LogicalPlanner}), the operators from it ({@link PhysicalPlanner}) and
 * the plan text from the annotated logical plan ({@link PlanText}). Everything that can be wrong with
 * a statement is found here, before any job starts.
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

    /** Where a {@code CREATE TABLE … AS} without a sink keeps its table for later statements (null: such a statement is an error). */
    private RunTables runTables;

    public void runTables(RunTables tables) {
        this.runTables = tables;
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
        List<Statement.Property> declared = new ArrayList<>();
        for (Statement.Property p : s.with()) { // a bare 'config_file' of a declaration is its own (read into every job using it)
            declared.add(p.key().equalsIgnoreCase("config_file") ? new Statement.Property(p.keyPos(), s.name() + ".config_file", p.valuePos(), p.value()) : p);
        }
        catalog.put(new Catalog.Entry(s.name(), s.table(), new Schema(fields), declared, "declared at " + s.pos(), null, null, pk));
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

    static final String MEMORY = "in-memory";
    /** The second in-memory relation of {@link #planInMemoryJoin} while it is planned (the right stream of an interval join). */
    static final ThreadLocal<String> MEMORY_RIGHT = new ThreadLocal<>();

    /**
     * An interval join of two in-memory streams: the returned pipeline is the join
     * ({@link io.velo.exec.TwoInputOperator}); the caller pushes the left stream's batches into it as
     * into any pipeline, the right stream's with {@code push(TwoInputOperator.RIGHT, b)}, in event-time
     * order across the two, and ends each side with {@code finish(side)}.
     */
    public JobPlan planInMemoryJoin(String selectSql, String leftName, Schema leftSchema, String rightName, Schema rightSchema, Sink sink) {
        catalog.put(new Catalog.Entry(rightName, false, rightSchema, List.of(), MEMORY, null, null, null));
        MEMORY_RIGHT.set(rightName);
        try {
            return planInMemory(selectSql, leftName, leftSchema, sink, 1);
        } finally {
            MEMORY_RIGHT.remove();
        }
    }
    private Sink injectedSink;

    /**
     * Plans for EXPLAIN: the files the explained statement would read and write are checked (path
     * safety) but not recorded as the script's, since nothing runs.
     */
    /** Plans a statement only to show it: its file uses and the catalogue entry of its output are forgotten (it runs nothing). */
    public <T> T explain(java.util.function.Supplier<T> planning) {
        java.util.Set<String> before = new java.util.HashSet<>(catalog.all().keySet());
        try {
            return paths.forgetting(planning);
        } finally {
            catalog.all().keySet().retainAll(before);
        }
    }

    /** Whether any setting names connector {@code name} (a sink half configured is an error of its own, not a table of the run). */
    private static boolean configures(JobProperties props, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ".";
        for (io.velo.config.Setting s : props.all()) {
            if (s.key().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** See {@link PathSafety#chainedWhileConcurrent}: null when no statement reads a file an earlier one writes. */
    public SqlException chainedWhileConcurrent() {
        return paths.chainedWhileConcurrent();
    }

    /** Whether a statement reads a table of the run kept in a file (see {@link RunTables#keepInKafka}). */
    public boolean readsRunTableFile() {
        return paths.readsRunTableFile();
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

    /**
     * What a query's job resolved before its plan is built: names, effective properties, failure
     * handling, batching, and its source's kind, format and schema (the source is not created yet).
     */
    record Resolved(String jobName, String kind, String sinkName, Pos sinkPos, boolean table, JobProperties props,
                    DecimalRounding rounding, JobMetrics metrics, boolean kafkaJob, FailureHandler failures, BatchConfig batching,
                    String srcName, Catalog.Entry declaredSrc, Catalog.Entry declaredSink, SourceType srcType, String format,
                    Schema srcSchema, String etField, int etColumn, boolean bounded, List<Statement.ColumnDef> declaredOut) {
        /** The logical plan's leaf for the query's FROM source. */
        Scan scan(Query.FromItem from) {
            return new Scan(srcName, from.alias(), from.pos(), srcSchema, etField, null);
        }
    }

    /**
     * Plans one query: (a) resolves its properties and source, (b) builds its logical plan from the
     * AST, (c) builds the operators from the logical plan, (d) renders the plan text from the logical
     * plan as the physical planning annotated it.
     */
    private JobPlan planQuery(String jobName, String kind, Query q, String sinkName, Pos sinkPos,
                              List<Statement.Property> with, List<Statement.ColumnDef> declaredOut, boolean table) {
        if (!q.unionAll().isEmpty()) {
            return planUnion(jobName, kind, q, sinkName, sinkPos, with, declaredOut, table);
        }
        return planSingle(jobName, kind, q, sinkName, sinkPos, with, declaredOut, table).plan();
    }

    /** One SELECT's job, with what a UNION ALL checks of its branches. */
    private record Single(JobPlan plan, boolean retracts, io.velo.plan.logical.Sink annotated, PlanText.JobNotes notes) { }

    /** The first branch's job while a UNION ALL's further branches are planned (null otherwise): they share its metrics, failures and sink. */
    private JobPlan unionBase;

    /**
     * {@code q UNION ALL q2 …}: every branch is planned as a query of its own, writing into the first
     * branch's sink; the job reads the branches' sources as one ({@link io.velo.exec.join.UnionSource})
     * with one set of metrics, one failure handler and one transaction. The branches' outputs must
     * have the same number of columns, of types with a common type (a column's type is the common type
     * of the branches' columns, as for CASE: BIGINT and DECIMAL(10,2) give DECIMAL; a branch whose
     * column is another type is planned again with the column CAST to it). The first branch names the
     * columns. The branches must agree on whether they retract. A CREATE TABLE's rows are upserts by
     * its key, whichever branch writes them.
     */
    private JobPlan planUnion(String jobName, String kind, Query q, String sinkName, Pos sinkPos,
                              List<Statement.Property> with, List<Statement.ColumnDef> declaredOut, boolean table) {
        List<Query> branches = new ArrayList<>();
        branches.add(q.first());
        branches.addAll(q.unionAll());
        for (Query b : branches) {
            if (!b.orderBy().isEmpty()) {
                throw new SqlException(b.orderBy().get(0).expr().pos(), "ORDER BY in a UNION ALL is not supported: it would order the whole "
                        + "union, which a stream cannot; order each branch's output downstream");
            }
            if (b.limit() != null) {
                throw new SqlException(b.pos(), "LIMIT in a UNION ALL is not supported: it would limit the whole union; limit downstream");
            }
        }
        List<Single> singles = planBranches(jobName, kind, q, branches, sinkName, sinkPos, with, declaredOut, table, 0);
        // the columns' common types; branches of another type are planned again with their columns CAST to them
        Schema out = singles.get(0).plan().outputSchema();
        List<DataType> common = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            List<DataType> types = new ArrayList<>();
            for (Single s : singles) {
                types.add(s.plan().outputSchema().field(i).type());
            }
            try {
                common.add(io.velo.expr.fn.FunctionRegistry.valueType(types, "UNION ALL column " + (i + 1)));
            } catch (IllegalArgumentException e) {
                int k = 1;
                while (k < types.size() && types.get(k).equals(types.get(0))) {
                    k++;
                }
                Query b = branches.get(k);
                Schema bo = singles.get(k).plan().outputSchema();
                throw new SqlException(itemPos(b, i), "UNION ALL branch " + (k + 1) + "'s column " + (i + 1) + " (" + bo.field(i).name() + ") is "
                        + bo.field(i).type() + ", the first branch's (" + out.field(i).name() + ") is " + out.field(i).type()
                        + ": they have no common type; CAST one to the other's");
            }
        }
        int firstCast = -1;
        for (int k = 0; k < branches.size() && firstCast < 0; k++) {
            Schema bo = singles.get(k).plan().outputSchema();
            for (int i = 0; i < out.size(); i++) {
                if (!bo.field(i).type().equals(common.get(i))) {
                    firstCast = k;
                    break;
                }
            }
        }
        if (firstCast >= 0) {
            for (int k = firstCast; k < branches.size(); k++) {
                branches.set(k, castTo(branches.get(k), singles.get(k).plan().outputSchema(), common, k));
            }
            // planned again from the first branch that changed (a new first branch is a new sink for the others)
            List<Single> again;
            unionReplanning = true;
            try {
                again = planBranches(jobName, kind, q, branches, sinkName, sinkPos, with, declaredOut, table, firstCast);
            } finally {
                unionReplanning = false;
            }
            for (int k = firstCast; k < branches.size(); k++) {
                singles.get(k).plan().release().run(); // planned, never run: what it holds goes
                singles.set(k, again.get(k - firstCast));
            }
        }
        unionFirst = null;
        Single first = singles.get(0);
        JobPlan base = first.plan();
        out = base.outputSchema();
        List<JobPlan> plans = new ArrayList<>();
        for (Single s : singles) {
            plans.add(s.plan());
        }
        Source[] sources = new Source[plans.size()];
        io.velo.exec.Operator[] pipelines = new io.velo.exec.Operator[plans.size()];
        for (int k = 0; k < plans.size(); k++) {
            sources[k] = plans.get(k).source();
            pipelines[k] = plans.get(k).pipeline();
        }
        if (sources[0] == null) {
            throw new SqlException(q.unionAll().get(0).pos(), "UNION ALL is not supported in an in-memory plan");
        }
        io.velo.exec.join.UnionSource.FinishOnce firstPipeline = io.velo.exec.join.UnionSource.wrap(base.pipeline());
        BatchConfig batching = base.batching();
        Source union = new io.velo.exec.join.UnionSource(sources, firstPipeline, pipelines,
                Math.max(1, Math.min(batching.maxRecords(), BatchConfig.ABSOLUTE_MAX_RECORDS)));
        List<io.velo.plan.logical.LogicalNode> inputs = new ArrayList<>();
        for (Single s : singles) {
            inputs.add(s.annotated().input());
        }
        String text = PlanText.render(kind, jobName, (io.velo.plan.logical.Sink) first.annotated().withInputs(
                List.of(new io.velo.plan.logical.Union(inputs, union.bounded()))), first.notes());
        List<Runnable> releases = new ArrayList<>();
        List<io.velo.exec.InFlight> inFlight = new ArrayList<>();
        for (JobPlan p : plans) {
            releases.add(p.release());
            inFlight.add(p.inFlight());
        }
        return new JobPlan(base.name(), base.statementKind(), union, base.sink(), firstPipeline, base.sourcePool(), batching, base.properties(),
                base.failures(), base.metrics(), out, text, base.transactional(), base.state(), base.stateStore(),
                base.commitIntervalMillis(), null, () -> releases.forEach(Runnable::run), io.velo.exec.InFlight.all(inFlight));
    }

    /**
     * Plans branches {@code from}… of a UNION ALL (from 0: the first, with the sink, then the others into
     * it; from k > 0: the others, into the sink of the first as planned before, in {@link #unionFirst}).
     */
    private List<Single> planBranches(String jobName, String kind, Query q, List<Query> branches, String sinkName, Pos sinkPos,
                                      List<Statement.Property> with, List<Statement.ColumnDef> declaredOut, boolean table, int from) {
        List<Single> planned = new ArrayList<>();
        if (from == 0) {
            unionOthers = q.unionAll();
            try {
                unionFirst = planSingle(jobName, kind, branches.get(0), sinkName, sinkPos, with, declaredOut, table);
            } finally {
                unionOthers = null;
            }
            planned.add(unionFirst);
        }
        JobPlan base = unionFirst.plan();
        Schema out = base.outputSchema();
        Sink savedSink = injectedSink;
        injectedSink = base.sink();
        unionBase = base;
        try {
            for (int k = Math.max(1, from); k < branches.size(); k++) {
                Query b = branches.get(k);
                // its own name for what a reader keys by it (a Kafka consumer group): two branches may read one topic
                Single s = planSingle(jobName + "-" + (k + 1), kind, b, sinkName, sinkPos, with, declaredOut, table);
                JobPlan p = s.plan();
                Schema bo = p.outputSchema();
                if (bo.size() != out.size()) {
                    throw new SqlException(b.pos(), "UNION ALL branch " + (k + 1) + " gives " + bo.size() + " column" + (bo.size() == 1 ? "" : "s")
                            + " (" + bo + "), the first gives " + out.size() + " (" + out + ")");
                }
                if (s.retracts() != unionFirst.retracts()) {
                    throw new SqlException(b.pos(), "UNION ALL branch " + (k + 1) + (s.retracts() ? " retracts" : " does not retract")
                            + " (EMIT CHANGES of an aggregation that can take a row back) and the first "
                            + (unionFirst.retracts() ? "does" : "does not") + ": their rows cannot share one changelog");
                }
                if (p.stateStore() != null) {
                    throw new SqlException(b.pos(), "UNION ALL branch " + (k + 1) + " keeps checkpointed state: only the first branch of "
                            + "a UNION ALL may aggregate in a transactional job over Kafka (not supported yet for more)");
                }
                planned.add(s);
            }
        } finally {
            injectedSink = savedSink;
            unionBase = null;
        }
        return planned;
    }

    /** While a UNION ALL's branches are planned again (with CASTs): the same statement as before. */
    private boolean unionReplanning;

    /** The first branch of the UNION ALL being planned. */
    private Single unionFirst;

    /** Where branch {@code b}'s output column {@code i} is written (its select item, else the SELECT). */
    private static Pos itemPos(Query b, int i) {
        for (Query.SelectItem it : b.items()) {
            if (it.star()) {
                return b.pos();
            }
        }
        return i < b.items().size() ? b.items().get(i).expr().pos() : b.pos();
    }

    /** Branch {@code b} (number {@code k}) with each output column not of its common type CAST to it, named as before. */
    private static Query castTo(Query b, Schema planned, List<DataType> common, int k) {
        List<Query.SelectItem> items = new ArrayList<>(b.items());
        for (int i = 0; i < common.size(); i++) {
            if (planned.field(i).type().equals(common.get(i))) {
                continue;
            }
            boolean star = items.stream().anyMatch(Query.SelectItem::star);
            if (star || i >= items.size()) {
                throw new SqlException(b.pos(), "UNION ALL branch " + (k + 1) + "'s column " + (i + 1) + " (" + planned.field(i).name() + ") is "
                        + planned.field(i).type() + ", the union's is " + common.get(i) + ": select the columns one by one, with CAST("
                        + planned.field(i).name() + " AS " + common.get(i) + ")");
            }
            Query.SelectItem it = items.get(i);
            String name = it.alias() != null ? it.alias() : planned.field(i).name();
            items.set(i, new Query.SelectItem(it.pos(), new io.velo.sql.ast.Expr.Cast(it.expr().pos(), it.expr(), common.get(i)), name,
                    it.primaryKey(), false, null));
        }
        return new Query(b.pos(), b.distinct(), items, b.from(), b.joins(), b.where(), b.groupBy(), b.window(), b.having(), b.orderBy(),
                b.limit(), b.emit());
    }

    private Single planSingle(String jobName, String kind, Query q, String sinkName, Pos sinkPos,
                              List<Statement.Property> with, List<Statement.ColumnDef> declaredOut, boolean table) {
        if (q.from() == null) {
            throw new SqlException(q.pos(), "a streaming query needs FROM <source>");
        }
        Query inner = q.from().subquery();
        if (inner != null) {
            DerivedPlanner.check(inner);
        }
        Resolved job = resolve(jobName, kind, q, sinkName, sinkPos, with, declaredOut, table);
        PhysicalPlanner.Env env = new PhysicalPlanner.Env(catalog, baseDir, stdout, log, paths, kafka, injectedSink, forcedParallelism);
        DerivedPlanner.Planned derived = inner == null ? null : DerivedPlanner.plan(inner, q.from(), job.scan(inner.from()), job, env);
        io.velo.plan.logical.Sink logical = LogicalPlanner.build(q, derived != null ? derived.outer() : job.scan(q.from()), job.bounded(), sinkName);
        PhysicalPlanner.Built built = new PhysicalPlanner(env, job, logical, derived).build();
        String text = PlanText.render(kind, jobName, built.annotated(), jobNotes(job, built.transactional()));
        BatchConfig batching = job.batching();
        BatchPool srcPool = new BatchPool(job.srcSchema(), Math.max(1, Math.min(batching.maxRecords(), BatchConfig.ABSOLUTE_MAX_RECORDS)),
                batching.reuseBuffers() ? (batching.parallel() ? 5 : 2) : 0); // in flight: one per stage, two queued when parallel
        return new Single(new JobPlan(jobName, kind, built.source(), built.sink(), built.pipeline(), srcPool, batching, job.props(), job.failures(),
                job.metrics(), built.outSchema(), text, built.transactional(), built.checkpointed(), built.stateStore(),
                job.props().millis("commit.interval", 1000), sinkRetry(job.props(), built.sink()), built.release(), built.inFlight()), built.retracts(),
                built.annotated(), jobNotes(job, built.transactional()));
    }

    /** The job-wide lines of the plan text: batching, failure handling, and Kafka delivery. */
    private static PlanText.JobNotes jobNotes(Resolved job, boolean transactional) {
        FailureHandler failures = job.failures();
        String failing = failures.strategy()
                + (failures.deadLetters() instanceof io.velo.connector.kafka.KafkaDeadLetterWriter kd ? " (dead letters to topic " + kd.topic() + ")" : "");
        String delivery = !job.kafkaJob() ? null
                : transactional ? "exactly-once (transactional producer, offsets in the transaction)" : "at-least-once";
        return new PlanText.JobNotes(job.batching().toString(), failing, delivery);
    }

    /** (a) The job's effective properties, failure handling, and its source's kind, format and schema. */
    private Resolved resolve(String jobName, String kind, Query q, String sinkName, Pos sinkPos, List<Statement.Property> with,
                             List<Statement.ColumnDef> declaredOut, boolean table) {
        Query.FromItem from = q.from().subquery() != null ? q.from().subquery().from() : q.from();
        String srcName = from.name();
        Catalog.Entry declaredSrc = catalog.get(srcName);
        Catalog.Entry declaredSink = sinkName == null ? null : catalog.get(sinkName);
        JobProperties props = resolveProperties(srcName, sinkName, declaredSrc, declaredSink, with, joinedTables(q));
        if (table && kind.startsWith("CREATE") && sinkName != null && declaredSink == null && runTables != null
                && !configures(props, sinkName)) {
            // a table without a sink is kept for the later statements of the run (the original engine keeps it in memory):
            // a job reading Kafka runs beside the others (as do all the jobs of a script that RunTables.inKafka() says runs at
            // once), so its table lives in a topic of the script's broker that the later statements read as a table following
            // its changes; any other goes to a scratch file read once its job ended
            if (runTables.inKafka() || Connectors.usesKafka(props.get(srcName + ".type"))) {
                props.imply(sinkName + ".type", "kafka_sink", RunTables.ORIGIN);
                props.imply(sinkName + ".topic", runTables.topicOf(sinkName), RunTables.ORIGIN);
            } else {
                props.imply(sinkName + ".type", FileSinkType.NAME, RunTables.ORIGIN);
                props.imply(sinkName + ".path", runTables.pathOf(sinkName), RunTables.ORIGIN);
                props.imply(sinkName + ".format", "json", RunTables.ORIGIN);
            }
        }
        DecimalRounding rounding = DecimalRounding.parse(props.get("decimal.rounding", "half_up"));
        JobMetrics metrics = unionBase != null ? unionBase.metrics() : new JobMetrics();
        boolean kafkaJob = Connectors.usesKafka(props.get(srcName + ".type"))
                || (sinkName != null && Connectors.usesKafka(props.get(sinkName + ".type")));
        FailureHandler failures = unionBase != null ? unionBase.failures() : failureHandler(jobName, props, metrics, q.pos(), kafkaJob, srcName);
        BatchConfig batching = BatchConfig.from(props, "source");

        SourceType srcType = sourceType(srcName, declaredSrc, props, from.pos());
        String format = props.get(srcName + ".format", declaredSrc != null && declaredSrc.sinkFormat() != null ? declaredSrc.sinkFormat() : "json").toLowerCase(Locale.ROOT);
        props.addConnectorDefaults(srcName, srcType.defaults());
        srcType.format(props, srcName, format);
        Schema srcSchema = SourceSchemas.resolve(srcName, declaredSrc, props, srcType.samplesFiles(), format, from.pos(), baseDir);
        String etField = props.get(srcName + ".event.time.field", props.get("event.time.field"));
        int etColumn = -1;
        if (etField != null) {
            etColumn = srcSchema.indexOf(etField);
            if (etColumn < 0) {
                Pos p = props.setting(srcName + ".event.time.field") != null ? props.pos(srcName + ".event.time.field") : props.pos("event.time.field");
                throw new SqlException(p, "event time field '" + etField + "' is not a column of '" + srcName + "' (" + srcSchema + ")");
            }
            String why = eventTimeFormat(props, srcName).unsuitable(srcSchema.field(etColumn).type());
            if (why != null) {
                throw new SqlException(eventTimeFormatPos(props, srcName), "event time field '" + etField + "': " + why);
            }
        }
        return new Resolved(jobName, kind, sinkName, sinkPos, table, props, rounding, metrics, kafkaJob, failures, batching, srcName,
                declaredSrc, declaredSink, srcType, format, srcSchema, etField, etColumn, srcType.bounded(props, srcName),
                outputColumns(declaredOut, declaredSrc, declaredSink, sinkPos));
    }

    /** How the event-time field of source {@code name} is read: its own, else the job's {@code 'event.time.format'}. */
    static io.velo.types.EventTimeFormat eventTimeFormat(JobProperties props, String name) {
        String spec = props.get(name + ".event.time.format", props.get("event.time.format"));
        try {
            return io.velo.types.EventTimeFormat.of(spec);
        } catch (IllegalArgumentException e) {
            throw new SqlException(eventTimeFormatPos(props, name), "property 'event.time.format': " + e.getMessage());
        }
    }

    private static Pos eventTimeFormatPos(JobProperties props, String name) {
        return props.setting(name + ".event.time.format") != null ? props.pos(name + ".event.time.format") : props.pos("event.time.format");
    }

    /** The properties of a job from the source's and sink's declarations, its WITH and the overrides addressed to it. */
    private JobProperties resolveProperties(String srcName, String sinkName, Catalog.Entry declaredSrc, Catalog.Entry declaredSink,
                                            List<Statement.Property> with, Map<String, Catalog.Entry> tables) {
        Set<String> names = new LinkedHashSet<>();
        names.add(srcName.toLowerCase(Locale.ROOT));
        if (sinkName != null) {
            names.add(sinkName.toLowerCase(Locale.ROOT));
        }
        names.addAll(tables.keySet());
        List<Map.Entry<String, List<Statement.Property>>> layers = new ArrayList<>();
        if (declaredSrc != null) {
            layers.add(new AbstractMap.SimpleEntry<>(declaredSrc.origin().startsWith("declared") ? "declared" : "output of", declaredSrc.properties()));
        }
        for (Catalog.Entry t : tables.values()) {
            if (t != null && t != declaredSrc && t != declaredSink) {
                layers.add(new AbstractMap.SimpleEntry<>(t.origin().startsWith("declared") ? "declared" : "output of", t.properties()));
            }
        }
        if (declaredSink != null && declaredSink != declaredSrc && declaredSink.origin().startsWith("declared")) {
            // (an earlier statement's output carries how to read it back, which says nothing of how to write it)
            layers.add(new AbstractMap.SimpleEntry<>("declared", declaredSink.properties()));
        }
        layers.add(new AbstractMap.SimpleEntry<>("WITH", with));
        List<Statement.Property> applied = overridesFor(names);
        layers.add(new AbstractMap.SimpleEntry<>(JobProperties.OVERRIDE, applied));
        JobProperties props = JobProperties.resolve(layers, names, baseDir);
        noteOverrides(applied, names, props);
        if (unionBase == null && !unionReplanning) {
            paths.nextStatement(); // a UNION ALL's further branches, and its branches planned again, are the same statement
        }
        paths.readConfigFiles(props, names);
        return props;
    }

    /** The relations the query joins, by lower-case name (their catalogue entries, null when unknown). */
    private Map<String, Catalog.Entry> joinedTables(Query q) {
        Map<String, Catalog.Entry> tables = new java.util.LinkedHashMap<>();
        for (Query.Join j : q.joins()) {
            if (j.right().name() != null) {
                tables.put(j.right().name().toLowerCase(Locale.ROOT), catalog.get(j.right().name()));
            }
        }
        subqueryTables(q, tables);
        if (unionOthers != null) {
            // the first branch of a UNION ALL resolves the job's properties: every branch's relations are the job's
            List<Query> others = unionOthers;
            unionOthers = null;
            for (Query b : others) {
                Query.FromItem f = b.from() != null && b.from().subquery() != null ? b.from().subquery().from() : b.from();
                if (f != null && f.name() != null) {
                    tables.putIfAbsent(f.name().toLowerCase(Locale.ROOT), catalog.get(f.name()));
                }
                joinedTables(b).forEach(tables::putIfAbsent);
            }
        }
        return tables;
    }

    /** While the first branch of a UNION ALL is planned: the further branches, whose relations its properties take in. */
    private List<Query> unionOthers;

    /**
     * The tables read by the subqueries of {@code q}'s expressions (and of its FROM subquery's): named in
     * its WITH too (the original's demos configure them there).
     */
    private void subqueryTables(Query q, Map<String, Catalog.Entry> tables) {
        List<Query> subqueries = new ArrayList<>();
        subqueries(List.of(q.items(), q.where() == null ? List.of() : List.of(q.where()), q.groupBy(),
                q.having() == null ? List.of() : List.of(q.having())), subqueries);
        for (Query sq : subqueries) {
            if (sq.from() != null && sq.from().name() != null) {
                tables.putIfAbsent(sq.from().name().toLowerCase(Locale.ROOT), catalog.get(sq.from().name()));
            }
        }
        if (q.from() != null && q.from().subquery() != null) {
            subqueryTables(q.from().subquery(), tables);
        }
    }

    /** The subqueries (IN, EXISTS, scalar) in an AST part, outermost ones only (iterative: expressions may be very deep). */
    private static void subqueries(Object root, List<Query> out) {
        java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object node = todo.pop();
            Query found = node instanceof io.velo.sql.ast.Expr.InSubquery in ? in.query()
                    : node instanceof io.velo.sql.ast.Expr.Exists ex ? ex.query()
                    : node instanceof io.velo.sql.ast.Expr.ScalarSubquery sc ? sc.query() : null;
            if (found != null) {
                out.add(found);
            } else if (node instanceof List<?> list) {
                list.forEach(todo::push);
            } else if (node instanceof Record r && !(node instanceof Pos)) {
                for (java.lang.reflect.RecordComponent rc : r.getClass().getRecordComponents()) {
                    if (rc.getType().isPrimitive() || rc.getType() == String.class) {
                        continue;
                    }
                    try {
                        Object v = rc.getAccessor().invoke(r);
                        if (v != null) {
                            todo.push(v);
                        }
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    /** The output's declared columns: the statement's own, else those of a declared stream written by INSERT INTO / SELECT INTO. */
    private static List<Statement.ColumnDef> outputColumns(List<Statement.ColumnDef> declaredOut, Catalog.Entry declaredSrc,
                                                           Catalog.Entry declaredSink, Pos sinkPos) {
        if (declaredOut.isEmpty() && declaredSink != null && declaredSink != declaredSrc && declaredSink.schema() != null
                && declaredSink.schema().size() > 0 && declaredSink.origin().startsWith("declared")) {
            List<Statement.ColumnDef> cols = new ArrayList<>();
            for (Field f : declaredSink.schema().fields()) {
                cols.add(new Statement.ColumnDef(sinkPos, f.name(), f.type(), false));
            }
            return cols;
        }
        return declaredOut;
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
    static SourceType sourceType(String srcName, Catalog.Entry declared, JobProperties props, Pos from) {
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

    static SinkType sinkType(String sinkName, JobProperties props, Pos sinkPos) {
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
}
