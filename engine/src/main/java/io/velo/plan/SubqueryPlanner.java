package io.velo.plan;

import io.velo.exec.agg.Aggregator;
import io.velo.exec.join.LiveTable;
import io.velo.exec.join.TableSubqueryEval;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.Eval;
import io.velo.expr.eval.LogicEval;
import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionRegistry;
import io.velo.plan.logical.Aggregate;
import io.velo.plan.logical.Filter;
import io.velo.plan.logical.LogicalNode;
import io.velo.plan.logical.Project;
import io.velo.plan.logical.Scan;
import io.velo.plan.logical.Subquery;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Chains;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Plans the subqueries of a query's expressions — scalar {@code (SELECT e FROM t …)}, {@code v [NOT]
 * IN (SELECT e FROM t …)}, {@code [NOT] EXISTS (SELECT … FROM t …)} — over a keyed table {@code t} (a
 * {@code CREATE TABLE … PRIMARY KEY} read from a file or a topic, or a {@code CREATE TABLE … AS}),
 * into {@link TableSubqueryEval}s that read the table's current rows ({@link LiveTable}, one per table
 * per query, loaded before the first stream record and kept up to date as the table changes).
 *
 * <p>A column the subquery names is the table's when the table has it (the innermost scope wins), else
 * the outer query's: such a reference makes the subquery correlated. A conjunct {@code t.key = e} of
 * its WHERE, where {@code e} reads no table column and has the key's type, becomes a key lookup (one
 * hash probe per evaluation); without one, the subquery looks at every current row of the table — an
 * uncorrelated subquery once per version of the table, a correlated one for every outer row (a scan:
 * one evaluation per table key; the plan says which). The subquery may aggregate its rows (COUNT, SUM,
 * AVG, MIN, MAX, the statistical aggregates) into one row; GROUP BY, HAVING, ORDER BY, LIMIT, JOIN,
 * windows and subqueries inside a subquery are refused at their position, as is a subquery over a
 * stream (a stream has no current rows to look up).
 */
final class SubqueryPlanner implements ExprCompiler.Subqueries {
    /** One planned subquery, for the plan text: the expression, its table's scan, its text and how it reads the table. */
    record Planned(Expr expr, Scan table, String text, String access) {
    }

    private final PhysicalPlanner.Env env;
    private final Planner.Resolved job;
    private final JoinPlanner opener;
    private final Map<String, LiveTable> live = new LinkedHashMap<>();
    private final Map<String, JoinPlanner.OpenTable> opened = new LinkedHashMap<>();
    private final List<Planned> planned = new ArrayList<>();

    SubqueryPlanner(PhysicalPlanner.Env env, Planner.Resolved job) {
        this.env = env;
        this.job = job;
        this.opener = new JoinPlanner(env, job);
    }

    /** Whether the query has subqueries over tables. */
    boolean any() {
        return !live.isEmpty();
    }

    /** The tables the subqueries read, each once. */
    List<LiveTable> tables() {
        return new ArrayList<>(live.values());
    }

