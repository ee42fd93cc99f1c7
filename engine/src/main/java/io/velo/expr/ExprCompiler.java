package io.velo.expr;

import io.velo.expr.eval.ArithmeticEval;
import io.velo.expr.eval.CaseEval;
import io.velo.expr.eval.CastEval;
import io.velo.expr.eval.ChainEval;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.CompareEval;
import io.velo.expr.eval.ConcatEval;
import io.velo.expr.eval.ConstEval;
import io.velo.expr.eval.Eval;
import io.velo.expr.eval.FunctionEval;
import io.velo.expr.eval.LogicEval;
import io.velo.expr.eval.PredicateEval;
import io.velo.expr.eval.SystemColumnEval;
import io.velo.expr.eval.UnaryEval;
import io.velo.expr.fn.CallSite;
import io.velo.expr.fn.FunctionDef;
import io.velo.expr.fn.FunctionKind;
import io.velo.expr.fn.FunctionRegistry;
import io.velo.failure.RecordError;
import io.velo.sql.SqlException;
import io.velo.sql.ast.Chains;
import io.velo.sql.ast.Expr;
import io.velo.sql.ast.Pos;
import io.velo.sql.validate.Scope;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import io.velo.types.decimal.Dec;
import io.velo.types.decimal.DecimalMath;
import io.velo.types.decimal.DecimalRounding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Binds an expression tree to a {@link Scope}, derives and checks its types, inserts the implicit
 * casts (BIGINT→DECIMAL→DOUBLE, text→TIMESTAMP in comparisons) and builds the typed evaluator tree.
 * Runs once per query; nothing here runs per record. Every error carries the position of the
 * offending node.
 */
public final class ExprCompiler {
    private final Scope scope;
    private final DecimalRounding rounding;
    private final Function<Expr, Eval> substitution;
    private final String aggregateContext;

    /**
     * @param substitution called for every node first: a non-null result replaces the node (used to
     *                     read group keys and aggregate results from an aggregation's output)
     * @param aggregateContext null when aggregates are not allowed here, else unused text
     */
    public ExprCompiler(Scope scope, DecimalRounding rounding, Function<Expr, Eval> substitution, String aggregateContext) {
        this.scope = scope;
        this.rounding = rounding;
        this.substitution = substitution;
        this.aggregateContext = aggregateContext;
    }

    public ExprCompiler(Scope scope, DecimalRounding rounding) {
        this(scope, rounding, e -> null, null);
    }

    /** Plans the subqueries an expression holds (scalar, IN, EXISTS) over the compiler that meets them. */
    public interface Subqueries {
        /** The evaluator of {@code subquery} (an InSubquery, Exists or ScalarSubquery) inside an expression compiled by {@code outer}. */
        Eval compile(Expr subquery, ExprCompiler outer);
    }

    /** Refused (a positioned error) where no planner is set. */
    private Subqueries subqueries;

    /** Lets this compiler's expressions hold subqueries, planned by {@code s}; returns this compiler. */
    public ExprCompiler subqueries(Subqueries s) {
        this.subqueries = s;
        return this;
    }

    public Eval compileBoolean(Expr e, String clause) {
        Eval ev = compile(e);
        if (ev.type.kind != Kind.BOOLEAN && ev.type.kind != Kind.NULL) {
            throw new SqlException(e.pos(), clause + " must be a BOOLEAN condition, got " + ev.type);
        }
        return ev;
    }

    public Eval compile(Expr e) {
        Eval sub = substitution.apply(e);
        if (sub != null) {
            return sub;
        }
        if (e instanceof Expr.Binary b && Chains.level(b.op()) != Chains.NONE) {
            return chain(b);
        }
        Eval ev = compileNode(e);
        return fold(ev);
    }

    /** The node's replacement (a group key or aggregate read from an aggregation's output), or null. */
    public Eval substitute(Expr e) {
        return substitution.apply(e);
    }

