package io.velo.expr.vec;

import io.velo.expr.eval.ArithmeticEval;
import io.velo.expr.eval.CaseEval;
import io.velo.expr.eval.CastEval;
import io.velo.expr.eval.ColumnEval;
import io.velo.expr.eval.CompareEval;
import io.velo.expr.eval.ConstEval;
import io.velo.expr.eval.Eval;
import io.velo.expr.eval.FunctionEval;
import io.velo.expr.eval.InSetEval;
import io.velo.expr.eval.LogicEval;
import io.velo.expr.eval.PredicateEval;
import io.velo.expr.eval.UnaryEval;
import io.velo.types.DataType;
import io.velo.types.DataType.Kind;
import java.math.BigDecimal;

/**
 * Builds the vector form of a compiled row evaluator tree. The row tree already holds the types,
 * the implicit casts and the bound constants, so this only chooses, node by node, a vector node
 * whose answers are those of the row node — and {@link VecRow} (the row node run per row) for
 * everything else, so every expression has a vector form. Runs once per query.
 */
public final class VecCompiler {
    /**
     * Nodes deeper than this keep their subtree on the row path, so neither building nor evaluating a
     * vector tree recurses without bound (long chains are one node already: AND/OR, {@code ChainEval}).
     */
    static final int MAX_DEPTH = 200;

    private VecCompiler() {
    }

    public static VecExpr compile(Eval e) {
        return compile(e, 0);
    }

    /** True when {@code v} has no vector form of its own (it runs the row evaluator per row). */
    public static boolean isRowFallback(VecExpr v) {
        return v instanceof VecRow;
    }

    private static VecExpr compile(Eval e, int depth) {
        if (depth > MAX_DEPTH) {
            return new VecRow(e);
        }
        int d = depth + 1;
        if (e instanceof ColumnEval c) {
            return new VecColumn(c);
        }
        if (e instanceof ConstEval c) {
            return new VecConst(c);
        }
        if (e instanceof ArithmeticEval.Longs a && longBacked(a.left()) && longBacked(a.right())) {
            return new VecArithmetic.Longs(e, a.op(), compile(a.left(), d), compile(a.right(), d));
        }
        if (e instanceof ArithmeticEval.Doubles a && a.left().type.kind == Kind.DOUBLE && a.right().type.kind == Kind.DOUBLE) {
            return new VecArithmetic.Doubles(e, a.op(), compile(a.left(), d), compile(a.right(), d));
        }
        if (e instanceof ArithmeticEval.Decimals a && decimalOperand(a.left()) && decimalOperand(a.right())) {
            return new VecArithmetic.Decimals(e, a.op(), decimal(a.left(), d), decimal(a.right(), d), a.rounding());
        }
        if (e instanceof UnaryEval.Negate u && numeric(e.type) && u.operand().type.kind == e.type.kind) {
            return new VecArithmetic.Negate(e, compile(u.operand(), d));
        }
        if (e instanceof UnaryEval.Not u && u.operand().type.kind == Kind.BOOLEAN) {
            return new VecLogic.Not(e, compile(u.operand(), d));
        }
        if (e instanceof PredicateEval.IsNull p) {
            return new VecLogic.IsNull(e, compile(p.input(), d), p.negated());
        }
        if (e instanceof LogicEval l && allBoolean(l.operands())) {
            Eval[] ops = l.operands();
            VecExpr[] vs = new VecExpr[ops.length];
            for (int i = 0; i < ops.length; i++) {
                vs[i] = compile(ops[i], d);
            }
            return new VecLogic.Junction(e, l.isAnd(), vs);
        }
        if (e instanceof CompareEval c) {
            VecExpr v = compare(c, d);
            if (v != null) {
                return v;
            }
        }
        if (e instanceof CaseEval c && caseTypes(c)) {
            VecExpr[] conds = new VecExpr[c.conditions().length];
            VecExpr[] results = new VecExpr[conds.length];
            for (int i = 0; i < conds.length; i++) {
                conds[i] = compile(c.conditions()[i], d);
                results[i] = compile(c.results()[i], d);
            }
            return new VecPick.Case(e, conds, results, c.otherwise() == null ? null : compile(c.otherwise(), d));
        }
        if (e instanceof CastEval c && VecCast.supports(c.input().type, c.type)) {
            return new VecCast(c, compile(c.input(), d));
        }
        if (e instanceof InSetEval s && hashable(s.value().type)) {
            return new VecIn(e, compile(s.value(), d), s);
        }
        if (e instanceof PredicateEval.InList l && hashable(l.value().type)) {
            InSetEval set = allConstant(l.items()) ? InSetEval.of(l.value(), l.items(), l.negated()) : null;
            if (set != null) {
                return new VecIn(e, compile(l.value(), d), set);
            }
        }
        if (e instanceof FunctionEval fn) {
            VecExpr v = function(fn, d);
            if (v != null) {
                return v;
            }
        }
        return new VecRow(e);
    }

    private static VecExpr compare(CompareEval c, int d) {
        Eval l = c.left();
        Eval r = c.right();
        Eval lu = unwrapBigint(l);
        Eval ru = unwrapBigint(r);
        if (!VecCompare.supports(lu.type, ru.type)) {
            return null;
        }
        VecExpr lv = lu instanceof ConstEval k ? constantAt(k, fixedScale(ru.type)) : compile(lu, d);
        VecExpr rv = ru instanceof ConstEval k ? constantAt(k, fixedScale(lu.type)) : compile(ru, d);
        return new VecCompare(c, lv, rv);
    }

