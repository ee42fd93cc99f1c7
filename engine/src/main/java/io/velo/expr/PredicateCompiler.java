package io.velo.expr;

import io.velo.expr.eval.BatchPredicate;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.CompareEval;
import io.velo.expr.eval.Eval;
import io.velo.expr.eval.InSetEval;
import io.velo.expr.vec.VecCompiler;
import io.velo.expr.vec.VecPredicate;
import io.velo.sql.ast.Chains;
import io.velo.sql.ast.Expr;
import io.velo.types.DataType;
import io.velo.types.decimal.Dec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a condition into a {@link BatchPredicate}: ANDs become successive narrowing of the
 * selection, ORs a union of selections (each term sees only the rows no earlier term passed), a
 * column compared with a constant a primitive range loop, a long-backed column in a long constant
 * list a hash probe; everything else a column at a time ({@link VecPredicate}). Semantics are those of the row evaluator (NULL never passes).
 */
public final class PredicateCompiler {
    private final ExprCompiler compiler;

    public PredicateCompiler(ExprCompiler compiler) {
        this.compiler = compiler;
    }

    public BatchPredicate compile(Expr e, String clause) {
        if (compiler.substitute(e) != null) {
            return vector(compiler.compileBoolean(e, clause));
        }
        if (e instanceof Expr.Binary b && (b.op().equals("AND") || b.op().equals("OR"))) {
            List<Expr> terms = terms(b);
            BatchPredicate[] parts = new BatchPredicate[terms.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = compile(terms.get(i), clause);
            }
            return b.op().equals("AND") ? new BatchPredicate.And(parts) : new BatchPredicate.Or(parts);
        }
        if (e instanceof Expr.InList) {
            Eval in = compiler.compileBoolean(e, clause);
            if (in instanceof InSetEval set && set.value() instanceof ColumnEval col && isLongBacked(col.type.kind)) {
                return new BatchPredicate.LongIn(col.index, set);
            }
            return vector(in);
        }
        if (e instanceof Expr.Between bt && !bt.negated()) {
            return new BatchPredicate.And(
                    compile(new Expr.Binary(bt.pos(), ">=", bt.value(), bt.low()), clause),
                    compile(new Expr.Binary(bt.pos(), "<=", bt.value(), bt.high()), clause));
        }
        if (e instanceof Expr.Binary b && isComparison(b.op())) {
            BatchPredicate fast = comparison(b);
            if (fast != null) {
                return fast;
            }
        }
        return vector(compiler.compileBoolean(e, clause));
    }

    /**
     * Any condition a column at a time ({@link VecPredicate}); a condition that is only ever NULL
     * (its type is NULL) stays on the row path.
     */
    private static BatchPredicate vector(Eval condition) {
        if (condition.type.kind != DataType.Kind.BOOLEAN) {
            return new BatchPredicate.Rows(condition);
        }
        return new VecPredicate(VecCompiler.compile(condition));
    }

    /**
     * The terms of an AND (OR) chain, its spine taken with a loop. A prefix that the compiler
     * replaces as a whole (an aggregation's group key) stays one term.
     */
    private List<Expr> terms(Expr.Binary top) {
        List<Expr.Binary> spine = Chains.spine(top);
        int from = 0;
        Expr first = spine.get(0).left();
        for (int i = spine.size() - 2; i >= 0; i--) {
            if (compiler.substitute(spine.get(i)) != null) {
                first = spine.get(i);
                from = i + 1;
                break;
            }
        }
        List<Expr> out = new ArrayList<>(spine.size() - from + 1);
        out.add(first);
        for (int i = from; i < spine.size(); i++) {
            out.add(spine.get(i).right());
        }
        return out;
    }

    private static boolean isLongBacked(DataType.Kind k) {
        return k == DataType.Kind.BIGINT || k == DataType.Kind.TIMESTAMP || k == DataType.Kind.DATE || k == DataType.Kind.BOOLEAN;
    }

    private static boolean isComparison(String op) {
        switch (op) {
            case "=": case "<>": case "<": case "<=": case ">": case ">=": return true;
            default: return false;
        }
    }

    private static String flip(String op) {
        switch (op) {
            case "<": return ">";
            case "<=": return ">=";
            case ">": return "<";
            case ">=": return "<=";
            default: return op;
        }
    }

