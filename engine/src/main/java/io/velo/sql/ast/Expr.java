package io.velo.sql.ast;

import io.velo.types.DataType;
import java.util.List;

/** Expression syntax tree. Every node carries the position of its first token (or operator). */
public sealed interface Expr {
    Pos pos();

    enum LiteralKind { NULL, BOOLEAN, INTEGER, DECIMAL, DOUBLE, STRING, INTERVAL }

    /** value: null, Boolean, Long, String (decimal text), Double, String, Long (interval millis). */
    record Literal(Pos pos, LiteralKind kind, Object value) implements Expr { }

    record ColumnRef(Pos pos, String qualifier, String name) implements Expr { }

    record Unary(Pos pos, String op, Expr operand) implements Expr { }

    /**
     * A binary operator. Chains are left-deep (see {@link Chains}), so equality, hashing and text walk
     * the left spine with a loop instead of the record's generated recursion.
     */
    record Binary(Pos pos, String op, Expr left, Expr right) implements Expr {
        @Override
        public boolean equals(Object o) {
            Expr a = this;
            Object b = o;
            while (a instanceof Binary x && b instanceof Binary y) {
                if (x == y) {
                    return true;
                }
                if (!x.pos.equals(y.pos) || !x.op.equals(y.op) || !x.right.equals(y.right)) {
                    return false;
                }
                a = x.left;
                b = y.left;
            }
            return a.equals(b);
        }

        @Override
        public int hashCode() {
            int h = 0;
            Expr e = this;
            while (e instanceof Binary x) {
                h = h * 31 + (x.pos.hashCode() * 31 + x.op.hashCode()) * 31 + x.right.hashCode();
                e = x.left;
            }
            return h * 31 + e.hashCode();
        }

        @Override
        public String toString() {
            return "Binary[" + pos + " " + SqlPrinter.print(this) + "]";
        }
    }

    record Between(Pos pos, Expr value, Expr low, Expr high, boolean negated) implements Expr { }

    record InList(Pos pos, Expr value, List<Expr> list, boolean negated) implements Expr { }

    record InSubquery(Pos pos, Expr value, Query query, boolean negated) implements Expr { }

    record Exists(Pos pos, Query query, boolean negated) implements Expr { }

    record ScalarSubquery(Pos pos, Query query) implements Expr { }

    record Like(Pos pos, Expr value, Expr pattern, boolean negated) implements Expr { }

    record IsNull(Pos pos, Expr value, boolean negated) implements Expr { }

    record When(Expr condition, Expr result) { }

    /** Simple CASE when {@code operand} is non-null, searched CASE otherwise. */
    record Case(Pos pos, Expr operand, List<When> whens, Expr otherwise) implements Expr { }

    record Cast(Pos pos, Expr value, DataType type) implements Expr { }

    /** A function call; {@code star} for COUNT(*), {@code over} for analytic calls. */
    record Call(Pos pos, String name, List<Expr> args, boolean distinct, boolean star, Over over) implements Expr { }

    record OrderItem(Expr expr, boolean descending) { }

    /** OVER (PARTITION BY … ORDER BY … [frame]) or the original's ROWS WINDOW BUFFER n ROWS form. */
    record Over(Pos pos, List<Expr> partitionBy, List<OrderItem> orderBy, String frameUnit,
                String frameStart, String frameEnd, Long bufferRows) { }
}