    /** Chains up to this many operators compile to nested binary evaluators; longer ones evaluate in a loop. */
    static final int NESTED_CHAIN_LIMIT = 16;

    /**
     * A chain of one precedence level ({@code a OR b OR …}, {@code a + b - c …}), its left spine taken
     * with a loop so that neither compiling nor evaluating it recurses once per term. Typing, casts and
     * errors are those of the nested binary form, step by step from the left.
     */
    private Eval chain(Expr.Binary top) {
        List<Expr.Binary> spine = Chains.spine(top);
        // a prefix may be replaced as a whole (GROUP BY a + b, then SELECT a + b + c); the top was tried
        int from = 0;
        Expr accExpr = spine.get(0).left();
        Eval acc = null;
        for (int i = spine.size() - 2; i >= 0 && acc == null; i--) {
            acc = substitution.apply(spine.get(i));
            if (acc != null) {
                from = i + 1;
                accExpr = spine.get(i);
            }
        }
        if (acc == null) {
            acc = compile(accExpr);
        }
        List<Expr.Binary> rest = spine.subList(from, spine.size());
        int level = Chains.level(top.op());
        if (level == Chains.AND || level == Chains.OR) {
            String op = top.op();
            Eval[] operands = new Eval[rest.size() + 1];
            operands[0] = acc;
            for (int i = 0; i < rest.size(); i++) {
                Expr right = rest.get(i).right();
                operands[i + 1] = compile(right);
                if (i == 0) {
                    requireBoolean(acc, accExpr.pos(), op);
                }
                requireBoolean(operands[i + 1], right.pos(), op);
            }
            return new LogicEval(level == Chains.AND, operands);
        }
        boolean allConcat = true;
        for (Expr.Binary n : rest) {
            allConcat &= n.op().equals("||");
        }
        if (allConcat) {
            Eval[] operands = new Eval[rest.size() + 1];
            operands[0] = acc;
            for (int i = 0; i < rest.size(); i++) {
                operands[i + 1] = compile(rest.get(i).right());
            }
            return new ConcatEval(operands);
        }
        if (rest.size() <= NESTED_CHAIN_LIMIT) {
            for (Expr.Binary n : rest) {
                acc = fold(binary(n, acc, compile(n.right())));
            }
            return acc;
        }
        Eval first = acc;
        Eval[] steps = new Eval[rest.size()];
        Eval prev = first;
        for (int i = 0; i < steps.length; i++) {
            Expr.Binary n = rest.get(i);
            steps[i] = binary(n, new ChainEval.Slot(prev), compile(n.right()));
            prev = steps[i];
        }
        return new ChainEval(first, steps);
    }

    /** Evaluates constant subtrees once; a constant that fails (1/0) stays a per-record error. */
    private static Eval fold(Eval ev) {
        if (ev instanceof ConstEval || !ev.isConstant()) {
            return ev;
        }
        try {
            ev.eval(null, 0);
            return new ConstEval(ev.type, ev.toObject());
        } catch (RecordError | ArithmeticException e) {
            return ev;
        }
    }

