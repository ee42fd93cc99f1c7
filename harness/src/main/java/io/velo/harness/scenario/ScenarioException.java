package io.velo.harness.scenario;

/**
 * A scenario file error with the position it refers to. The message is
 * {@code FILE:LINE:COL: error: MESSAGE}, like the engine's SQL errors; an error in a command-line
 * override names the option instead ({@code --duration: error: MESSAGE}). {@link #format} adds the
 * offending line and a caret. It is an input error: {@code bench run} exits with code 2 on it.
 */
public final class ScenarioException extends RuntimeException {
    private final String file;
    private final int line;
    private final int col;
    private final String detail;
    private final String sourceLine;

    ScenarioException(String file, int line, int col, String detail, String sourceLine) {
        super(line > 0 ? file + ":" + line + ":" + col + ": error: " + detail : file + ": error: " + detail, null, false, false);
        this.file = file;
        this.line = line;
        this.col = col;
        this.detail = detail;
        this.sourceLine = sourceLine;
    }

    /** The file (or the command-line option) the error is in. */
    public String file() {
        return file;
    }

    /** 1-based line, or 0 when the error has no position (a command-line option, an unreadable file). */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 without a position. */
    public int col() {
        return col;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }

    /** The message, then the offending line and a caret under the column when the line is known. */
    public String format() {
        StringBuilder sb = new StringBuilder(getMessage()).append('\n');
        if (sourceLine != null && line > 0) {
            sb.append(sourceLine).append('\n');
            for (int i = 0; i < col - 1 && i < sourceLine.length(); i++) {
                sb.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
            }
            sb.append("^\n");
        }
        return sb.toString();
    }
}