    private BatchPredicate comparison(Expr.Binary b) {
        Eval l = compiler.compile(b.left());
        Eval r = compiler.compile(b.right());
        String op = b.op();
        if (!(l instanceof ColumnEval) && r instanceof ColumnEval) {
            Eval t = l;
            l = r;
            r = t;
            op = flip(op);
        }
        if (!(l instanceof ColumnEval col) || !r.isConstant()) {
            return null;
        }
        r.eval(null, 0);
        if (r.isNull) {
            return null;
        }
        DataType.Kind ck = col.type.kind;
        int code = CompareEval.opCode(op);
        // a DATE column holds days: only a DATE (or a date's text) compares with it here; a number
        // is as much an error as it is in SELECT
        if ((ck == DataType.Kind.BIGINT || ck == DataType.Kind.TIMESTAMP) && r.type.kind == DataType.Kind.BIGINT
                || (ck == DataType.Kind.TIMESTAMP || ck == DataType.Kind.DATE) && r.type.kind == ck) {
            return range(col.index, BigDecimal.valueOf(r.l), code, -1, null);
        }
        if ((ck == DataType.Kind.TIMESTAMP || ck == DataType.Kind.DATE) && r.type.kind == DataType.Kind.STRING) {
            Eval ts = compiler.coerce(r, col.type);
            if (ts.isConstant()) {
                ts.eval(null, 0);
                return ts.isNull ? null : range(col.index, BigDecimal.valueOf(ts.l), code, -1, null);
            }
            return null;
        }
        if (ck == DataType.Kind.DECIMAL && col.type.hasFixedScale() && r.type.isNumeric() && r.type.kind != DataType.Kind.DOUBLE) {
            BigDecimal c = r.type.kind == DataType.Kind.BIGINT ? BigDecimal.valueOf(r.l) : r.dec.toBigDecimal();
            Dec constant = new Dec().set(c);
            return range(col.index, c, code, col.type.scale, constant);
        }
        if (ck == DataType.Kind.STRING && r.type.kind == DataType.Kind.STRING && (code == CompareEval.EQ || code == CompareEval.NE)) {
            return new BatchPredicate.StringEquals(col.index, (String) r.o, code == CompareEval.NE);
        }
        return null;
    }

    /** Turns {@code column op constant} into a range of unscaled longs at the column's scale. */
    private static BatchPredicate range(int column, BigDecimal constant, int op, int scale, Dec dec) {
        BigDecimal scaled = scale >= 0 ? constant.movePointRight(scale) : constant;
        BigDecimal floor = scaled.setScale(0, RoundingMode.FLOOR);
        BigDecimal ceil = scaled.setScale(0, RoundingMode.CEILING);
        boolean exact = floor.compareTo(scaled) == 0;
        BigDecimal lo;
        BigDecimal hi;
        boolean outside = false;
        switch (op) {
            case CompareEval.EQ:
                if (!exact) {
                    return emptyRange(column, scale, dec, op);
                }
                lo = floor;
                hi = floor;
                break;
            case CompareEval.NE:
                if (!exact) {
                    lo = BigDecimal.ONE;   // empty inside range: everything non-null passes
                    hi = BigDecimal.ZERO;
                } else {
                    lo = floor;
                    hi = floor;
                }
                outside = true;
                break;
            case CompareEval.LT: lo = null; hi = ceil.subtract(BigDecimal.ONE); break;
            case CompareEval.LE: lo = null; hi = floor; break;
            case CompareEval.GT: lo = floor.add(BigDecimal.ONE); hi = null; break;
            default: lo = ceil; hi = null; break;
        }
        long l = clamp(lo, Long.MIN_VALUE);
        long h = clamp(hi, Long.MAX_VALUE);
        if ((lo != null && lo.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
                || (hi != null && hi.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0)) {
            if (!outside) {
                return emptyRange(column, scale, dec, op);
            }
        }
        return new BatchPredicate.LongRange(column, l, h, outside, scale, dec == null ? new Dec().set(constant) : dec, op);
    }

    private static BatchPredicate emptyRange(int column, int scale, Dec dec, int op) {
        return new BatchPredicate.LongRange(column, 1, 0, false, scale, dec == null ? new Dec() : dec, op);
    }

    private static long clamp(BigDecimal v, long unbounded) {
        if (v == null) {
            return unbounded;
        }
        if (v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        if (v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Long.MIN_VALUE;
        }
        return v.longValueExact();
    }
}
