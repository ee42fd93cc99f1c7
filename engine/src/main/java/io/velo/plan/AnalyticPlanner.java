package io.velo.plan;

import io.velo.exec.AnalyticOperator;
import io.velo.exec.agg.Aggregator;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.ConstEval;
import io.velo.expr.eval.Eval;
import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionKind;
import io.velo.expr.fn.FunctionRegistry;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.types.DataType;
import io.velo.types.Field;
import io.velo.types.Schema;
import io.velo.types.decimal.DecimalRounding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Plans analytic functions ({@code f(…) OVER (…)}) over a stream; see {@link AnalyticOperator} for
 * what they compute. Decided and checked here, before the job starts:
 * <ul>
 *   <li>Every OVER of a query has the same PARTITION BY and ORDER BY (frames may differ).</li>
 *   <li>ORDER BY takes one ascending key: rows are taken in arrival order, which must follow it (a
 *       row out of order is late). LAG, LEAD, ROW_NUMBER, RANK and DENSE_RANK need it. Without it an
 *       aggregate's frame counts rows in arrival order (default: the partition's rows so far); with it
 *       the default frame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included).</li>
 *   <li>Frames: ROWS offsets count rows; RANGE offsets need a BIGINT key (a number) or a TIMESTAMP key
 *       (an interval). UNBOUNDED FOLLOWING would hold every row until the input ends and is refused,
 *       as is a frame that starts after it ends. {@code ROWS WINDOW BUFFER n ROWS} is the frame of the
 *       current row and the n−1 before it, and LAG/LEAD may reach at most n−1 rows away.</li>
 *   <li>Analytic functions belong in the SELECT list: not in WHERE, GROUP BY, HAVING or ORDER BY, nor
 *       in a query that aggregates.</li>
 * </ul>
 */
final class AnalyticPlanner {
    private AnalyticPlanner() {
    }

