package io.velo.plan;

import io.velo.batch.BatchPool;
import io.velo.codec.TextFieldDecoder;
import io.velo.connector.spi.Source;
import io.velo.exec.Operator;
import io.velo.exec.RowErrors;
import io.velo.exec.StreamTableJoinOperator;
import io.velo.exec.join.SourceTableFeed;
import io.velo.exec.join.TableState;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.Eval;
import io.velo.failure.FailureHandler;
import io.velo.metrics.JobMetrics;
import io.velo.plan.logical.Join;
import io.velo.plan.logical.Scan;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans the stream–table joins of a query ({@code FROM s [INNER|LEFT] JOIN t ON s.expr = t.key}):
 * checks that {@code t} is a keyed table (a {@code CREATE TABLE … PRIMARY KEY} declaration read from
 * a file or a topic, or an earlier {@code CREATE TABLE … AS} with a key), that ON is one equality of
 * the table's key with an expression of what is on its left, of the same type, and opens the
 * table's source. Each join adds its table's columns (without a {@code _deleted} column, which marks
 * a file table's tombstones) after those on its left; a query may join several tables in a row.
 */
final class JoinPlanner {
    /** One planned join: the relation it adds to the scope and what its operator needs. */
    record TableJoin(Join join, Scope.Relation relation, Eval streamKey, TableState state, int deletedColumn, int[] shownColumns,
                     SourceTableFeed feed, RowErrors tableErrors, JobMetrics tableMetrics, String description) {
    }

    private final PhysicalPlanner.Env env;
    private final Planner.Resolved job;

    JoinPlanner(PhysicalPlanner.Env env, Planner.Resolved job) {
        this.env = env;
        this.job = job;
    }

    /** Refuses what a join with a table cannot be: a time bound (WITHIN) or a RIGHT / FULL join, which are for two streams. */
    static void checkSupported(Join j) {
        if (j.withinMillis() != null) {
            throw new SqlException(j.pos(), "a join with a table has no time bound: WITHIN is for stream-stream interval joins; "
                    + "a stream row looks the table up as it is when the row is processed");
        }
        if (j.kind() == Query.JoinType.RIGHT || j.kind() == Query.JoinType.FULL) {
            throw new SqlException(j.pos(), j.kind() + " JOIN is for two streams (an interval join); "
                    + "a stream joins a table with INNER or LEFT JOIN");
        }
    }

    /**
     * Plans {@code j} over the relations on its left ({@code left}, whose columns fill {@code width}
     * batch columns).
     */
    TableJoin plan(Join j, List<Scope.Relation> left, int width) {
        Scan right = (Scan) j.right();
        if (right.source() == null) {
            throw new SqlException(right.pos(), "subqueries in JOIN are not supported yet; join a table by its name");
        }
        String name = right.source();
        Catalog.Entry entry = env.catalog().get(name);
        if (entry == null) {
            entry = referenceTable(j, name, right);
        }
        if (entry == null) {
            throw new SqlException(right.pos(), "unknown table '" + name + "': declare it with CREATE TABLE " + name
                    + " (… PRIMARY KEY, …) WITH ('" + name + ".type' = 'file_source', '" + name + ".path' = '…')");
        }
        if (!entry.table()) {
            throw new SqlException(right.pos(), "'" + name + "' is a stream: after a table join a stream joins a table (CREATE TABLE … "
                    + "PRIMARY KEY, or CREATE TABLE … AS); a stream-stream join is a query's first and only join");
        }
        if (entry.origin().equals(Planner.MEMORY)) {
            throw new SqlException(right.pos(), "'" + name + "' is an in-memory relation and cannot be joined as a table");
        }
        checkSupported(j);
        if (entry.primaryKey() == null) {
            throw new SqlException(right.pos(), "table '" + name + "' has no key to join on: mark one output item PRIMARY KEY in the "
                    + "statement that creates it, or GROUP BY one column");
        }
        for (Scope.Relation r : left) {
            if (sameName(r, right.alias() != null ? right.alias() : name)) {
                throw new SqlException(right.pos(), "'" + (right.alias() != null ? right.alias() : name) + "' names two relations of the "
                        + "join: give one an alias");
            }
        }
        OpenTable t = open(name, entry, right.pos());
        Scope.Relation relation = new Scope.Relation(name, right.alias(), t.shown(), width);
        Eval streamKey = streamKey(j, left, relation, t.schema().field(t.keyColumn()));
        return new TableJoin(j, relation, streamKey, t.state(), t.deletedColumn(), t.shownColumns(), t.feed(), t.errors(), t.metrics(),
                t.description());
    }

    /**
     * A keyed table opened for reading: the schema of its rows and its key, the columns a query sees
     * (all but {@code _deleted}), its feed, an empty state, and its own counters and failure handling.
     */
    record OpenTable(Schema schema, int keyColumn, int deletedColumn, int[] shownColumns, Schema shown, SourceTableFeed feed,
                     TableState state, RowErrors errors, JobMetrics metrics, String description) {
    }

    /** Opens table {@code name} (a keyed table of the catalog) read by the query at {@code pos}; its counters join the job's. */
    OpenTable open(String name, Catalog.Entry entry, io.velo.sql.ast.Pos pos) {
        var props = job.props();
        SourceType type = Planner.sourceType(name, entry, props, pos);
        if (type == MemorySourceType.INSTANCE) {
            throw new SqlException(pos, "'" + name + "' is an in-memory relation and cannot be joined as a table");
        }
        String format = props.get(name + ".format", entry.sinkFormat() != null ? entry.sinkFormat() : "json").toLowerCase(Locale.ROOT);
        props.addConnectorDefaults(name, type.defaults());
        type.format(props, name, format);
        Schema schema = SourceSchemas.resolve(name, entry, props, type.samplesFiles(), format, pos, env.baseDir());
        int keyColumn = schema.indexOf(entry.primaryKey());
        if (keyColumn < 0) {
            throw new SqlException(pos, "table '" + name + "': its key '" + entry.primaryKey() + "' is not one of its columns (" + schema + ")");
        }
        int deleted = schema.indexOf("_deleted");
        if (deleted >= 0 && schema.field(deleted).type().kind != DataType.Kind.BOOLEAN) {
            throw new SqlException(pos, "table '" + name + "': '_deleted' marks tombstones and must be BOOLEAN, not "
                    + schema.field(deleted).type());
        }
        List<Field> shown = new ArrayList<>();
        int[] shownColumns = new int[schema.size() - (deleted >= 0 ? 1 : 0)];
        for (int c = 0, k = 0; c < schema.size(); c++) {
            if (c != deleted) {
                shownColumns[k++] = c;
                shown.add(schema.field(c));
            }
        }
        // the table's own counters and failure handling: its records are no input records of the job
        JobMetrics tableMetrics = new JobMetrics();
        FailureHandler failures = new FailureHandler(job.jobName(), job.failures().strategy(), job.failures().deadLetters(), env.log(),
                tableMetrics);
        SourceType.Context ctx = new SourceType.Context(name, schema, props, format, -1, job.batching(), new TextFieldDecoder(job.rounding()),
                failures, tableMetrics, job.jobName(), env.kafka(), env.baseDir(), entry, pos, env.paths());
        Source source;
        java.util.function.BooleanSupplier caughtUp = null;
        Runnable markEnd = null;
        if (type instanceof KafkaSourceType k) {
            io.velo.connector.kafka.KafkaTableSource ks = k.createTable(ctx, keyColumn);
            caughtUp = ks::caughtUp;
            markEnd = ks::markEnd;
            source = ks;
        } else {
            source = type.create(ctx);
        }
        int cap = Math.max(1, Math.min(job.batching().maxRecords(), 4096));
        SourceTableFeed feed = new SourceTableFeed(source, new BatchPool(schema, cap, 2), caughtUp, markEnd, failures);
        String description = type.describe(ctx, source) + ", a table keyed by " + schema.field(keyColumn).name()
                + (deleted >= 0 ? " (_deleted rows delete)" : "");
        TableState state = new TableState(schema, keyColumn);
        job.metrics().addPart("table " + name, () -> tableMetrics.recordsIn() + " records read, " + tableMetrics.failed() + " failed"
                + (tableMetrics.deadLettered() > 0 ? " (" + tableMetrics.deadLettered() + " dead-lettered)" : "") + ", "
                + state.size() + " keys");
        return new OpenTable(schema, keyColumn, deleted, shownColumns, new Schema(shown), feed, state, new RowErrors(failures), tableMetrics,
                description);
    }

    /**
     * A file-backed reference table named only in the statement's WITH ({@code 't.type' = 'file_source'},
     * its path there or in its config file), as the original engine's demos join them: a keyed table
     * read from the file, keyed by {@code 't.key.field'} or else by the table's column in the ON
     * equality. Null when the WITH names no such file source.
     */
    private Catalog.Entry referenceTable(Join j, String name, Scan right) {
        if (!isReferenceTable(job, name)) {
            return null;
        }
        String key = job.props().get(name + ".key.field");
        if (key == null) {
            String qualifier = right.alias() != null ? right.alias() : name;
            if (j.condition() instanceof Expr.Binary b && b.op().equals("=")) {
                for (Expr side : List.of(b.left(), b.right())) {
                    if (side instanceof Expr.ColumnRef c && c.qualifier() != null && c.qualifier().equalsIgnoreCase(qualifier)) {
                        key = c.name();
                    }
                }
            }
        }
        if (key == null) {
            throw new SqlException(j.condition().pos(), "reference table '" + name + "' (a file_source in WITH) is looked up by a key: "
                    + "join it ON <expression> = " + (right.alias() != null ? right.alias() : name) + ".<key column>, or set '" + name
                    + ".key.field'");
        }
        return referenceTableEntry(name, key);
    }

    /** Whether {@code name} is a file-backed table named only in the statement's WITH ({@code '<name>.type' = 'file_source'}). */
    static boolean isReferenceTable(Planner.Resolved job, String name) {
        return FileSourceType.NAME.equals(job.props().get(name + ".type"));
    }

    /** The catalogue entry of such a table, keyed by {@code key}: read from its file as a keyed table. */
    static Catalog.Entry referenceTableEntry(String name, String key) {
        return new Catalog.Entry(name, true, null, List.of(), "reference table in WITH", null, null, key);
    }

    private static boolean sameName(Scope.Relation r, String name) {
        return name.equalsIgnoreCase(r.alias() != null ? r.alias() : r.name());
    }

    /**
     * The stream side of {@code ON a = b}: one side must name the table's key column, the other is
     * compiled over the relations on the left, and both must have the same type.
     */
    private Eval streamKey(Join j, List<Scope.Relation> left, Scope.Relation table, Field key) {
        Expr on = j.condition();
        String tableName = table.alias() != null ? table.alias() : table.name();
        String want = "ON <expression of " + describe(left) + "> = " + tableName + "." + key.name();
        if (!(on instanceof Expr.Binary b) || !b.op().equals("=")) {
            throw new SqlException(on.pos(), "a join with table '" + table.name() + "' is one equality on its key: " + want
                    + " (other conditions go in WHERE)");
        }
        List<Scope.Relation> all = new ArrayList<>(left);
        all.add(table);
        Scope joint = new Scope(all);
        Expr tableSide = null;
        Expr streamSide = null;
        for (int side = 0; side < 2 && tableSide == null; side++) {
            Expr t = side == 0 ? b.right() : b.left();
            if (t instanceof Expr.ColumnRef c && refersTo(joint.resolve(c), table)) {
                tableSide = t;
                streamSide = side == 0 ? b.left() : b.right();
            }
        }
        if (tableSide == null) {
            throw new SqlException(on.pos(), "the join condition must compare the key of table '" + table.name() + "': " + want);
        }
        Expr.ColumnRef keyRef = (Expr.ColumnRef) tableSide;
        if (!keyRef.name().equalsIgnoreCase(key.name())) {
            throw new SqlException(keyRef.pos(), "'" + keyRef.name() + "' is not the key of table '" + table.name() + "' (its PRIMARY KEY is '"
                    + key.name() + "'): a table is looked up by its key, " + want);
        }
        new ExprCompiler(joint, job.rounding()).compile(streamSide); // an unqualified column of both sides is ambiguous here too
        Eval e;
        try {
            e = new ExprCompiler(new Scope(left), job.rounding()).compile(streamSide);
        } catch (SqlException ex) {
            throw new SqlException(ex.pos(), ex.getMessage() + " (the other side of the join condition is an expression of "
                    + describe(left) + ", looked up in table '" + table.name() + "')");
        }
        DataType kt = key.type();
        boolean same = e.type.kind == kt.kind && e.type.kind != DataType.Kind.ARRAY && e.type.kind != DataType.Kind.MAP;
        if (!same) {
            throw new SqlException(on.pos(), "the join compares " + SqlPrinter.print(streamSide) + " (" + e.type + ") with the key "
                    + tableName + "." + key.name() + " (" + kt + "): the types must match; CAST the "
                    + describe(left) + " side to " + kt);
        }
        return e;
    }

    private static boolean refersTo(Scope.Resolved r, Scope.Relation table) {
        return r.system() == null && r.index() >= table.offset() && r.index() < table.offset() + table.schema().size();
    }

    private static String describe(List<Scope.Relation> left) {
        StringBuilder sb = new StringBuilder();
        for (Scope.Relation r : left) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.alias() != null ? r.alias() : r.name());
        }
        return sb.toString();
    }

    /** The join operators in front of {@code next}, the first (next to the stream) outermost; {@code built} gets them in order. */
    static Operator operators(List<TableJoin> joins, Schema streamSchema, Operator next, RowErrors errors, JobMetrics metrics,
                              List<StreamTableJoinOperator> built) {
        return operators(joins, streamSchema, next, errors, metrics, built, null);
    }

    /**
     * As above; with {@code plan} (the query's logical plan) each join gathers only the table columns
     * the rest of the query may read ({@link ColumnUse}; its own ON is looked up by key, not read).
     */
    static Operator operators(List<TableJoin> joins, Schema streamSchema, Operator next, RowErrors errors, JobMetrics metrics,
                              List<StreamTableJoinOperator> built, Object plan) {
        List<Schema> outSchemas = new ArrayList<>();
        List<Field> fields = new ArrayList<>(streamSchema.fields());
        for (TableJoin t : joins) {
            fields.addAll(t.relation().schema().fields());
            outSchemas.add(new Schema(fields));
        }
        Operator op = next;
        StreamTableJoinOperator[] ops = new StreamTableJoinOperator[joins.size()];
        for (int i = joins.size() - 1; i >= 0; i--) {
            TableJoin t = joins.get(i);
            ops[i] = new StreamTableJoinOperator(t.streamKey(), t.state(), t.deletedColumn(), t.shownColumns(),
                    t.join().kind() == Query.JoinType.LEFT, outSchemas.get(i), op, errors, t.tableErrors(), metrics, t.feed());
            if (plan != null) {
                ops[i].keepColumns(ColumnUse.of(plan, t.relation(), t.join().condition()));
            }
            op = ops[i];
        }
        built.addAll(List.of(ops));
        return op;
    }
}
