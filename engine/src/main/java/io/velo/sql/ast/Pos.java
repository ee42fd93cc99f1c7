package io.velo.sql.ast;

/** A position in SQL text: 1-based line and column, 0-based character offset. */
public record Pos(int line, int col, int offset) {
    public static final Pos NONE = new Pos(0, 0, -1);

    @Override
    public String toString() {
        return line + ":" + col;
    }
}
