package io.velo.sql.ast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Left-associative operator chains ({@code a OR b OR …}, {@code a + b - c …}) as SQL generators write
 * them. The parser builds them as left-deep {@link Expr.Binary} trees, so a 10,000-term chain is
 * 10,000 levels deep; every walker of the syntax tree takes a chain's spine with a loop (through
 * {@link #spine}) and recurses only into the operands, whose depth the parser bounds.
 */
public final class Chains {
    public static final int NONE = 0;
    public static final int OR = 1;
    public static final int AND = 2;
    public static final int ADDITIVE = 3;
    public static final int MULTIPLICATIVE = 4;

    private Chains() {
    }

    /** The precedence level of a chainable binary operator, or {@link #NONE}. */
    public static int level(String op) {
        switch (op) {
            case "OR": return OR;
            case "AND": return AND;
            case "+": case "-": case "||": return ADDITIVE;
            case "*": case "/": case "%": return MULTIPLICATIVE;
            default: return NONE;
        }
    }

    public static int level(Expr e) {
        return e instanceof Expr.Binary b ? level(b.op()) : NONE;
    }

    /**
     * The binary nodes of the chain topped by {@code top}, innermost first: element 0's left operand is
     * the chain's first operand, and every later element's left operand is the element before it. A
     * node whose operator has another precedence level (or that is not binary) ends the spine.
     */
    public static List<Expr.Binary> spine(Expr.Binary top) {
        int level = level(top.op());
        List<Expr.Binary> nodes = new ArrayList<>();
        Expr e = top;
        while (level != NONE && e instanceof Expr.Binary b && level(b.op()) == level) {
            nodes.add(b);
            e = b.left();
        }
        if (nodes.isEmpty()) {
            nodes.add(top);
        }
        Collections.reverse(nodes);
        return nodes;
    }

    /** The operands of an AND (or OR) chain in evaluation order, a single operand if {@code e} is not one. */
    public static List<Expr> operands(Expr e, String op) {
        if (!(e instanceof Expr.Binary b) || !b.op().equals(op)) {
            return List.of(e);
        }
        List<Expr.Binary> nodes = spine(b);
        List<Expr> out = new ArrayList<>(nodes.size() + 1);
        out.add(nodes.get(0).left());
        for (Expr.Binary n : nodes) {
            out.add(n.right());
        }
        return out;
    }
}
