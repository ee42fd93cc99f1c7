package io.velo.plan;

import io.velo.exec.agg.Aggregator;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.Eval;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Chains;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;

/**
 * Plans GROUP BY, windows and aggregates: the key and argument evaluators, the aggregators, the
 * aggregation's output layout (keys, results, window bounds), and the compiler that reads SELECT and
 * HAVING against that layout (group expressions and aggregate calls matched by their text).
 */
final class AggregatePlanner {
    private AggregatePlanner() {
    }

    /** {@code GROUP BY 2} / {@code ORDER BY 2}: the second SELECT item's expression, as in PostgreSQL. */
    static Expr positional(Expr e, List<Query.SelectItem> items, String clause) {
        if (!(e instanceof Expr.Literal lit) || lit.kind() != Expr.LiteralKind.INTEGER) {
            return e;
        }
        long n = (Long) lit.value();
        if (n < 1 || n > items.size()) {
            throw new SqlException(e.pos(), clause + " position " + n + " is not in the select list (1 to " + items.size() + ")");
        }
        Query.SelectItem item = items.get((int) n - 1);
        if (item.star()) {
            throw new SqlException(e.pos(), clause + " position " + n + " refers to *");
        }
        return item.expr();
    }

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
        walk(e, x -> {
            if (x instanceof Expr.Call c && isAggregateCall(c)) {
                out.add(c);
                return false;
            }
            return true;
        });
    }

    static boolean isAggregateCall(Expr.Call c) {
        io.velo.expr.fn.FunctionDef d = io.velo.expr.fn.FunctionRegistry.lookup(c.name());
        return d != null && c.over() == null && (d.kind() == io.velo.expr.fn.FunctionKind.AGGREGATE
                || d.kind() == io.velo.expr.fn.FunctionKind.AGGREGATE_OR_ANALYTIC);
    }

    /** Visits {@code e} and its subexpressions, depth first; {@code visit} returning false skips the children. */
    static void walk(Expr e, java.util.function.Predicate<Expr> visit) {
        if (e == null || !visit.test(e)) {
            return;
        }
        if (e instanceof Expr.Call c) {
            c.args().forEach(a -> walk(a, visit));
        } else if (e instanceof Expr.Unary u) {
            walk(u.operand(), visit);
        } else if (e instanceof Expr.Binary b) {
            // a chain's spine with a loop, in the recursive order: its nodes top down (a node the
            // visitor refuses hides what is below it), the first operand, the right operands bottom up
            List<Expr.Binary> spine = Chains.spine(b);
            int lowest = spine.size() - 1;
            while (lowest > 0 && visit.test(spine.get(lowest - 1))) {
                lowest--;
            }
            if (lowest == 0) {
                walk(spine.get(0).left(), visit);
            }
            for (int i = lowest; i < spine.size(); i++) {
                walk(spine.get(i).right(), visit);
            }
        } else if (e instanceof Expr.Between b) {
            walk(b.value(), visit);
            walk(b.low(), visit);
            walk(b.high(), visit);
        } else if (e instanceof Expr.InList in) {
            walk(in.value(), visit);
            in.list().forEach(a -> walk(a, visit));
        } else if (e instanceof Expr.Like l) {
            walk(l.value(), visit);
            walk(l.pattern(), visit);
        } else if (e instanceof Expr.IsNull n) {
            walk(n.value(), visit);
        } else if (e instanceof Expr.Case c) {
            walk(c.operand(), visit);
            for (Expr.When w : c.whens()) {
                walk(w.condition(), visit);
                walk(w.result(), visit);
            }
            walk(c.otherwise(), visit);
        } else if (e instanceof Expr.Cast c) {
            walk(c.value(), visit);
        }
    }

    /**
     * Which output items of an aggregation are its key: items without an aggregate (group columns,
     * window bounds, expressions of them), also through a select alias. A retraction carries these.
     * {@code _event_time} items are not output columns and are skipped, as the projection does.
     */
    static boolean[] keyItems(List<Query.SelectItem> items, List<Expr> groupBy, Schema srcSchema) {
        Map<String, Expr> aliases = new LinkedHashMap<>();
        for (Query.SelectItem it : items) {
            if (it.alias() != null && it.expr() != null && srcSchema.indexOf(it.alias()) < 0) {
                aliases.putIfAbsent(it.alias().toLowerCase(Locale.ROOT), it.expr());
            }
        }
        Set<String> groupNames = new HashSet<>();
        for (Expr g : groupBy) {
            if (g instanceof Expr.ColumnRef c) {
                groupNames.add(c.name().toLowerCase(Locale.ROOT));
            }
        }
        List<Boolean> keys = new ArrayList<>();
        for (Query.SelectItem it : items) {
            if (it.alias() != null && it.alias().equalsIgnoreCase("_event_time")) {
                continue;
            }
            keys.add(!dependsOnAggregate(it.expr(), aliases, groupNames, new HashSet<>()));
        }
        boolean[] out = new boolean[keys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = keys.get(i);
        }
        return out;
    }

    private static boolean dependsOnAggregate(Expr e, Map<String, Expr> aliases, Set<String> groupNames, Set<String> expanding) {
        boolean[] found = new boolean[1];
        walk(e, x -> {
            if (found[0]) {
                return false;
            }
            if (x instanceof Expr.Call c && isAggregateCall(c)) {
                found[0] = true;
                return false;
            }
            if (x instanceof Expr.ColumnRef c && c.qualifier() == null) {
                String n = c.name().toLowerCase(Locale.ROOT);
                Expr aliased = aliases.get(n);
                if (aliased != null && aliased != e && !groupNames.contains(n) && expanding.add(n)) {
                    found[0] = dependsOnAggregate(aliased, aliases, groupNames, expanding);
                }
            }
            return true;
        });
        return found[0];
    }

    static final class Parts {
        Eval[] keys;
        Aggregator[] aggregators;
        /** Where each aggregate's call is in the query (for errors about it). */
        io.velo.sql.ast.Pos[] positions;
        Eval[] args;
        /** TUMBLING: the window size; 0 without a window and for SLIDING and SESSION windows (see {@link #window}). */
        long windowSize;
        Query.WindowSpec window;
        Eval timeColumn;
        Schema outSchema;
        ExprCompiler compiler;
        io.velo.expr.eval.BatchPredicate having;
    }

    /**
     * Compiles the aggregation {@code node} of a query selecting {@code items} and filtering groups by
     * {@code having} (null when none): its keys and arguments read the input through {@code in}.
     */
    static Parts plan(io.velo.plan.logical.Aggregate node, List<Query.SelectItem> items, Expr having, ExprCompiler in,
                      Schema srcSchema, DecimalRounding rounding) {
        Parts p = new Parts();
        List<Field> fields = new ArrayList<>();
        Map<String, Integer> keyIndex = new LinkedHashMap<>();
        Map<String, Integer> keyByName = new LinkedHashMap<>();
        List<Eval> keys = new ArrayList<>();
        for (Expr g0 : node.keys()) {
            Expr g = positional(g0, items, "GROUP BY");
            if (containsAggregate(g)) {
                throw new SqlException(g0.pos(), "aggregate functions are not allowed in GROUP BY");
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
        for (Query.SelectItem it : items) {
            if (it.star()) {
                throw new SqlException(it.pos(), "SELECT * cannot be used with GROUP BY or aggregates");
            }
            collectAggregates(it.expr(), calls);
        }
        if (having != null) {
            collectAggregates(having, calls);
        }
        Map<String, Integer> aggIndex = new LinkedHashMap<>();
        List<Aggregator> aggs = new ArrayList<>();
        List<io.velo.sql.ast.Pos> callPositions = new ArrayList<>();
        List<Eval> args = new ArrayList<>();
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
            if (node.window() != null && node.window().kind() == Query.WindowKind.SESSION && !agg.canMerge()) {
                throw new SqlException(c.pos(), c.name() + " cannot be used over SESSION windows: a record that bridges two "
                        + "sessions merges their states, and " + c.name() + " keeps its values in arrival order");
            }
            aggIndex.put(text, aggs.size());
            aggs.add(agg);
            callPositions.add(c.pos());
            args.add(arg);
            fields.add(new Field("$agg" + (aggs.size() - 1), agg.resultType));
        }
        long windowSize = 0;
        Eval timeColumn = null;
        Query.WindowSpec window = node.window();
        if (window != null) {
            windowSize = window.kind() == Query.WindowKind.TUMBLING ? window.size() : 0;
            if (window.timeColumn() != null) {
                timeColumn = in.compile(window.timeColumn());
                if (timeColumn.type.kind == DataType.Kind.DATE) {
                    timeColumn = in.coerce(timeColumn, DataType.TIMESTAMP);
                }
                if (timeColumn.type.kind != DataType.Kind.TIMESTAMP && timeColumn.type.kind != DataType.Kind.BIGINT) {
                    throw new SqlException(window.timeColumn().pos(), "the window time column must be a TIMESTAMP, a DATE or epoch millis BIGINT, got " + timeColumn.type);
                }
            }
            fields.add(new Field("_window_start", DataType.TIMESTAMP));
            fields.add(new Field("_window_end", DataType.TIMESTAMP));
        }
        Schema outSchema = new Schema(fields);
        Scope outScope = new Scope("aggregate", null, outSchema);
        int keyCount = keys.size();
        final long ws = windowSize;
        final boolean windowed = window != null;
        final Query.WindowKind windowKind = window == null ? null : window.kind();
        Map<String, Expr> aliases = new LinkedHashMap<>();
        for (Query.SelectItem it : items) {
            if (it.alias() != null && it.expr() != null && srcSchema.indexOf(it.alias()) < 0) {
                aliases.putIfAbsent(it.alias().toLowerCase(Locale.ROOT), it.expr());
            }
        }
        Set<String> expanding = new HashSet<>();
        ExprCompiler[] self = new ExprCompiler[1];
        int longestKey = 0;
        for (String text : keyIndex.keySet()) {
            longestKey = Math.max(longestKey, text.length());
        }
        for (String text : aggIndex.keySet()) {
            longestKey = Math.max(longestKey, text.length());
        }
        final int keyLimit = longestKey;
        ExprCompiler post = new ExprCompiler(outScope, rounding, e -> {
            // bounded: every prefix of a long chain is tried here, and none can be longer than a key
            String text = SqlPrinter.print(e, keyLimit);
            Integer k = text == null ? null : keyIndex.get(text);
            if (k != null) {
                return new ColumnEval(k, outSchema.field(k).name(), outSchema.field(k).type());
            }
            Integer a = text == null ? null : aggIndex.get(text);
            if (a != null) {
                int idx = keyCount + a;
                return new ColumnEval(idx, outSchema.field(idx).name(), outSchema.field(idx).type());
            }
            if (e instanceof Expr.Call c && windowed && windowKind != Query.WindowKind.TUMBLING
                    && (c.name().equals("TUMBLE_START") || c.name().equals("TUMBLE_END"))) {
                throw new SqlException(c.pos(), c.name() + " gives the bounds of a TUMBLING window; the bounds of this "
                        + windowKind + " window are _window_start and _window_end");
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
                if (windowed && (n.equals("_window_start") || n.equals("_window_end"))) {
                    return null;
                }
                Expr aliased = c.qualifier() == null && !expanding.contains(n) ? aliases.get(n) : null;
                if (aliased != null) {
                    // HAVING n > 1 where n names a select item: the item's expression (as MySQL and ksqlDB allow)
                    expanding.add(n);
                    try {
                        return self[0].compile(aliased);
                    } finally {
                        expanding.remove(n);
                    }
                }
                throw new SqlException(c.pos(), "column '" + c.name() + "' must appear in GROUP BY or inside an aggregate function");
            }
            return null;
        }, "aggregate");
        self[0] = post;
        p.keys = keys.toArray(new Eval[0]);
        p.aggregators = aggs.toArray(new Aggregator[0]);
        p.positions = callPositions.toArray(new io.velo.sql.ast.Pos[0]);
        p.args = args.toArray(new Eval[0]);
        p.windowSize = windowSize;
        p.window = window;
        p.timeColumn = timeColumn;
        p.outSchema = outSchema;
        p.compiler = post;
        p.having = having == null ? null : new io.velo.expr.PredicateCompiler(post).compile(having, "HAVING");
        return p;
    }
}
