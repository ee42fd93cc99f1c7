package io.velo.sql.ast;

/**
 * A position in SQL text: 1-based line and column, 0-based character offset. A property given on the
 * command line ({@code --set key=value}) has no place in the SQL text; its position is the argument
 * itself, so an error about it names the argument instead of a line and column that do not exist.
 */
public record Pos(int line, int col, int offset, String argument) {
    public static final Pos NONE = new Pos(0, 0, -1);

    public Pos(int line, int col, int offset) {
        this(line, col, offset, null);
    }

    /** The position of a command-line argument such as {@code --set batch.size=10}. */
    public static Pos argument(String text) {
        return new Pos(0, 0, -1, text);
    }

    public boolean isArgument() {
        return argument != null;
    }

    @Override
    public String toString() {
        return argument != null ? argument : line + ":" + col;
    }
}