    private Eval compileNode(Expr e) {
        if (e instanceof Expr.Literal l) {
            return literal(l);
        }
        if (e instanceof Expr.ColumnRef c) {
            Scope.Resolved r = scope.resolve(c);
            if (r.system() != null) {
                return new SystemColumnEval(r.system());
            }
            return new ColumnEval(r.index(), r.name(), r.type());
        }
        if (e instanceof Expr.Unary u) {
            Eval in = compile(u.operand());
            if (u.op().equals("NOT")) {
                requireBoolean(in, u.operand().pos(), "NOT");
                return new UnaryEval.Not(in);
            }
            if (!in.type.isNumeric() && in.type.kind != Kind.NULL) {
                throw new SqlException(u.pos(), "unary minus expects a number, got " + in.type);
            }
            return new UnaryEval.Negate(in);
        }
        if (e instanceof Expr.Binary b) {
            return binary(b);
        }
        if (e instanceof Expr.Between b) {
            Eval v = compile(b.value());
            Eval lo = compile(b.low());
            Eval hi = compile(b.high());
            Eval ge = comparison(">=", v, lo, b.pos());
            Eval le = comparison("<=", v, hi, b.pos());
            Eval both = new LogicEval(true, ge, le);
            return b.negated() ? new UnaryEval.Not(both) : both;
        }
        if (e instanceof Expr.InList in) {
            Eval v = compile(in.value());
            List<Eval> items = new ArrayList<>();
            DataType t = v.type;
            for (Expr item : in.list()) {
                Eval ie = compile(item);
                t = common(t, ie.type, item.pos(), "IN list");
                items.add(ie);
            }
            Eval vv = coerce(v, t);
            Eval[] arr = new Eval[items.size()];
            for (int i = 0; i < arr.length; i++) {
                arr[i] = coerce(items.get(i), t);
            }
            return PredicateEval.inList(vv, arr, in.negated());
        }
        if (e instanceof Expr.InSubquery || e instanceof Expr.Exists || e instanceof Expr.ScalarSubquery) {
            if (subqueries == null) {
                throw new SqlException(e.pos(), "a subquery is not supported here: subqueries over tables may appear in WHERE, and in "
                        + "GROUP BY, aggregate arguments and the SELECT list of a query without OVER (not in HAVING, ORDER BY, ON, "
                        + "or the SELECT list of an aggregation)");
            }
            return subqueries.compile(e, this);
        }
        if (e instanceof Expr.Like l) {
            Eval v = compile(l.value());
            Eval p = compile(l.pattern());
            requireString(v, l.value().pos(), "LIKE");
            requireString(p, l.pattern().pos(), "LIKE pattern");
            return new PredicateEval.Like(coerce(v, DataType.STRING), coerce(p, DataType.STRING), l.negated());
        }
        if (e instanceof Expr.IsNull n) {
            return new PredicateEval.IsNull(compile(n.value()), n.negated());
        }
        if (e instanceof Expr.Case c) {
            return caseExpr(c);
        }
        if (e instanceof Expr.Cast c) {
            Eval in = compile(c.value());
            checkCast(in.type, c.type(), c.pos());
            if (in.type.equals(c.type()) && !c.type().hasFixedScale()) {
                return in;
            }
            return new CastEval(in, c.type(), rounding);
        }
        if (e instanceof Expr.Call c) {
            return call(c);
        }
        throw new SqlException(e.pos(), "unsupported expression");
    }

    private static Eval literal(Expr.Literal l) {
        switch (l.kind()) {
            case NULL: return new ConstEval(DataType.NULL, null);
            case BOOLEAN: return new ConstEval(DataType.BOOLEAN, l.value());
            case INTEGER: case INTERVAL: return new ConstEval(DataType.BIGINT, l.value());
            case DOUBLE:
                if (!Double.isFinite((Double) l.value())) {
                    throw new SqlException(l.pos(), "number is out of range for DOUBLE (at most about 1.8e308)");
                }
                return new ConstEval(DataType.DOUBLE, l.value());
            case STRING: return new ConstEval(DataType.STRING, l.value());
            default: {
                Dec d = new Dec();
                if (!DecimalMath.parse((String) l.value(), d)) {
                    throw new SqlException(l.pos(), "malformed number " + l.value());
                }
                return new ConstEval(FunctionRegistry.literalType(d.toBigDecimal()), d.toBigDecimal());
            }
        }
    }

    private Eval binary(Expr.Binary b) {
        return binary(b, compile(b.left()), compile(b.right()));
    }