    @Override
    public Eval compile(Expr e, ExprCompiler outer) {
        Query q;
        TableSubqueryEval.Form form;
        boolean negated = false;
        if (e instanceof Expr.ScalarSubquery s) {
            q = s.query();
            form = TableSubqueryEval.Form.SCALAR;
        } else if (e instanceof Expr.InSubquery in) {
            q = in.query();
            form = TableSubqueryEval.Form.IN;
            negated = in.negated();
        } else {
            Expr.Exists ex = (Expr.Exists) e;
            q = ex.query();
            form = TableSubqueryEval.Form.EXISTS;
            negated = ex.negated();
        }
        checkClauses(q, form);
        Query.FromItem from = q.from();
        String name = from.name();
        Catalog.Entry entry = table(name, from, q);
        String key = name.toLowerCase(Locale.ROOT);
        JoinPlanner.OpenTable t = opened.get(key);
        if (t == null) {
            t = opener.open(name, entry, from.pos());
            opened.put(key, t);
            live.put(key, new LiveTable(name, t.state(), t.deletedColumn(), t.errors(), t.feed()));
        }
        LiveTable table = live.get(key);
        Inner inner = new Inner(new Scope(List.of(new Scope.Relation(name, from.alias(), t.shown(), 0))), outer, name, from.alias());
        ExprCompiler plain = inner.compiler(x -> null);

        // WHERE: a conjunct t.key = <no table column> of the key's type is the lookup, the rest the condition
        String keyName = t.schema().field(t.keyColumn()).name();
        int keyIndex = t.shown().indexOf(keyName);
        DataType keyType = t.shown().field(keyIndex).type();
        Eval lookup = null;
        String lookupText = null;
        List<Eval> rest = new ArrayList<>();
        for (Expr c : conjuncts(q.where())) {
            if (lookup == null && c instanceof Expr.Binary b && b.op().equals("=")) {
                for (int side = 0; side < 2 && lookup == null; side++) {
                    Expr k = side == 0 ? b.left() : b.right();
                    Expr other = side == 0 ? b.right() : b.left();
                    if (k instanceof Expr.ColumnRef ref && inner.isColumn(ref, keyIndex)) {
                        int before = inner.innerRefs;
                        Eval o = plain.compile(other);
                        if (inner.innerRefs == before && o.type.kind == keyType.kind && keyType.kind != DataType.Kind.ARRAY
                                && keyType.kind != DataType.Kind.MAP) {
                            lookup = o;
                            lookupText = SqlPrinter.print(c);
                        }
                    }
                }
                if (lookup != null) {
                    continue;
                }
            }
            rest.add(plain.compileBoolean(c, "the subquery's WHERE"));
        }
        Eval condition = rest.isEmpty() ? null : rest.size() == 1 ? rest.get(0) : new LogicEval(true, rest.toArray(new Eval[0]));

        // SELECT: one column for a value, aggregates computed over the rows that pass WHERE
        List<Expr> selectedExprs = selectList(q, form, t.shown(), from);
        List<Expr.Call> calls = new ArrayList<>();
        for (Expr x : selectedExprs) {
            AggregatePlanner.collectAggregates(x, calls);
        }
        TableSubqueryEval.Aggregates aggregates = null;
        ExprCompiler select = plain;
        if (!calls.isEmpty()) {
            Map<String, TableSubqueryEval.Result> results = new LinkedHashMap<>();
            List<Aggregator> aggs = new ArrayList<>();
            List<Eval> args = new ArrayList<>();
            for (Expr.Call c : calls) {
                String text = SqlPrinter.print(c);
                if (results.containsKey(text)) {
                    continue;
                }
                switch (c.name()) {
                    case "FIRST_VALUE": case "LAST_VALUE": case "STRING_AGG": case "LISTAGG":
                        throw new SqlException(c.pos(), c.name() + " depends on the order of rows, and a table's current rows have none: "
                                + "not supported in a subquery");
                    default:
                        break;
                }
                FunctionDef def = FunctionRegistry.lookup(c.name());
                ExprCompiler.checkArity(def, c);
                for (Expr a : c.args()) {
                    if (AggregatePlanner.containsAggregate(a)) {
                        throw new SqlException(a.pos(), "aggregate functions cannot be nested");
                    }
                }
                Eval arg = c.star() || c.args().isEmpty() ? null : plain.compile(c.args().get(0));
                Aggregator agg = Aggregates.create(c, arg, job.rounding(), plain);
                aggs.add(agg);
                args.add(arg);
                results.put(text, new TableSubqueryEval.Result(agg.resultType));
            }
            aggregates = new TableSubqueryEval.Aggregates(aggs.toArray(new Aggregator[0]), args.toArray(new Eval[0]),
                    results.values().toArray(new TableSubqueryEval.Result[0]));
            inner.bareColumnsRefused = true;
            select = inner.compiler(x -> x instanceof Expr.Call c ? results.get(SqlPrinter.print(c)) : null);
        }
        Eval selected = null;
        Eval probe = null;
        for (Expr x : selectedExprs) {
            selected = select.compile(x);
        }
        if (form == TableSubqueryEval.Form.EXISTS) {
            selected = null; // compiled for its errors only: EXISTS asks whether there is a row
        } else if (selected.type.kind == DataType.Kind.ARRAY || selected.type.kind == DataType.Kind.MAP) {
            throw new SqlException(selectedExprs.get(0).pos(), "a subquery used as a value cannot give " + selected.type);
        }
        if (form == TableSubqueryEval.Form.IN) {
            Expr.InSubquery in = (Expr.InSubquery) e;
            probe = outer.compile(in.value());
            DataType ct;
            try {
                ct = FunctionRegistry.commonType(probe.type, selected.type, "IN (subquery)");
            } catch (IllegalArgumentException ex) {
                throw new SqlException(in.pos(), ex.getMessage() + " (" + SqlPrinter.print(in.value()) + " is " + probe.type
                        + ", the subquery gives " + selected.type + ")");
            }
            if (ct.kind == DataType.Kind.ARRAY || ct.kind == DataType.Kind.MAP) {
                throw new SqlException(in.pos(), "IN cannot compare values of type " + ct);
            }
            probe = outer.coerce(probe, ct);
            selected = plain.coerce(selected, ct);
        }
        String text = text(q);
        TableSubqueryEval eval = new TableSubqueryEval(form, negated, table, t.shownColumns(), t.shown(),
                inner.outer.toArray(new Eval[0]), inner.refs.values().toArray(new TableSubqueryEval.OuterRef[0]), lookup, condition,
                selected, probe, aggregates, text);
        planned.add(new Planned(e, new Scan(name, from.alias(), from.pos(), t.shown(), null, t.description()), text,
                access(form, negated, name, eval.correlated(), lookupText, condition != null, aggregates != null)));
        return eval;
    }

