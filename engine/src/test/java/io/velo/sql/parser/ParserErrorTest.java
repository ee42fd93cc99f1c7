package io.velo.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.velo.sql.SqlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Syntax errors carry the line and column of the offending token and say what was expected. */
class ParserErrorTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT a FROM t WHERE|1|22|expected an expression but found end of input",
        "SELECT a, FROM t|1|11|expected an expression but found reserved word 'FROM'",
        "SELECT a FROM t GROUP a|1|23|expected BY but found 'a'",
        "SELECT CAST(a AS MONEY) FROM t|1|18|unknown type 'MONEY'",
        "SELECT 'abc FROM t|1|8|unterminated string literal",
        "SELECT a FROM t WINDOW BOUNCING(5s)|1|24|expected TUMBLING, SLIDING or SESSION after WINDOW",
        "SELECT a FROM t WINDOW SLIDING(5s)|1|24|SLIDING takes a size and an advance",
        "SELECT a FROM t WINDOW TUMBLING(5 parsecs)|1|35|expected ')' closing the window",
        "SELECT a FROM t WINDOW TUMBLING(5xs)|1|33|malformed number '5xs'",
        "SELECT a FROM t EMIT SOMETIMES|1|22|expected CHANGES or FINAL after EMIT",
        "CREATE VIEW v AS SELECT 1 FROM t|1|8|expected STREAM or TABLE after CREATE",
        "SELECT a FROM t WITH ('k' 'v')|1|27|expected '=' after property 'k'",
        "SELECT a FROM t LIMIT x|1|23|expected a row count after LIMIT",
        "DROP STREAM s|1|1|expected a statement",
        "SELECT a @ b FROM t|1|10|unexpected character '@'",
        "SELECT a FROM t ORDER a|1|23|expected BY but found",
        "SELECT CAST(x AS DECIMAL(40,2)) FROM t|1|18|DECIMAL precision must be between 1 and 38",
        "SELECT a FROM t /* never closed|1|17|unterminated /* comment",
        "SELECT a FROM t CROSS JOIN u|1|17|CROSS JOIN is not supported",
    })
    void positionedErrors(String sql, int line, int col, String message) {
        SqlException e = assertThrows(SqlException.class, () -> Parser.parseScript(sql));
        assertTrue(e.getMessage().contains(message), () -> "message of " + sql + ": " + e.getMessage());
        assertEquals(line + ":" + col, e.pos().toString(), () -> "position of " + sql + ": " + e.getMessage());
    }

    @Test
    void errorsOnLaterLinesCountLines() {
        SqlException e = assertThrows(SqlException.class, () -> Parser.parseScript("SELECT a\nFROM t\nWHERE a >\n;"));
        assertEquals("4:1", e.pos().toString());
    }

    @Test
    void formatsLikeACompiler() {
        String sql = "SELECT a\nFROM t WHERE b = = 1;";
        SqlException e = assertThrows(SqlException.class, () -> Parser.parseScript(sql));
        assertEquals("job.sql:2:18: error: expected an expression but found '='\nFROM t WHERE b = = 1;\n                 ^\n",
                e.format("job.sql", sql));
    }
}