    /** The operator {@code b} applied to already compiled operands. */
    private Eval binary(Expr.Binary b, Eval left, Eval right) {
        String op = b.op();
        switch (op) {
            case "AND": case "OR":
                requireBoolean(left, b.left().pos(), op);
                requireBoolean(right, b.right().pos(), op);
                return new LogicEval(op.equals("AND"), left, right);
            case "||":
                return new ConcatEval(left, right);
            case "=": case "<>": case "<": case "<=": case ">": case ">=": case "IS_DISTINCT":
                return comparison(op, left, right, b.pos());
            case "IS_BOOL":
                requireBoolean(left, b.left().pos(), "IS TRUE/FALSE");
                return new UnaryEval.Not(new CompareEval(CompareEval.DISTINCT, left, right));
            default:
                return arithmetic(b, op, left, right);
        }
    }

    private Eval arithmetic(Expr.Binary b, String op, Eval left, Eval right) {
        Kind lk = left.type.kind;
        Kind rk = right.type.kind;
        int code = ArithmeticEval.opCode(op);
        // A DATE counts days: DATE ± n is a DATE, DATE - DATE a number of days. An INTERVAL is
        // milliseconds, so DATE ± INTERVAL (like everything with a TIMESTAMP) is a TIMESTAMP.
        if ((lk == Kind.TIMESTAMP || lk == Kind.DATE) && (op.equals("+") || op.equals("-"))) {
            if (rk == Kind.BIGINT) {
                if (lk == Kind.DATE && !isInterval(b.right())) {
                    return new ArithmeticEval.Times(DataType.DATE, code, left, right);
                }
                return new ArithmeticEval.Times(DataType.TIMESTAMP, code, coerce(left, DataType.TIMESTAMP), right);
            }
            if (op.equals("-") && lk == Kind.DATE && rk == Kind.DATE) {
                return new ArithmeticEval.Times(DataType.BIGINT, code, left, right);
            }
            if (op.equals("-") && (rk == Kind.TIMESTAMP || rk == Kind.DATE)) {
                return new ArithmeticEval.Times(DataType.BIGINT, code, coerce(left, DataType.TIMESTAMP), coerce(right, DataType.TIMESTAMP));
            }
        }
        if (lk == Kind.BIGINT && (rk == Kind.TIMESTAMP || rk == Kind.DATE) && op.equals("+")) {
            if (rk == Kind.DATE && !isInterval(b.left())) {
                return new ArithmeticEval.Times(DataType.DATE, code, right, left);
            }
            return new ArithmeticEval.Times(DataType.TIMESTAMP, code, coerce(right, DataType.TIMESTAMP), left);
        }
        if ((!left.type.isNumeric() && lk != Kind.NULL) || (!right.type.isNumeric() && rk != Kind.NULL)) {
            Pos at = !left.type.isNumeric() && lk != Kind.NULL ? b.left().pos() : b.right().pos();
            throw new SqlException(at, "operator " + op + " expects numbers, got " + left.type + " " + op + " " + right.type
                    + (op.equals("+") && (lk == Kind.STRING || rk == Kind.STRING) ? " (use || to concatenate text)" : ""));
        }
        DataType t = common(left.type, right.type, b.pos(), "operator " + op);
        if (t.kind == Kind.NULL) {
            t = DataType.BIGINT;
        }
        Eval l = coerce(left, t);
        Eval r = coerce(right, t);
        switch (t.kind) {
            case DOUBLE: return new ArithmeticEval.Doubles(code, l, r);
            case DECIMAL: return new ArithmeticEval.Decimals(code, l, r, rounding);
            default: return new ArithmeticEval.Longs(code, l, r);
        }
    }