    /**
     * A decimal constant compared with operands of one fixed scale, stored at that scale (its value is
     * the same, so every comparison is; the loop then compares the unscaled longs directly).
     */
    private static VecExpr constantAt(ConstEval k, int scale) {
        if (k.type.kind != Kind.DECIMAL || k.isNull || k.dec.big != null || scale < 0 || k.dec.scale >= scale) {
            return new VecConst(k);
        }
        BigDecimal v = k.dec.toBigDecimal().setScale(scale);
        ConstEval at = new ConstEval(k.type, v);
        return at.dec.big != null ? new VecConst(k) : new VecConst(at);
    }

    private static int fixedScale(DataType t) {
        return t.kind == Kind.BIGINT ? 0 : t.hasFixedScale() ? t.scale : -1;
    }

    /** A BIGINT cast to DECIMAL (any scale) is read as the BIGINT at scale 0 by the decimal loops. */
    private static Eval unwrapBigint(Eval e) {
        if (e instanceof CastEval c && c.type.kind == Kind.DECIMAL && !c.type.hasFixedScale() && c.input().type.kind == Kind.BIGINT) {
            return c.input();
        }
        return e;
    }

    private static boolean decimalOperand(Eval e) {
        return unwrapBigint(e).type.kind == Kind.BIGINT || e.type.kind == Kind.DECIMAL;
    }

    private static VecExpr decimal(Eval e, int d) {
        return compile(unwrapBigint(e), d);
    }

    private static VecExpr function(FunctionEval fn, int d) {
        Eval[] args = fn.args();
        DataType t = fn.type;
        switch (fn.name()) {
            case "COALESCE":
                return sameKind(args, t) && t.kind != Kind.NULL && (!t.hasFixedScale() || t.scale <= t.precision)
                        ? new VecPick.Coalesce(fn, compileAll(args, d)) : null;
            case "LEAST": case "GREATEST":
                return sameKind(args, t) && (numeric(t) || t.isLongBacked()) && (!t.hasFixedScale() || t.scale <= t.precision)
                        ? new VecPick.Extreme(fn, compileAll(args, d), fn.name().equals("LEAST")) : null;
            case "ABS":
                return args.length == 1 && numeric(t) && args[0].type.kind == t.kind && (!t.hasFixedScale() || t.scale <= t.precision)
                        ? new VecMath.Abs(fn, compile(args[0], d)) : null;
            case "CEIL": case "FLOOR": {
                if (args.length != 1 || !numeric(args[0].type) || !integralType(args[0].type, t)) {
                    return null;
                }
                int which = fn.name().equals("CEIL") ? VecMath.Rounding.CEIL : VecMath.Rounding.FLOOR;
                return new VecMath.Rounding(fn, compile(args[0], d), which, 0);
            }
            case "ROUND": {
                if (args.length < 1 || args.length > 2) {
                    return null;
                }
                int digits = 0;
                if (args.length == 2) {
                    if (!(args[1] instanceof ConstEval k) || k.isNull || k.type.kind != Kind.BIGINT || Math.abs(k.l) > DataType.MAX_PRECISION) {
                        return null;
                    }
                    digits = (int) k.l;
                }
                Kind in = args[0].type.kind;
                boolean ok = in == Kind.BIGINT && t.kind == Kind.BIGINT
                        || in == Kind.DECIMAL && t.hasFixedScale() && t.scale == Math.max(digits, 0) && t.scale <= t.precision;
                return ok ? new VecMath.Rounding(fn, compile(args[0], d), VecMath.Rounding.ROUND, digits) : null;
            }
            default:
                return null;
        }
    }

    /** CEIL/FLOOR keep BIGINT and DOUBLE and give a DECIMAL scale 0. */
    private static boolean integralType(DataType in, DataType out) {
        if (in.kind == Kind.DECIMAL) {
            return out.hasFixedScale() && out.scale == 0;
        }
        return in.kind == out.kind;
    }

    private static VecExpr[] compileAll(Eval[] args, int d) {
        VecExpr[] vs = new VecExpr[args.length];
        for (int i = 0; i < args.length; i++) {
            vs[i] = compile(args[i], d);
        }
        return vs;
    }

    private static boolean sameKind(Eval[] args, DataType t) {
        if (args.length == 0) {
            return false;
        }
        for (Eval a : args) {
            if (a.type.kind != t.kind) {
                return false;
            }
        }
        return true;
    }

    private static boolean caseTypes(CaseEval c) {
        DataType t = c.type;
        if (t.kind == Kind.NULL || t.hasFixedScale() && t.scale > t.precision) {
            return false;
        }
        if (!allBoolean(c.conditions())) {
            return false;
        }
        for (Eval r : c.results()) {
            if (r.type.kind != t.kind) {
                return false;
            }
        }
        return c.otherwise() == null || c.otherwise().type.kind == t.kind;
    }

    private static boolean allBoolean(Eval[] es) {
        for (Eval e : es) {
            if (e.type.kind != Kind.BOOLEAN) {
                return false;
            }
        }
        return true;
    }

    private static boolean allConstant(Eval[] es) {
        for (Eval e : es) {
            if (!(e instanceof ConstEval)) {
                return false;
            }
        }
        return true;
    }

    private static boolean numeric(DataType t) {
        return t.kind == Kind.BIGINT || t.kind == Kind.DOUBLE || t.kind == Kind.DECIMAL;
    }

    private static boolean longBacked(Eval e) {
        return e.type.kind == Kind.BIGINT;
    }

    private static boolean hashable(DataType t) {
        return t.isLongBacked() || t.kind == Kind.DOUBLE || t.kind == Kind.DECIMAL || t.kind == Kind.STRING;
    }
}
