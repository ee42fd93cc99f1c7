package io.velo.sql;

import io.velo.sql.ast.Pos;

/** A SQL error (syntax, validation or unsupported feature) with the position it refers to. */
public class SqlException extends RuntimeException {
    private final Pos pos;

    public SqlException(Pos pos, String message) {
        super(message, null, false, false);
        this.pos = pos == null ? Pos.NONE : pos;
    }

    public Pos pos() {
        return pos;
    }

    /**
     * Formats the error like a compiler: {@code FILE:LINE:COL: error: MESSAGE}, the offending line and
     * a caret under the column. An error about a command-line argument names the argument instead.
     */
    public String format(String fileName, String sqlText) {
        StringBuilder sb = new StringBuilder();
        if (pos.isArgument()) {
            return sb.append(pos.argument()).append(": error: ").append(getMessage()).append('\n').toString();
        }
        sb.append(fileName).append(':').append(pos.line()).append(':').append(pos.col())
                .append(": error: ").append(getMessage()).append('\n');
        if (sqlText != null && pos.line() > 0) {
            String[] lines = sqlText.split("\r?\n", -1);
            if (pos.line() <= lines.length) {
                String line = lines[pos.line() - 1];
                sb.append(line).append('\n');
                int col = 1;
                for (int i = 0; col < pos.col() && i < line.length(); i += Character.charCount(line.codePointAt(i)), col++) {
                    sb.append(line.charAt(i) == '\t' ? '\t' : ' ');
                }
                sb.append("^\n");
            }
        }
        return sb.toString();
    }
}
