package io.velo.sql.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.sql.SqlException;
import io.velo.sql.parser.Parser;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chains print flat and the text parses back to the same tree, however long the chain; real
 * nesting (a parenthesised right operand) stays visible.
 */
class ChainPrintTest {
    private static String roundTrip(String sql) {
        String printed = SqlPrinter.print(Parser.parseExpression(sql));
        assertEquals(printed, SqlPrinter.print(Parser.parseExpression(printed)), sql);
        return printed;
    }

    private static int maxParenDepth(String s) {
        int depth = 0;
        int max = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            max = Math.max(max, depth);
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a + b - c + d => (a + b - c + d)",
        "a - (b - c) => (a - (b - c))",
        "(a - b) - c => (a - b - c)",
        "a + b * c - d / e % f => (a + (b * c) - (d / e % f))",
        "a || 'x' || b + 1 => (a || 'x' || b + 1)", // one precedence level, as the parser reads it
        "a AND b OR c AND d OR e => ((a AND b) OR (c AND d) OR e)",
        "a OR (b OR c) => (a OR (b OR c))",
        "NOT a AND NOT b AND c = 1 => ((NOT a) AND (NOT b) AND (c = 1))",
        "a = b = c => ((a = b) = c)",
    })
    void chainsPrintFlatAndRoundTrip(String pair) {
        String[] p = pair.split(" => ");
        assertEquals(p[1], roundTrip(p[0]));
    }

    @Test
    void longChainsRoundTripWithoutNesting() {
        SplittableRandom r = new SplittableRandom(7);
        String[] ops = {" + ", " - ", " || ", " * ", " / ", " % "};
        StringBuilder arith = new StringBuilder("x0");
        StringBuilder ors = new StringBuilder("x = 0");
        for (int i = 1; i < 10_000; i++) {
            arith.append(ops[r.nextInt(ops.length)]).append(r.nextInt(5) == 0 ? "(y - " + i + ")" : "x" + i);
            ors.append(r.nextInt(3) == 0 ? " AND " : " OR ").append("x = ").append(i);
        }
        for (StringBuilder sql : new StringBuilder[] {arith, ors}) {
            String printed = roundTrip(sql.toString());
            assertTrue(maxParenDepth(printed) < 10, "printed chains do not nest per term");
            Expr a = Parser.parseExpression(sql.toString());
            Expr b = Parser.parseExpression(sql.toString());
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertNotEquals(a, Parser.parseExpression(sql + " + 1"));
            assertTrue(a.toString().length() > sql.length());
        }
    }

    @Test
    void boundedPrintingRefusesLongChainsEarly() {
        Expr e = Parser.parseExpression("a + b + c + d + e + f");
        assertEquals("(a + b + c + d + e + f)", SqlPrinter.print(e, 100));
        assertNull(SqlPrinter.print(e, 10));
        assertNull(SqlPrinter.print(Parser.parseExpression("a" + " + a".repeat(10_000)), 50));
    }

    @Test
    void wrapsCountAsNesting() {
        // IS / comparison / cast wraps are not chains: each is a level, bounded like parentheses
        for (String sql : new String[] {"a" + " = a".repeat(300), "a" + " IS NULL".repeat(300), "a" + "::BIGINT".repeat(300),
            "a" + " LIKE 'x'".repeat(300), "a" + " BETWEEN 1 AND 2".repeat(300)}) {
            SqlException e = assertThrows(SqlException.class, () -> Parser.parseExpression(sql));
            assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
            assertTrue(e.pos().line() == 1 && e.pos().col() > 1, e.pos().toString());
        }
        Parser.parseExpression("a" + " IS NULL".repeat(100));
    }
}