    /** An INTERVAL literal, or arithmetic that keeps one an interval (-i, i + i, i * n, i / n). */
    private static boolean isInterval(Expr e) {
        if (e instanceof Expr.Literal l) {
            return l.kind() == Expr.LiteralKind.INTERVAL;
        }
        if (e instanceof Expr.Unary u) {
            return u.op().equals("-") && isInterval(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            // a chain's spine with a loop, from its first operand outwards
            List<Expr.Binary> spine = Chains.spine(b);
            boolean interval = isInterval(spine.get(0).left());
            for (Expr.Binary n : spine) {
                switch (n.op()) {
                    case "+": case "-": interval = interval && isInterval(n.right()); break;
                    case "*": interval = interval || isInterval(n.right()); break;
                    case "/": break;
                    default: interval = false; break;
                }
            }
            return interval;
        }
        return false;
    }

    private Eval comparison(String op, Eval left, Eval right, Pos pos) {
        DataType t = common(left.type, right.type, pos, "comparison " + op);
        if (t.kind == Kind.NULL) {
            t = DataType.BOOLEAN;
        }
        return new CompareEval(CompareEval.opCode(op), coerce(left, t), coerce(right, t));
    }

    private Eval caseExpr(Expr.Case c) {
        Eval operand = c.operand() == null ? null : compile(c.operand());
        List<Eval> conds = new ArrayList<>();
        List<Eval> results = new ArrayList<>();
        DataType t = DataType.NULL;
        for (Expr.When w : c.whens()) {
            Eval cond = compile(w.condition());
            if (operand != null) {
                cond = comparison("=", operand, cond, w.condition().pos());
            } else {
                requireBoolean(cond, w.condition().pos(), "WHEN");
            }
            conds.add(cond);
            Eval r = compile(w.result());
            t = common(t, r.type, w.result().pos(), "CASE results");
            results.add(r);
        }
        Eval otherwise = null;
        if (c.otherwise() != null) {
            otherwise = compile(c.otherwise());
            t = common(t, otherwise.type, c.otherwise().pos(), "CASE results");
        }
        List<DataType> resultTypes = new ArrayList<>();
        results.forEach(r -> resultTypes.add(r.type));
        if (otherwise != null) {
            resultTypes.add(otherwise.type);
        }
        t = FunctionRegistry.valueType(resultTypes, "CASE results"); // one DECIMAL scale for every row
        Eval[] rs = new Eval[results.size()];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = coerce(results.get(i), t);
        }
        return new CaseEval(t, conds.toArray(new Eval[0]), rs, otherwise == null ? null : coerce(otherwise, t));
    }

    /** The one scalar function that reads the record's headers rather than values alone. */
    private static final String HEADER = "HEADER";

    private Eval call(Expr.Call c) {
        FunctionDef def = FunctionRegistry.lookup(c.name());
        if (def == null) {
            throw new SqlException(c.pos(), "unknown function " + c.name() + " (SHOW FUNCTIONS lists them)");
        }
        if (c.over() != null) {
            // the SELECT list's analytic calls are read from the analytic stage's output before they get here
            throw new SqlException(c.over().pos(), "analytic functions (" + c.name() + " … OVER) are allowed only in the SELECT list, "
                    + "not inside another analytic or aggregate call");
        }
        if (def.kind() == FunctionKind.ANALYTIC) {
            throw new SqlException(c.pos(), c.name() + " is an analytic function and needs OVER (…)");
        }
        if (def.kind() != FunctionKind.SCALAR) {
            if (aggregateContext == null) {
                throw new SqlException(c.pos(), "aggregate function " + c.name() + " is not allowed here");
            }
            throw new SqlException(c.pos(), "aggregate function " + c.name() + " cannot be nested inside another aggregate");
        }
        if (c.star() || c.distinct()) {
            throw new SqlException(c.pos(), (c.star() ? "* " : "DISTINCT ") + "is only allowed in aggregate functions");
        }
        checkArity(def, c);
        List<Eval> args = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (Expr a : c.args()) {
            Eval ev = compile(a);
            args.add(ev);
            types.add(ev.type);
        }
        DataType result;
        try {
            result = def.resultType().apply(types);
        } catch (CallSite.Rejected ex) {
            throw new SqlException(c.args().get(ex.arg()).pos(), ex.getMessage());
        } catch (IllegalArgumentException ex) {
            throw new SqlException(c.pos(), ex.getMessage());
        }
        if (result.kind == Kind.NULL) {
            result = DataType.STRING;
        }
        boolean[] constant = new boolean[args.size()];
        Object[] values = new Object[args.size()];
        for (int i = 0; i < constant.length; i++) {
            Eval a = args.get(i);
            if (a instanceof ConstEval) { // folded already; a constant that fails (1/0) stays per record
                constant[i] = true;
                a.eval(null, 0);
                values[i] = a.toObject();
            }
        }
        if (def.name().equals(HEADER)) {
            return new io.velo.expr.eval.HeaderEval(args.get(0)); // reads the row's record, not only its arguments
        }
        FunctionEval.Impl impl;
        CallSite site = new CallSite(def.name(), types, constant, values);
        try {
            impl = def.binder().bind(site);
        } catch (CallSite.Rejected ex) {
            throw new SqlException(c.args().get(ex.arg()).pos(), ex.getMessage());
        } catch (IllegalArgumentException ex) {
            throw new SqlException(c.pos(), ex.getMessage());
        }
        for (int i = 0; i < args.size(); i++) {
            if (site.conversion(i) != null) {
                args.set(i, coerce(args.get(i), site.conversion(i)));
            }
        }
        if (site.result() != null) {
            result = site.result();
        }
        return new FunctionEval(def.name(), result, impl, args.toArray(new Eval[0]), def.strict(), def.deterministic());
    }