    /** The clauses a subquery over a table may not have, refused at their position. */
    private static void checkClauses(Query q, TableSubqueryEval.Form form) {
        if (q.from() == null) {
            throw new SqlException(q.pos(), "a subquery needs FROM <table>");
        }
        if (q.from().subquery() != null) {
            throw new SqlException(q.from().pos(), "a subquery reads a table by its name; FROM (subquery) inside a subquery is not supported");
        }
        if (!q.unionAll().isEmpty()) {
            throw new SqlException(q.unionAll().get(0).pos(), "UNION ALL inside a subquery is not supported: a subquery reads one table");
        }
        if (!q.joins().isEmpty()) {
            throw new SqlException(q.joins().get(0).pos(), "JOIN inside a subquery is not supported: a subquery reads one table");
        }
        if (!q.groupBy().isEmpty()) {
            throw new SqlException(q.groupBy().get(0).pos(), "GROUP BY inside a subquery is not supported (aggregates without GROUP BY are)");
        }
        if (q.window() != null) {
            throw new SqlException(q.window().pos(), "a subquery over a table has no windows");
        }
        if (q.having() != null) {
            throw new SqlException(q.having().pos(), "HAVING inside a subquery is not supported");
        }
        if (!q.orderBy().isEmpty()) {
            throw new SqlException(q.orderBy().get(0).expr().pos(), "ORDER BY inside a subquery is not supported: a table's current rows have no order");
        }
        if (q.limit() != null) {
            throw new SqlException(q.pos(), "LIMIT inside a subquery is not supported: a table's current rows have no order");
        }
        if (q.emit() != null) {
            throw new SqlException(q.pos(), "EMIT inside a subquery is not supported: a subquery gives a value, not a changelog");
        }
        if (q.distinct() && form == TableSubqueryEval.Form.SCALAR) {
            throw new SqlException(q.pos(), "SELECT DISTINCT in a scalar subquery is not supported");
        }
    }