    /**
     * In SQL a window function of a grouped query runs over the groups, so what its OVER reads must be
     * grouped or aggregated; an OVER reading a plain input column there is the query's own error, named
     * at that column.
     */
    private static void ungroupedInOver(Query q, List<Expr.Call> calls) {
        Set<String> grouped = new HashSet<>();
        for (Expr g : q.groupBy()) {
            grouped.add(SqlPrinter.print(g).toLowerCase(java.util.Locale.ROOT));
            if (g instanceof Expr.ColumnRef c) {
                grouped.add(c.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        for (Expr.Call c : calls) {
            List<Expr.ColumnRef> refs = new ArrayList<>();
            plainColumns(c, refs);
            refs.sort(java.util.Comparator.comparingInt((Expr.ColumnRef r) -> r.pos().offset()));
            for (Expr.ColumnRef r : refs) {
                if (!grouped.contains(r.name().toLowerCase(java.util.Locale.ROOT))
                        && !grouped.contains(SqlPrinter.print(r).toLowerCase(java.util.Locale.ROOT))) {
                    throw new SqlException(r.pos(), SqlPrinter.print(c) + " is in a query that "
                            + (q.groupBy().isEmpty() ? "aggregates" : "groups by " + q.groupBy().stream().map(SqlPrinter::print)
                                    .collect(java.util.stream.Collectors.joining(", ")))
                            + ", but it reads '" + SqlPrinter.print(r) + "', which is neither grouped nor aggregated: a window "
                            + "function of a grouped query runs over its groups, not over the input rows");
                }
            }
        }
    }

    /** The column references of {@code root} outside aggregate calls (iterative: expressions may be very deep). */
    private static void plainColumns(Expr.Call root, List<Expr.ColumnRef> out) {
        java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object node = todo.pop();
            if (node instanceof Expr.ColumnRef c) {
                out.add(c);
            } else if (node != root && node instanceof Expr.Call call && AggregatePlanner.isAggregateCall(call)) {
                continue;
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

    /**
     * The analytic calls of the SELECT list, each once by its text, in the order first met; refuses
     * them where they cannot be, at their position.
     */
    static List<Expr.Call> calls(Query q) {
        refuseIn(q.where(), "WHERE", "they are computed after WHERE filtered the rows");
        for (Expr g : q.groupBy()) {
            refuseIn(g, "GROUP BY", "a query either groups rows or computes analytic functions over them");
        }
        refuseIn(q.having(), "HAVING", "HAVING filters groups of an aggregation");
        for (Expr.OrderItem o : q.orderBy()) {
            refuseIn(o.expr(), "ORDER BY", "order by the select item's alias instead");
        }
        List<Expr.Call> all = new ArrayList<>();
        for (Query.SelectItem it : q.items()) {
            if (!it.star()) {
                collect(it.expr(), all);
            }
        }
        if (all.isEmpty()) {
            return List.of();
        }
        if (!q.groupBy().isEmpty() || q.window() != null || AggregatePlanner.hasAggregate(q)) {
            ungroupedInOver(q, all);
            Pos at = !q.groupBy().isEmpty() ? q.groupBy().get(0).pos() : q.window() != null ? q.window().pos() : all.get(0).pos();
            throw new SqlException(at, "analytic functions (" + SqlPrinter.print(all.get(0)) + ") cannot be combined with GROUP BY, "
                    + "a WINDOW or aggregates in one query");
        }
        Set<String> seen = new HashSet<>();
        List<Expr.Call> calls = new ArrayList<>();
        for (Expr.Call c : all) {
            if (seen.add(SqlPrinter.print(c))) {
                calls.add(c);
            }
        }
        return calls;
    }

    private static void refuseIn(Expr e, String clause, String why) {
        List<Expr.Call> found = new ArrayList<>();
        collect(e, found);
        if (!found.isEmpty()) {
            throw new SqlException(found.get(0).over().pos(), "analytic functions (OVER) are not allowed in " + clause + ": " + why);
        }
    }

    private static void collect(Expr e, List<Expr.Call> out) {
        AggregatePlanner.walk(e, x -> {
            if (x instanceof Expr.Call c && c.over() != null) {
                out.add(c);
                return false;
            }
            return true;
        });
    }

    /** One analytic operator: the calls of one PARTITION BY and ORDER BY, its parts and its output layout. */
    static final class Stage {
        Eval[] partitionKeys;
        Eval orderKey;
        String orderText;
        boolean descending;
        /** Whether rows must arrive in the ORDER BY key's order (a row out of it is late). */
        boolean ordered;
        Eval[] values;
        AnalyticOperator.Fn[] fns;
        /** Its input's columns, then one per call. */
        Schema outSchema;
        String spec;
        String note;
        boolean looksAhead;
    }

    /** The compiled analytic stages, in the order they run, and the compiler that reads SELECT against the last one's output. */
    static final class Parts {
        List<Stage> stages = new ArrayList<>();
        ExprCompiler compiler;
        String note;
    }

    /**
     * Compiles {@code node}'s calls over rows of {@code srcSchema} read through {@code in}: one stage per
     * distinct PARTITION BY and ORDER BY, each appending its calls' columns to the rows it passes on.
     * Stages that hold rows back (LEAD, frames ending after the current row) pass a partition's rows on
     * in order but rows of different partitions in the order they complete, which a later stage's
     * ORDER BY would find out of order: such a stage runs last, and a query may have one.
     */
    static Parts plan(io.velo.plan.logical.Analytic node, ExprCompiler in, io.velo.sql.validate.Scope scope, Schema srcSchema,
                      DecimalRounding rounding) {
        Map<String, List<Expr.Call>> bySpec = new LinkedHashMap<>();
        for (Expr.Call c : node.calls()) {
            bySpec.computeIfAbsent(specText(c.over()), k -> new ArrayList<>()).add(c);
        }
        List<Stage> planned = new ArrayList<>();
        for (Map.Entry<String, List<Expr.Call>> e : bySpec.entrySet()) {
            planned.add(stage(e.getValue(), in, rounding, 0));
        }
        // those that hold rows back last; at most one
        List<Stage> order = new ArrayList<>();
        Stage ahead = null;
        for (int i = 0; i < planned.size(); i++) {
            Stage st = planned.get(i);
            if (!st.looksAhead) {
                order.add(st);
            } else if (ahead == null) {
                ahead = st;
            } else {
                List<Expr.Call> calls = bySpec.get(st.spec);
                throw new SqlException(calls.get(0).over().pos(), "two OVER (…) of one query hold rows back for what follows them ("
                        + SqlPrinter.print(bySpec.get(ahead.spec).get(0)) + " and " + SqlPrinter.print(calls.get(0)) + "): the second would "
                        + "take the first's rows out of arrival order; give one of them ORDER BY and PARTITION BY of the other, or "
                        + "compute it in a later query (not supported yet)");
            }
        }
        if (ahead != null) {
            order.add(ahead);
        }
        // compiled again in their running order: each over the previous one's output
        Parts p = new Parts();
        Map<String, Integer> index = new LinkedHashMap<>();
        int width = srcSchema.size();
        Schema last = srcSchema;
        List<String> notes = new ArrayList<>();
        for (Stage first : order) {
            List<Expr.Call> calls = bySpec.get(first.spec);
            Stage st = stage(calls, in, rounding, width);
            List<Field> fields = new ArrayList<>(last.fields());
            for (int f = 0; f < st.fns.length; f++) {
                index.put(SqlPrinter.print(calls.get(f)), width + f);
                fields.add(new Field("$over" + (width + f - srcSchema.size()), st.fns[f].type()));
            }
            st.outSchema = new Schema(fields);
            last = st.outSchema;
            width = fields.size();
            p.stages.add(st);
            notes.add(order.size() == 1 ? st.note : "OVER (" + describeSpec(calls.get(0).over()) + "): " + st.note);
        }
        p.note = String.join("; ", notes);
        int longest = 0;
        for (String t : index.keySet()) {
            longest = Math.max(longest, t.length());
        }
        final int limit = longest;
        Schema out = last;
        p.compiler = new ExprCompiler(scope, rounding, e -> {
            if (!(e instanceof Expr.Call c) || c.over() == null) {
                return null;
            }
            String text = SqlPrinter.print(e, limit);
            Integer k = text == null ? null : index.get(text);
            return k == null ? null : new ColumnEval(k, out.field(k).name(), out.field(k).type());
        }, null);
        return p;
    }

    /** PARTITION BY and ORDER BY as written, for the plan text. */
    private static String describeSpec(Expr.Over o) {
        StringBuilder sb = new StringBuilder();
        if (!o.partitionBy().isEmpty()) {
            sb.append("PARTITION BY ");
            for (int i = 0; i < o.partitionBy().size(); i++) {
                sb.append(i > 0 ? ", " : "").append(SqlPrinter.print(o.partitionBy().get(i)));
            }
        }
        if (!o.orderBy().isEmpty()) {
            sb.append(sb.length() > 0 ? " " : "").append("ORDER BY ");
            for (int i = 0; i < o.orderBy().size(); i++) {
                Expr.OrderItem k = o.orderBy().get(i);
                sb.append(i > 0 ? ", " : "").append(SqlPrinter.print(k.expr())).append(k.descending() ? " DESC" : "");
            }
        }
        return sb.toString();
    }

    private static final Set<String> RANKINGS = Set.of("ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK");

    /** The stage of {@code calls} (one PARTITION BY and ORDER BY) over rows {@code inCols} wide. */
    private static Stage stage(List<Expr.Call> calls, ExprCompiler in, DecimalRounding rounding, int inCols) {
        Expr.Over spec = calls.get(0).over();
        Stage p = new Stage();
        p.spec = specText(spec);
        List<Eval> keys = new ArrayList<>();
        for (Expr k : spec.partitionBy()) {
            Eval e = in.compile(k);
            if (e.type.kind == DataType.Kind.ARRAY || e.type.kind == DataType.Kind.MAP) {
                throw new SqlException(k.pos(), "cannot PARTITION BY a value of type " + e.type);
            }
            keys.add(e);
        }
        p.partitionKeys = keys.toArray(new Eval[0]);
        // the BUFFER form is the original's row buffer: a partition's last n rows as they arrived, never late for it;
        // its ORDER BY orders what its rankings compare, ascending or (rankings only) descending
        boolean allBuffer = true;
        boolean bufferRanks = true;
        for (Expr.Call c : calls) {
            allBuffer &= c.over().bufferRows() != null;
            bufferRanks &= c.over().bufferRows() != null && RANKINGS.contains(c.name().toUpperCase(Locale.ROOT));
        }
        Eval orderKey = null;
        if (!spec.orderBy().isEmpty()) {
            if (spec.orderBy().size() > 1) {
                throw new SqlException(spec.orderBy().get(1).expr().pos(), "OVER (ORDER BY …) over a stream takes one key: rows are taken "
                        + "in arrival order, which must follow it");
            }
            Expr.OrderItem o = spec.orderBy().get(0);
            if (o.descending() && !bufferRanks) {
                throw new SqlException(o.expr().pos(), "OVER (ORDER BY … DESC) cannot be followed by a stream: rows are taken in arrival "
                        + "order, which must ascend in the ORDER BY key (ranking functions in the ROWS WINDOW BUFFER n ROWS form rank a "
                        + "row among its buffer in any order)");
            }
            p.descending = o.descending();
            orderKey = in.compile(o.expr());
            DataType.Kind k = orderKey.type.kind;
            if (k == DataType.Kind.ARRAY || k == DataType.Kind.MAP || k == DataType.Kind.NULL) {
                throw new SqlException(o.expr().pos(), "cannot ORDER BY a value of type " + orderKey.type + " in OVER (…)");
            }
            p.orderText = SqlPrinter.print(o.expr());
        }
        p.orderKey = orderKey;
        p.ordered = orderKey != null && !allBuffer;
        List<Eval> values = new ArrayList<>();
        List<AnalyticOperator.Fn> fns = new ArrayList<>();
        long lookBack = 0;
        long lookAhead = 0;
        boolean running = false;
        boolean rangeRows = false;
        boolean peers = false;
        for (Expr.Call c : calls) {
            AnalyticOperator.Fn fn = function(c, orderKey, in, rounding, values, inCols);
            fns.add(fn);
            switch (fn.kind()) {
                case LAG: lookBack = Math.max(lookBack, fn.offset()); break;
                case LEAD: lookAhead = Math.max(lookAhead, fn.offset()); break;
                case AGGREGATE: {
                    AnalyticOperator.Frame fr = fn.frame();
                    running |= fr.startUnbounded();
                    if (!fr.range()) {
                        lookBack = fr.startUnbounded() ? lookBack : Math.max(lookBack, -fr.start());
                        lookAhead = Math.max(lookAhead, fr.end());
                    } else {
                        rangeRows |= !fr.startUnbounded();
                        peers |= fr.end() >= 0;
                    }
                    break;
                }
                default:
                    if (fn.frame() != null && !fn.frame().startUnbounded()) {
                        lookBack = Math.max(lookBack, -fn.frame().start()); // a ranking over its buffer
                    }
                    break;
            }
        }
        if (orderKey != null) {
            values.add(orderKey);
        }
        p.values = values.toArray(new Eval[0]);
        p.fns = fns.toArray(new AnalyticOperator.Fn[0]);
        p.looksAhead = lookAhead > 0 || peers;
        p.note = note(lookBack, lookAhead, running, rangeRows, peers, spec.orderBy().isEmpty() || !p.ordered);
        if (orderKey != null && !p.ordered) {
            p.note = p.note.replace("; arrival order", "; a buffer of the rows as they arrive (in any order of " + p.orderText
                    + (p.descending ? " DESC" : "") + ")");
        }
        return p;
    }

    /** PARTITION BY and ORDER BY as text: what every OVER of a query must share. */
    private static String specText(Expr.Over o) {
        StringBuilder sb = new StringBuilder();
        for (Expr k : o.partitionBy()) {
            sb.append(SqlPrinter.print(k)).append(", ");
        }
        sb.append("|");
        for (Expr.OrderItem k : o.orderBy()) {
            sb.append(SqlPrinter.print(k.expr())).append(k.descending() ? " DESC" : "").append(", ");
        }
        return sb.toString();
    }

    private static String note(long back, long ahead, boolean running, boolean rangeRows, boolean peers, boolean arrival) {
        List<String> kept = new ArrayList<>();
        kept.add(back > 1 ? "the last " + back + " rows" : "the last row");
        if (running) {
            kept.add("running aggregates");
        }
        if (rangeRows) {
            kept.add("the rows within the RANGE frames");
        }
        String s = String.join(", ", kept);
        if (ahead > 0) {
            s += "; a row waits for " + ahead + " more of its partition (or the end of input)";
        }
        if (peers) {
            s += "; a RANGE frame's row waits for a larger key (or the end of input)";
        }
        return s + (arrival ? "; arrival order" : "; arrival order, which must ascend in the ORDER BY key");
    }

    /** One analytic call: its kind, argument columns, offset and frame; appends what it evaluates per row to {@code values}. */
    private static AnalyticOperator.Fn function(Expr.Call c, Eval orderKey, ExprCompiler in, DecimalRounding rounding, List<Eval> values,
                                                int inCols) {
        FunctionDef def = FunctionRegistry.lookup(c.name());
        if (def == null) {
            throw new SqlException(c.pos(), "unknown function " + c.name() + " (SHOW FUNCTIONS lists them)");
        }
        if (def.kind() == FunctionKind.SCALAR || def.kind() == FunctionKind.AGGREGATE) {
            throw new SqlException(c.over().pos(), c.name() + " is " + (def.kind() == FunctionKind.SCALAR ? "a scalar function" : "an aggregate "
                    + "that has no OVER form") + " and cannot take OVER (…)");
        }
        ExprCompiler.checkArity(def, c);
        Expr.Over over = c.over();
        Long buffer = over.bufferRows();
        if (buffer != null && buffer < 1) {
            throw new SqlException(over.pos(), "ROWS WINDOW BUFFER needs at least 1 row, got " + buffer);
        }
        if (buffer != null && over.frameUnit() != null) {
            throw new SqlException(over.pos(), "OVER (…) takes ROWS WINDOW BUFFER n ROWS or a ROWS/RANGE frame, not both");
        }
        AnalyticOperator.Frame frame = frame(over, orderKey);
        String name = def.name();
        if (def.kind() == FunctionKind.ANALYTIC) {
            if (orderKey == null) {
                throw new SqlException(over.pos(), name + " needs ORDER BY in its OVER (…): which row comes before another is "
                        + "the ORDER BY key's (for arrival order over a file, ORDER BY _offset or a sequence column)");
            }
            if (c.distinct() || c.star()) {
                throw new SqlException(c.pos(), (c.star() ? "* " : "DISTINCT ") + "is not allowed in " + name);
            }
            // in the BUFFER form a ranking ranks the row among its buffer (the row and the n-1 before it) by the ORDER BY key
            AnalyticOperator.Frame ranked = buffer != null ? new AnalyticOperator.Frame(false, false, -(buffer - 1), 0)
                    : new AnalyticOperator.Frame(true, true, 0, 0); // (otherwise a ranking ignores its frame, as in SQL)
            switch (name) {
                case "ROW_NUMBER": return new AnalyticOperator.Fn(AnalyticOperator.Kind.ROW_NUMBER, DataType.BIGINT, -1, -1, 0, null, ranked);
                case "RANK": return new AnalyticOperator.Fn(AnalyticOperator.Kind.RANK, DataType.BIGINT, -1, -1, 0, null, ranked);
                case "DENSE_RANK": return new AnalyticOperator.Fn(AnalyticOperator.Kind.DENSE_RANK, DataType.BIGINT, -1, -1, 0, null, ranked);
                case "PERCENT_RANK":
                    if (buffer == null) {
                        throw new SqlException(over.pos(), "PERCENT_RANK divides by the number of rows ranked, which a stream's partition "
                                + "never settles: rank among a bounded buffer with OVER (ROWS WINDOW BUFFER n ROWS PARTITION BY … ORDER BY …)");
                    }
                    return new AnalyticOperator.Fn(AnalyticOperator.Kind.PERCENT_RANK, DataType.DOUBLE, -1, -1, 0, null, ranked);
                default: return lagLead(c, in, values, inCols, buffer);
            }
        }
        // an aggregate over its frame
        Eval arg = c.star() || c.args().isEmpty() ? null : in.compile(c.args().get(0));
        Aggregator agg = Aggregates.create(c, arg, rounding, in);
        int argCol = -1;
        if (arg != null) {
            argCol = inCols + values.size();
            values.add(arg);
        }
        if (buffer != null) {
            frame = new AnalyticOperator.Frame(false, false, -(buffer - 1), 0);
        }
        return new AnalyticOperator.Fn(AnalyticOperator.Kind.AGGREGATE, agg.resultType, argCol, -1, 0, agg, frame);
    }

    private static AnalyticOperator.Fn lagLead(Expr.Call c, ExprCompiler in, List<Eval> values, int inCols, Long buffer) {
        String name = c.name().toUpperCase(Locale.ROOT);
        Eval arg = in.compile(c.args().get(0));
        long offset = 1;
        if (c.args().size() > 1) {
            Expr o = c.args().get(1);
            Eval oe = in.compile(o);
            if (!(oe instanceof ConstEval) || oe.type.kind != DataType.Kind.BIGINT) {
                throw new SqlException(o.pos(), name + " offset must be a constant integer, got " + SqlPrinter.print(o));
            }
            oe.eval(null, 0);
            if (oe.isNull || oe.l < 0) {
                throw new SqlException(o.pos(), name + " offset must be 0 or more, got " + SqlPrinter.print(o));
            }
            if (oe.l > MAX_OFFSET) {
                throw new SqlException(o.pos(), name + " offset " + oe.l + " would keep that many rows per partition (at most " + MAX_OFFSET + ")");
            }
            offset = oe.l;
        }
        if (buffer != null && offset > buffer - 1) {
            throw new SqlException(c.args().size() > 1 ? c.args().get(1).pos() : c.pos(), name + " offset " + offset + " reaches beyond "
                    + "ROWS WINDOW BUFFER " + buffer + " ROWS (the current row and the " + (buffer - 1) + " before it)");
        }
        Eval dflt = c.args().size() > 2 ? in.compile(c.args().get(2)) : null;
        DataType t = arg.type;
        if (dflt != null) {
            try {
                t = FunctionRegistry.valueType(List.of(arg.type, dflt.type), name + " value and default");
            } catch (IllegalArgumentException e) {
                throw new SqlException(c.args().get(2).pos(), e.getMessage());
            }
        }
        if (t.kind == DataType.Kind.NULL) {
            t = DataType.STRING;
        }
        int argCol = inCols + values.size();
        values.add(in.coerce(arg, t));
        int dfltCol = -1;
        if (dflt != null) {
            dfltCol = inCols + values.size();
            values.add(in.coerce(dflt, t));
        }
        AnalyticOperator.Kind kind = name.equals("LAG") ? AnalyticOperator.Kind.LAG : AnalyticOperator.Kind.LEAD;
        return new AnalyticOperator.Fn(kind, t, argCol, dfltCol, offset, null, null);
    }

    /** At most this many rows of look-back or look-ahead per frame bound or offset (each is kept per partition). */
    static final long MAX_OFFSET = 1_000_000;

    /** The frame as written, or the default; checked for sense. */
    private static AnalyticOperator.Frame frame(Expr.Over over, Eval orderKey) {
        if (over.frameUnit() == null) {
            return new AnalyticOperator.Frame(orderKey != null, true, 0, 0);
        }
        boolean range = over.frameUnit().equals("RANGE");
        if (range && orderKey == null) {
            throw new SqlException(over.pos(), "a RANGE frame needs ORDER BY in its OVER (…): its bounds are values of the ORDER BY key");
        }
        String s = over.frameStart();
        String e = over.frameEnd();
        if (e.equals("UNBOUNDED FOLLOWING")) {
            throw new SqlException(over.pos(), "a frame ending UNBOUNDED FOLLOWING would hold every row of a stream until the input "
                    + "ends; end it at CURRENT ROW or n FOLLOWING");
        }
        if (s.equals("UNBOUNDED FOLLOWING")) {
            throw new SqlException(over.pos(), "a frame cannot start UNBOUNDED FOLLOWING");
        }
        if (e.equals("UNBOUNDED PRECEDING")) {
            throw new SqlException(over.pos(), "a frame cannot end UNBOUNDED PRECEDING");
        }
        boolean unbounded = s.equals("UNBOUNDED PRECEDING");
        long start = unbounded ? 0 : bound(s, range, orderKey, over.pos());
        long end = bound(e, range, orderKey, over.pos());
        if (!unbounded && start > end) {
            throw new SqlException(over.pos(), "the frame " + over.frameUnit() + " BETWEEN " + s + " AND " + e + " starts after it ends");
        }
        return new AnalyticOperator.Frame(range, unbounded, start, end);
    }

    /** A bound other than UNBOUNDED as a signed offset: rows for ROWS, key units for RANGE (milliseconds for a TIMESTAMP key). */
    private static long bound(String b, boolean range, Eval orderKey, Pos pos) {
        if (b.equals("CURRENT ROW")) {
            return 0;
        }
        int sp = b.indexOf(' ');
        String amount = b.substring(0, sp);
        boolean preceding = b.endsWith("PRECEDING");
        boolean interval = amount.endsWith("ms");
        long n;
        try {
            n = Long.parseLong(interval ? amount.substring(0, amount.length() - 2) : amount);
        } catch (NumberFormatException ex) {
            throw new SqlException(pos, "frame bound " + b + " is out of range");
        }
        if (!range) {
            if (interval) {
                throw new SqlException(pos, "a ROWS frame counts rows: " + b + " is an interval (write RANGE for a span of the ORDER BY key)");
            }
            if (n > MAX_OFFSET) {
                throw new SqlException(pos, "frame bound " + b + " would keep that many rows per partition (at most " + MAX_OFFSET + ")");
            }
        } else {
            DataType.Kind k = orderKey.type.kind;
            if (k == DataType.Kind.TIMESTAMP && !interval) {
                throw new SqlException(pos, "a RANGE frame over a TIMESTAMP key needs an interval bound (INTERVAL '5' SECOND PRECEDING), got " + b);
            }
            if (k == DataType.Kind.BIGINT && interval) {
                throw new SqlException(pos, "a RANGE frame over a BIGINT key needs a number bound (5 PRECEDING), got " + b);
            }
            if (k != DataType.Kind.TIMESTAMP && k != DataType.Kind.BIGINT) {
                throw new SqlException(pos, "a RANGE frame with an offset needs a BIGINT or TIMESTAMP ORDER BY key, got " + orderKey.type);
            }
        }
        return preceding ? -n : n;
    }
}