    public static void checkArity(FunctionDef def, Expr.Call c) {
        int n = c.star() ? 0 : c.args().size();
        if (n < def.minArgs() || n > def.maxArgs()) {
            String expected = def.minArgs() == def.maxArgs() ? String.valueOf(def.minArgs())
                    : def.maxArgs() == Integer.MAX_VALUE ? "at least " + def.minArgs() : def.minArgs() + " to " + def.maxArgs();
            throw new SqlException(c.pos(), c.name() + " takes " + expected + " argument" + (def.maxArgs() == 1 ? "" : "s") + ", got " + n);
        }
    }

    // ------------------------------------------------------------------ typing helpers

    private static void requireBoolean(Eval e, Pos pos, String what) {
        if (e.type.kind != Kind.BOOLEAN && e.type.kind != Kind.NULL) {
            throw new SqlException(pos, what + " expects a BOOLEAN, got " + e.type);
        }
    }

    private static void requireString(Eval e, Pos pos, String what) {
        if (e.type.kind != Kind.STRING && e.type.kind != Kind.NULL) {
            throw new SqlException(pos, what + " expects a STRING, got " + e.type);
        }
    }

    private static DataType common(DataType a, DataType b, Pos pos, String what) {
        try {
            return FunctionRegistry.commonType(a, b, what);
        } catch (IllegalArgumentException ex) {
            throw new SqlException(pos, ex.getMessage());
        }
    }

    private static void checkCast(DataType from, DataType to, Pos pos) {
        Kind f = from.kind;
        Kind t = to.kind;
        boolean ok;
        switch (t) {
            case ARRAY: case MAP: ok = f == t || f == Kind.NULL; break;
            case STRING: ok = true; break;
            default: ok = f != Kind.ARRAY && f != Kind.MAP; break;
        }
        if (!ok) {
            throw new SqlException(pos, "cannot CAST " + from + " to " + to);
        }
    }

    /** Wraps {@code e} in a cast when its type differs from {@code target}. */
    public Eval coerce(Eval e, DataType target) {
        if (e.type.kind == target.kind && (!target.hasFixedScale() || e.type.equals(target))) {
            return e;
        }
        if (target.kind == Kind.NULL) {
            return e;
        }
        return fold(new CastEval(e, target, rounding));
    }

    public DecimalRounding rounding() {
        return rounding;
    }
}
