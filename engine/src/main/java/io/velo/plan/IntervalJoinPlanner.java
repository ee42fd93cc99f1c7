package io.velo.plan;

import io.velo.codec.TextFieldDecoder;
import io.velo.connector.spi.Source;
import io.velo.expr.ExprCompiler;
import io.velo.expr.eval.Eval;
import io.velo.plan.logical.Join;
import io.velo.plan.logical.Scan;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.ast.Query;
import io.velo.sql.ast.SqlPrinter;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans a stream–stream interval join ({@code FROM a [INNER|LEFT|RIGHT|FULL] JOIN b ON a.k = b.k AND
 * b.ts BETWEEN a.ts - INTERVAL … AND a.ts + INTERVAL …}, or {@code … ON a.k = b.k WITHIN 10s}): ON
 * must be one or more equalities of a left expression with a right one, of the same type (the key),
 * and exactly one time bound — a BETWEEN over two TIMESTAMP columns, one of each side, whose bounds
 * are the same column plus or minus a constant interval, or WITHIN, which bounds the sides' event
 * times ({@code 'event.time.field'} of each, or a topic's record timestamps) by the same distance
 * both ways. Without a bound the state of each side would grow for ever: refused. Opens the right
 * stream's source, whose records are input records of the job.
 */
final class IntervalJoinPlanner {
    /** What the join needs: the relation it adds, the right source, keys and times of each side, the bound. */
    record Planned(Join join, Scope.Relation relation, Source source, String description, Eval[] leftKeys, Eval[] rightKeys,
                   int leftTime, int rightTime, long lo, long hi, String keyText, String timeText) {
    }

    private final PhysicalPlanner.Env env;
    private final Planner.Resolved job;

    IntervalJoinPlanner(PhysicalPlanner.Env env, Planner.Resolved job) {
        this.env = env;
        this.job = job;
    }

    /**
     * Whether {@code j} joins a stream (a declared stream, or a name with its own {@code '<name>.type'})
     * rather than a table.
     */
    static boolean joinsStream(Catalog catalog, Planner.Resolved job, Join j) {
        Scan right = (Scan) j.right();
        if (right.source() == null) {
            return false;
        }
        Catalog.Entry e = catalog.get(right.source());
        if (e != null) {
            return !e.table() && !(e.origin().equals(Planner.MEMORY) && !e.name().equals(Planner.MEMORY_RIGHT.get()));
        }
        String type = job.props().get(right.source() + ".type");
        if (type == null) {
            return false;
        }
        // a file named only in WITH and joined on equalities alone is a reference table (as the original's demos join
        // them); with a time bound it is a second stream
        return !FileSourceType.NAME.equals(type) || hasTimeBound(j);
    }

    private static boolean hasTimeBound(Join j) {
        if (j.withinMillis() != null) {
            return true;
        }
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        todo.push(j.condition());
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Between) {
                return true;
            }
            if (x instanceof Expr.Binary b && (b.op().equals("AND"))) {
                todo.push(b.left());
                todo.push(b.right());
            }
        }
        return false;
    }

    Planned plan(Join j, Scope.Relation leftRel) {
        Scan right = (Scan) j.right();
        String name = right.source();
        String shownName = right.alias() != null ? right.alias() : name;
        if (shownName.equalsIgnoreCase(leftRel.alias() != null ? leftRel.alias() : leftRel.name())) {
            throw new SqlException(right.pos(), "'" + shownName + "' names both streams of the join: give one an alias");
        }
        Catalog.Entry entry = env.catalog().get(name);
        var props = job.props();
        SourceType type = Planner.sourceType(name, entry, props, right.pos());
        if (type == MemorySourceType.INSTANCE && !name.equals(Planner.MEMORY_RIGHT.get())) {
            throw new SqlException(right.pos(), "'" + name + "' is an in-memory relation and cannot be joined");
        }
        String format = props.get(name + ".format", entry != null && entry.sinkFormat() != null ? entry.sinkFormat() : "json")
                .toLowerCase(Locale.ROOT);
        props.addConnectorDefaults(name, type.defaults());
        type.format(props, name, format);
        Schema schema = SourceSchemas.resolve(name, entry, props, type.samplesFiles(), format, right.pos(), env.baseDir());
        String etField = props.get(name + ".event.time.field", props.get("event.time.field"));
        int etColumn = etField == null ? -1 : schema.indexOf(etField);
        if (etField != null && etColumn < 0) {
            Pos p = props.setting(name + ".event.time.field") != null ? props.pos(name + ".event.time.field") : props.pos("event.time.field");
            throw new SqlException(p, "event time field '" + etField + "' is not a column of '" + name + "' (" + schema + ")");
        }
        // an aliased stream is known by its alias only: in a self-join (t JOIN t AS u) t.x is the left's
        Scope.Relation rel = new Scope.Relation(shownName, right.alias(), schema, leftRel.schema().size());

        Scope joint = new Scope(List.of(leftRel, rel));
        Scope leftScope = new Scope(List.of(leftRel));
        Scope rightScope = new Scope(List.of(new Scope.Relation(shownName, right.alias(), schema, 0)));
        String want = "ON " + side(leftRel) + ".key = " + shownName + ".key AND " + shownName + ".ts BETWEEN " + side(leftRel)
                + ".ts - INTERVAL '10' SECOND AND " + side(leftRel) + ".ts + INTERVAL '10' SECOND (or ON … WITHIN 10s)";
        List<Expr> conjuncts = new ArrayList<>();
        flatten(j.condition(), conjuncts);
        List<Eval> leftKeys = new ArrayList<>();
        List<Eval> rightKeys = new ArrayList<>();
        StringBuilder keyText = new StringBuilder();
        Expr.Between bound = null;
        for (Expr c : conjuncts) {
            if (c instanceof Expr.Between b && !b.negated()) {
                if (bound != null) {
                    throw new SqlException(b.pos(), "an interval join has one time bound; this is a second (other conditions go in WHERE)");
                }
                bound = b;
            } else if (c instanceof Expr.Binary b && b.op().equals("=")) {
                new ExprCompiler(joint, job.rounding()).compile(b.left()); // an unqualified column of both sides is ambiguous here too
                new ExprCompiler(joint, job.rounding()).compile(b.right());
                int ls = sideOf(b.left(), leftScope, rightScope);
                int rs = sideOf(b.right(), leftScope, rightScope);
                if (ls < 0 || rs < 0 || ls == rs) {
                    throw new SqlException(b.pos(), "a key equality of the join compares an expression of " + side(leftRel)
                            + " with one of " + shownName + ": " + SqlPrinter.print(b) + " does not (other conditions go in WHERE)");
                }
                Expr le = ls == 0 ? b.left() : b.right();
                Expr re = ls == 0 ? b.right() : b.left();
                Eval l = new ExprCompiler(leftScope, job.rounding()).compile(le);
                Eval r = new ExprCompiler(rightScope, job.rounding()).compile(re);
                if (l.type.kind != r.type.kind || l.type.kind == DataType.Kind.ARRAY || l.type.kind == DataType.Kind.MAP) {
                    throw new SqlException(b.pos(), "the join compares " + SqlPrinter.print(le) + " (" + l.type + ") with "
                            + SqlPrinter.print(re) + " (" + r.type + "): the key types must match; CAST one side to the other's type");
                }
                leftKeys.add(l);
                rightKeys.add(r);
                keyText.append(keyText.length() == 0 ? "" : ", ").append(SqlPrinter.print(le)).append(" = ").append(SqlPrinter.print(re));
            } else {
                throw new SqlException(c.pos(), "an interval join's ON is key equalities and one time bound: " + want
                        + "; " + SqlPrinter.print(c) + " is neither (other conditions go in WHERE)");
            }
        }
        if (leftKeys.isEmpty()) {
            throw new SqlException(j.condition().pos(), "a stream-stream join needs an equality of keys to look rows up by: " + want);
        }
        if (bound != null && j.withinMillis() != null) {
            throw new SqlException(bound.pos(), "an interval join has one time bound: WITHIN or a BETWEEN, not both");
        }
        if (bound == null && j.withinMillis() == null) {
            throw new SqlException(j.pos(), "a stream-stream join needs a time bound, or the state of both streams would grow for ever: " + want);
        }
        long lo;
        long hi;
        int leftTime;
        int rightTime;
        String timeText;
        Offset eventLow = bound == null ? null : offset(bound.low());
        Offset eventHigh = bound == null ? null : offset(bound.high());
        int ex = bound == null ? -1 : eventTimeSide(timeColumn(bound.value(), "the value of the BETWEEN"), leftScope, rightScope);
        int el = bound == null ? -1 : eventTimeSide(eventLow.column(), leftScope, rightScope);
        if (bound != null && (ex >= 0 || el >= 0)) {
            // the original's form: m._event_time BETWEEN p._event_time - INTERVAL … AND p._event_time + INTERVAL …
            if (ex < 0 || el < 0 || ex == el || eventTimeSide(eventHigh.column(), leftScope, rightScope) != el) {
                throw new SqlException(bound.pos(), "a time bound on _event_time compares one stream's _event_time with the other's, "
                        + "plus or minus intervals, both qualified by their stream: " + want);
            }
            if (eventLow.millis() > eventHigh.millis()) {
                throw new SqlException(bound.pos(), "the time bound is empty: its lower end (" + eventLow.millis() + " ms) is above its upper end ("
                        + eventHigh.millis() + " ms)");
            }
            if (job.etColumn() < 0 && job.srcType() instanceof FileSourceType) {
                throw needsEventTime(j, job.srcName());
            }
            if (etColumn < 0 && type instanceof FileSourceType) {
                throw needsEventTime(j, name);
            }
            lo = ex == 1 ? eventLow.millis() : -eventHigh.millis();
            hi = ex == 1 ? eventHigh.millis() : -eventLow.millis();
            leftTime = -1;
            rightTime = -1;
            timeText = SqlPrinter.print(bound);
        } else if (bound != null) {
            Expr.ColumnRef x = timeColumn(bound.value(), "the value of the BETWEEN");
            Offset low = offset(bound.low());
            Offset high = offset(bound.high());
            int xs = sideOf(x, leftScope, rightScope);
            int ys = sideOf(low.column(), leftScope, rightScope);
            if (xs < 0 || ys < 0 || xs == ys || sideOf(high.column(), leftScope, rightScope) != ys
                    || !low.column().name().equalsIgnoreCase(high.column().name())) {
                throw new SqlException(bound.pos(), "the time bound compares a time column of one stream with the same time column of the "
                        + "other, plus or minus intervals: " + want);
            }
            Scope xScope = xs == 0 ? leftScope : rightScope;
            Scope yScope = ys == 0 ? leftScope : rightScope;
            Scope.Resolved xr = xScope.resolve(x);
            Scope.Resolved yr = yScope.resolve(low.column());
            checkTime(x, xr);
            checkTime(low.column(), yr);
            new ExprCompiler(joint, job.rounding()).compile(bound); // ambiguous names
            if (low.millis() > high.millis()) {
                throw new SqlException(bound.pos(), "the time bound is empty: its lower end (" + low.millis() + " ms) is above its upper end ("
                        + high.millis() + " ms)");
            }
            if (xs == 1) { // right.t BETWEEN left.t + a AND left.t + b
                lo = low.millis();
                hi = high.millis();
                rightTime = xr.index();
                leftTime = yr.index();
            } else { // left.t BETWEEN right.t + a AND right.t + b: right.t - left.t in [-b, -a]
                lo = -high.millis();
                hi = -low.millis();
                leftTime = xr.index();
                rightTime = yr.index();
            }
            timeText = SqlPrinter.print(bound);
        } else {
            long d = j.withinMillis();
            if (d < 0) {
                throw new SqlException(j.pos(), "WITHIN needs a distance of at least 0");
            }
            lo = -d;
            hi = d;
            if (job.etColumn() < 0 && job.srcType() instanceof FileSourceType) {
                throw needsEventTime(j, job.srcName());
            }
            if (etColumn < 0 && type instanceof FileSourceType) {
                throw needsEventTime(j, name);
            }
            leftTime = -1;
            rightTime = -1;
            timeText = "event times within " + d + " ms";
        }
        if (name.equalsIgnoreCase(job.srcName()) && props.get(name + ".group.id") != null && Connectors.usesKafka(props.get(name + ".type"))) {
            throw new SqlException(right.pos(), "this join reads '" + name + "' twice, and its two consumers cannot share the group '"
                    + props.get(name + ".group.id") + "' set by '" + name + ".group.id' (each would get half the partitions): drop the "
                    + "setting (the left side reads as group '<job>', the right as '<job>-right')");
        }
        // the right stream reads in a group of its own: in the left's, a self-join's two consumers would split the partitions
        SourceType.Context ctx = new SourceType.Context(name, schema, props, format, etColumn, job.batching(), new TextFieldDecoder(job.rounding()),
                job.failures(), job.metrics(), job.jobName() + "-right", env.kafka(), env.baseDir(), entry, right.pos(), env.paths());
        Source source = type.create(ctx);
        String description = type.describe(ctx, source);
        return new Planned(j, rel, source, description, leftKeys.toArray(new Eval[0]), rightKeys.toArray(new Eval[0]), leftTime, rightTime,
                lo, hi, keyText.toString(), timeText);
    }

    private static SqlException needsEventTime(Join j, String name) {
        return new SqlException(j.pos(), "WITHIN bounds the streams' event times, but '" + name + "' is a file, whose records have none of "
                + "their own: set '" + name + ".event.time.field', or bound two time columns with b.ts BETWEEN a.ts - INTERVAL … AND a.ts + INTERVAL …");
    }

    private static String side(Scope.Relation r) {
        return r.alias() != null ? r.alias() : r.name();
    }

    private static void flatten(Expr e, List<Expr> out) {
        if (e instanceof Expr.Binary b && b.op().equalsIgnoreCase("AND")) {
            flatten(b.left(), out);
            flatten(b.right(), out);
        } else {
            out.add(e);
        }
    }

    /** 0 when {@code e} is an expression of the left stream, 1 of the right one, -1 when of neither alone. */
    /** For {@code q._event_time}: 0 when {@code q} names the left stream, 1 the right; -1 for any other column. */
    private static int eventTimeSide(Expr.ColumnRef c, Scope left, Scope right) {
        if (!c.name().equalsIgnoreCase("_event_time") || c.qualifier() == null) {
            return -1;
        }
        for (int side = 0; side < 2; side++) {
            Scope.Relation r = (side == 0 ? left : right).relations().get(0);
            if (c.qualifier().equalsIgnoreCase(r.alias() != null ? r.alias() : r.name())) {
                return side;
            }
        }
        return -1;
    }

    private int sideOf(Expr e, Scope left, Scope right) {
        if (compiles(e, left)) {
            return 0;
        }
        return compiles(e, right) ? 1 : -1;
    }

    private boolean compiles(Expr e, Scope s) {
        try {
            new ExprCompiler(s, job.rounding()).compile(e);
            return true;
        } catch (SqlException ex) {
            return false;
        }
    }

    private static Expr.ColumnRef timeColumn(Expr e, String what) {
        if (e instanceof Expr.ColumnRef c) {
            return c;
        }
        throw new SqlException(e.pos(), what + " must be a TIMESTAMP column of one stream, not " + SqlPrinter.print(e));
    }

    private static void checkTime(Expr.ColumnRef c, Scope.Resolved r) {
        if (r.system() != null || r.type().kind != DataType.Kind.TIMESTAMP) {
            throw new SqlException(c.pos(), "the join's time bound is on time columns: '" + SqlPrinter.print(c) + "' is " + r.type()
                    + ", not TIMESTAMP");
        }
    }

    /** {@code column}, {@code column ± INTERVAL …} or {@code INTERVAL … + column}. */
    private record Offset(Expr.ColumnRef column, long millis) {
    }

    private static Offset offset(Expr e) {
        if (e instanceof Expr.ColumnRef c) {
            return new Offset(c, 0);
        }
        if (e instanceof Expr.Binary b && (b.op().equals("+") || b.op().equals("-"))) {
            Long r = interval(b.right());
            if (b.left() instanceof Expr.ColumnRef c && r != null) {
                return new Offset(c, b.op().equals("+") ? r : -r);
            }
            Long l = interval(b.left());
            if (b.op().equals("+") && l != null && b.right() instanceof Expr.ColumnRef c) {
                return new Offset(c, l);
            }
        }
        throw new SqlException(e.pos(), "a bound of the join's time interval is a time column plus or minus a constant interval "
                + "(ts - INTERVAL '10' SECOND), not " + SqlPrinter.print(e));
    }

    private static Long interval(Expr e) {
        if (e instanceof Expr.Literal l && l.kind() == Expr.LiteralKind.INTERVAL) {
            return (Long) l.value();
        }
        if (e instanceof Expr.Unary u && u.op().equals("-") && interval(u.operand()) != null) {
            return -interval(u.operand());
        }
        return null;
    }

    private static String signed(long v) {
        return v < 0 ? "- " + -v : "+ " + v;
    }

    /** The plan's note on the state: what a row waits for, and when it leaves. */
    static String stateNote(Planned p, Query.JoinType kind, long outOfOrderness) {
        String outer = switch (kind) {
            case LEFT -> "; an unmatched left row is written with NULLs then";
            case RIGHT -> "; an unmatched right row is written with NULLs then";
            case FULL -> "; an unmatched row of either side is written with NULLs then";
            default -> "";
        };
        return "keyed by " + p.keyText() + ", right time - left time in [" + p.lo() + " ms, " + p.hi() + " ms]; a left row is kept until "
                + "the join's watermark (the earlier of the two streams', each its max event time - " + outOfOrderness + " ms) passes its "
                + "time " + signed(p.hi()) + " ms, a right row until it passes its time " + signed(-p.lo()) + " ms" + outer
                + "; rows behind the watermark are late";
    }
}