    /** The catalogue entry of the subquery's table, refused unless it is a keyed table. */
    private Catalog.Entry table(String name, Query.FromItem from, Query q) {
        Catalog.Entry entry = env.catalog().get(name);
        if (entry == null) {
            entry = referenceTable(name, from, q);
        }
        if (entry == null) {
            throw new SqlException(from.pos(), "unknown table '" + name + "': a subquery reads a keyed table; declare it with CREATE TABLE "
                    + name + " (… PRIMARY KEY, …) WITH ('" + name + ".type' = 'file_source', '" + name + ".path' = '…')");
        }
        if (!entry.table()) {
            throw new SqlException(from.pos(), "'" + name + "' is a stream: a subquery reads a table's current rows (CREATE TABLE … "
                    + "PRIMARY KEY, or CREATE TABLE … AS), and a stream has none to look up; read a stream in FROM (SELECT … FROM "
                    + name + " …) or aggregate it into a CREATE TABLE … AS first");
        }
        if (entry.origin().equals(Planner.MEMORY)) {
            throw new SqlException(from.pos(), "'" + name + "' is an in-memory relation and cannot be read as a table");
        }
        if (entry.primaryKey() == null) {
            throw new SqlException(from.pos(), "table '" + name + "' has no key: mark one output item PRIMARY KEY in the statement "
                    + "that creates it, or GROUP BY one column");
        }
        return entry;
    }

    /**
     * A file-backed table named only in the statement's WITH ({@code 't.type' = 'file_source'}), as the
     * original engine's demos configure the tables their subqueries read (and as a join reads one): keyed
     * by {@code 't.key.field'}, else by the table's column in a WHERE equality, else by the one column the
     * subquery selects. Null when the WITH names no such file source.
     */
    private Catalog.Entry referenceTable(String name, Query.FromItem from, Query q) {
        if (!JoinPlanner.isReferenceTable(job, name)) {
            return null;
        }
        String key = job.props().get(name + ".key.field");
        String qualifier = from.alias() != null ? from.alias() : name;
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        if (q.where() != null) {
            todo.push(q.where());
        }
        while (key == null && !todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Binary b && b.op().equals("AND")) {
                todo.push(b.right());
                todo.push(b.left());
            } else if (x instanceof Expr.Binary b && b.op().equals("=")) {
                for (Expr side : List.of(b.left(), b.right())) {
                    if (side instanceof Expr.ColumnRef c && c.qualifier() != null && c.qualifier().equalsIgnoreCase(qualifier)) {
                        key = c.name();
                    }
                }
            }
        }
        if (key == null && q.items().size() == 1 && !q.items().get(0).star() && q.items().get(0).expr() instanceof Expr.ColumnRef c) {
            key = c.name();
        }
        if (key == null) {
            throw new SqlException(from.pos(), "table '" + name + "' (a file_source in WITH) is read by its key: set '" + name
                    + ".key.field', or compare " + qualifier + ".<key column> in the subquery's WHERE");
        }
        return JoinPlanner.referenceTableEntry(name, key);
    }

    /** The expressions of the SELECT list: one for a value (a star of a one-column table is that column), all for EXISTS. */
    private static List<Expr> selectList(Query q, TableSubqueryEval.Form form, Schema shown, Query.FromItem from) {
        List<Expr> out = new ArrayList<>();
        String qualifier = from.alias() != null ? from.alias() : from.name();
        for (Query.SelectItem it : q.items()) {
            if (it.star()) {
                if (it.starQualifier() != null && !it.starQualifier().equalsIgnoreCase(qualifier)
                        && !it.starQualifier().equalsIgnoreCase(from.name())) {
                    throw new SqlException(it.pos(), "unknown source or alias '" + it.starQualifier() + "' (the subquery reads "
                            + qualifier + ")");
                }
                if (form != TableSubqueryEval.Form.EXISTS) {
                    for (int i = 0; i < shown.size(); i++) {
                        out.add(new Expr.ColumnRef(it.pos(), qualifier, shown.field(i).name()));
                    }
                }
            } else {
                out.add(it.expr());
            }
        }
        if (form != TableSubqueryEval.Form.EXISTS && out.size() != 1) {
            Query.SelectItem at = q.items().size() > 1 ? q.items().get(1) : q.items().get(0);
            throw new SqlException(at.pos(), "a subquery used as a value selects one column; this one selects " + out.size()
                    + (form == TableSubqueryEval.Form.IN ? " (IN compares one value)" : ""));
        }
        return out;
    }

    /** The conjuncts of a WHERE (an AND chain's terms, its spine taken with a loop); none without WHERE. */
    private static List<Expr> conjuncts(Expr where) {
        List<Expr> out = new ArrayList<>();
        if (where == null) {
            return out;
        }
        if (where instanceof Expr.Binary b && b.op().equals("AND")) {
            List<Expr.Binary> spine = Chains.spine(b);
            out.add(spine.get(0).left());
            for (Expr.Binary n : spine) {
                out.add(n.right());
            }
        } else {
            out.add(where);
        }
        return out;
    }

    /** The subquery as written (canonical text). */
    static String text(Query q) {
        StringBuilder sb = new StringBuilder("(SELECT ");
        if (q.distinct()) {
            sb.append("DISTINCT ");
        }
        for (int i = 0; i < q.items().size(); i++) {
            Query.SelectItem it = q.items().get(i);
            sb.append(i > 0 ? ", " : "").append(it.star() ? (it.starQualifier() != null ? it.starQualifier() + ".*" : "*") : SqlPrinter.print(it.expr()));
            if (it.alias() != null) {
                sb.append(" AS ").append(it.alias());
            }
        }
        sb.append(" FROM ").append(q.from().name() != null ? q.from().name() : "(subquery)");
        if (q.from().alias() != null) {
            sb.append(' ').append(q.from().alias());
        }
        if (q.where() != null) {
            sb.append(" WHERE ").append(SqlPrinter.print(q.where()));
        }
        return sb.append(')').toString();
    }

    private static String access(TableSubqueryEval.Form form, boolean negated, String table, boolean correlated, String lookup,
                                 boolean condition, boolean aggregates) {
        String kind = form == TableSubqueryEval.Form.SCALAR ? "scalar" : (negated ? "NOT " : "") + form;
        StringBuilder sb = new StringBuilder(kind).append(" over table ").append(table).append(", ");
        if (!correlated) {
            sb.append("uncorrelated: ").append(lookup != null ? "a key lookup " + lookup : "the table's rows")
                    .append(", computed once and again after each change of the table");
        } else if (lookup != null) {
            sb.append("correlated: a key lookup ").append(lookup).append(" per row").append(condition ? ", then the rest of WHERE on that row" : "");
        } else {
            sb.append("correlated: scans the table's current rows per row (one evaluation per key of the table)");
        }
        return sb.append(aggregates ? ", aggregated" : "").toString();
    }

    /** The plan with a {@link Subquery} node under each node whose expressions hold planned subqueries. */
    LogicalNode annotate(LogicalNode root) {
        if (planned.isEmpty()) {
            return root;
        }
        return root.transformUp(n -> {
            if (n instanceof Filter f) {
                List<Planned> in = within(List.of(f.condition()));
                return in.isEmpty() ? n : new Filter(wrap(f.input(), in), f.condition());
            }
            if (n instanceof Project p) {
                List<Expr> exprs = new ArrayList<>();
                for (Query.SelectItem it : p.items()) {
                    if (!it.star()) {
                        exprs.add(it.expr());
                    }
                }
                List<Planned> in = within(exprs);
                return in.isEmpty() ? n : new Project(wrap(p.input(), in), p.items());
            }
            if (n instanceof Aggregate a) {
                List<Expr> exprs = new ArrayList<>(a.keys());
                exprs.addAll(a.calls());
                List<Planned> in = within(exprs);
                return in.isEmpty() ? n : a.withInputs(List.of(wrap(a.input(), in)));
            }
            return n;
        });
    }

    private List<Planned> within(List<Expr> exprs) {
        List<Planned> out = new ArrayList<>();
        for (Expr e : exprs) {
            AggregatePlanner.walk(e, x -> {
                for (Planned p : planned) {
                    if (p.expr() == x && !out.contains(p)) {
                        out.add(p);
                    }
                }
                return true;
            });
        }
        return out;
    }

    private static LogicalNode wrap(LogicalNode input, List<Planned> subs) {
        LogicalNode n = input;
        for (Planned p : subs) {
            n = new Subquery(n, p.table(), p.text(), p.access());
        }
        return n;
    }

    /**
     * The names a subquery's expressions see: the table's columns first, then the outer query's, each
     * outer value read once per evaluation into an {@link TableSubqueryEval.OuterRef}.
     */
    private final class Inner {
        final Scope scope;
        final ExprCompiler outerCompiler;
        final String table;
        final String alias;
        final List<Eval> outer = new ArrayList<>();
        final Map<String, TableSubqueryEval.OuterRef> refs = new LinkedHashMap<>();
        /** Table columns compiled so far (a lookup's other side must read none). */
        int innerRefs;
        /** In an aggregating subquery's SELECT list a table column must be inside an aggregate. */
        boolean bareColumnsRefused;

        Inner(Scope scope, ExprCompiler outerCompiler, String table, String alias) {
            this.scope = scope;
            this.outerCompiler = outerCompiler;
            this.table = table;
            this.alias = alias;
        }

        /** Whether {@code ref} names column {@code index} of the table. */
        boolean isColumn(Expr.ColumnRef ref, int index) {
            try {
                Scope.Resolved r = scope.resolve(ref);
                return r.system() == null && r.index() == index;
            } catch (SqlException e) {
                return false;
            }
        }

        private boolean namesTable(String qualifier) {
            return qualifier.equalsIgnoreCase(table) || (alias != null && qualifier.equalsIgnoreCase(alias));
        }

        ExprCompiler compiler(Function<Expr, Eval> first) {
            ExprCompiler c = new ExprCompiler(scope, job.rounding(), e -> {
                Eval x = first.apply(e);
                if (x != null || !(e instanceof Expr.ColumnRef ref)) {
                    return x;
                }
                SqlException innerError = null;
                try {
                    Scope.Resolved r = scope.resolve(ref);
                    if (r.system() == null) {
                        if (bareColumnsRefused) {
                            throw new SqlException(ref.pos(), "column '" + ref.name() + "' of table '" + table + "' must be inside an "
                                    + "aggregate: the subquery aggregates the table's rows into one");
                        }
                        innerRefs++;
                        return null;
                    }
                    if (ref.qualifier() != null && namesTable(ref.qualifier())) {
                        throw new SqlException(ref.pos(), "a table's rows have no system column '" + ref.name() + "'");
                    }
                } catch (SqlException ex) {
                    if (ex.getMessage().startsWith("column '") || ex.getMessage().startsWith("a table's rows")) {
                        throw ex;
                    }
                    innerError = ref.qualifier() != null && !namesTable(ref.qualifier()) ? null : ex; // t.x of the outer t: its error is the outer's
                }
                Eval o;
                try {
                    o = outerCompiler.compile(ref);
                } catch (SqlException ex) {
                    throw innerError != null ? new SqlException(innerError.pos(), innerError.getMessage()
                            + "; nor is it a column of the outer query") : ex;
                }
                String key = SqlPrinter.print(ref).toLowerCase(Locale.ROOT);
                TableSubqueryEval.OuterRef r = refs.get(key);
                if (r == null) {
                    r = new TableSubqueryEval.OuterRef(o.type);
                    refs.put(key, r);
                    outer.add(o);
                }
                return r;
            }, null);
            return c.subqueries((sub, o) -> {
                throw new SqlException(sub.pos(), "a subquery inside a subquery is not supported");
            });
        }
    }
}
