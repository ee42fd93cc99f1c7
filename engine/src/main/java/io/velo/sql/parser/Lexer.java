package io.velo.sql.parser;

import io.velo.sql.SqlException;
import io.velo.sql.ast.Pos;
import java.util.ArrayList;
import java.util.List;

/** Splits SQL text into tokens, skipping whitespace and {@code --} / {@code /* *\/} comments. */
public final class Lexer {
    private final String text;
    private int i;
    private int line = 1;
    private int lineStart;
    private int colIndex;
    private int colCount;

    public Lexer(String text) {
        this.text = text;
    }

    public static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    private Pos pos() {
        // columns count characters (code points), as editors do: an emoji before the error is one column;
        // counted on from the previous position of the same line, so long lines stay linear
        if (colIndex < lineStart || colIndex > i) {
            colIndex = lineStart;
            colCount = 0;
        }
        colCount += Character.codePointCount(text, colIndex, i);
        colIndex = i;
        return new Pos(line, colCount + 1, i);
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            Pos p = pos();
            if (i >= text.length()) {
                out.add(new Token(TokenType.EOF, "", p));
                return out;
            }
            char c = text.charAt(i);
            if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(TokenType.IDENT, text.substring(s, i), p));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
                out.add(number(p));
            } else if (c == '\'') {
                out.add(new Token(TokenType.STRING, quoted('\'', p), p));
            } else if (c == '"' || c == '`') {
                String name = quoted(c, p);
                if (name.isEmpty()) {
                    throw new SqlException(p, "empty quoted identifier");
                }
                out.add(new Token(TokenType.QUOTED_IDENT, name, p));
            } else {
                out.add(symbol(c, p));
            }
        }
    }

    private void skipSpaceAndComments() {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                i++;
                line++;
                lineStart = i;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                Pos start = pos();
                i += 2;
                while (true) {
                    if (i >= text.length()) {
                        throw new SqlException(start, "unterminated /* comment");
                    }
                    if (text.charAt(i) == '*' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                        i += 2;
                        break;
                    }
                    if (text.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                    i++;
                }
            } else {
                return;
            }
        }
    }

    private Token number(Pos p) {
        int s = i;
        boolean fraction = false;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '.' && !(i + 1 < text.length() && text.charAt(i + 1) == '.')) {
            fraction = true;
            i++;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int save = i;
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            if (i < text.length() && Character.isDigit(text.charAt(i))) {
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                return new Token(TokenType.DECIMAL, text.substring(s, i), p);
            }
            i = save;
        }
        // duration shorthand: 500ms, 30s, 5m, 2h, 1d
        if (!fraction && i < text.length() && Character.isLetter(text.charAt(i))) {
            int u = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String unit = text.substring(u, i).toLowerCase(java.util.Locale.ROOT);
            if (Durations.unitMillis(unit) > 0 && (i >= text.length() || !Character.isLetterOrDigit(text.charAt(i)) && text.charAt(i) != '_')) {
                return new Token(TokenType.DURATION, text.substring(s, i), p);
            }
            throw new SqlException(p, "malformed number '" + text.substring(s, i) + "'");
        }
        return new Token(fraction ? TokenType.DECIMAL : TokenType.INTEGER, text.substring(s, i), p);
    }

    private String quoted(char quote, Pos p) {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
            if (i >= text.length()) {
                throw new SqlException(p, quote == '\'' ? "unterminated string literal" : "unterminated quoted identifier");
            }
            char c = text.charAt(i);
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    sb.append(quote);
                    i += 2;
                    continue;
                }
                i++;
                return sb.toString();
            }
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
            sb.append(c);
            i++;
        }
    }

    private Token symbol(char c, Pos p) {
        char n = i + 1 < text.length() ? text.charAt(i + 1) : '\0';
        TokenType t;
        int len = 1;
        switch (c) {
            case '+': t = TokenType.PLUS; break;
            case '-': t = TokenType.MINUS; break;
            case '*': t = TokenType.STAR; break;
            case '/': t = TokenType.SLASH; break;
            case '%': t = TokenType.PERCENT; break;
            case '(': t = TokenType.LPAREN; break;
            case ')': t = TokenType.RPAREN; break;
            case ',': t = TokenType.COMMA; break;
            case '.': t = TokenType.DOT; break;
            case ';': t = TokenType.SEMICOLON; break;
            case '=': t = TokenType.EQ; if (n == '=') { len = 2; } break;
            case '|':
                if (n != '|') {
                    throw new SqlException(p, "unexpected character '|' (did you mean '||'?)");
                }
                t = TokenType.CONCAT; len = 2; break;
            case ':':
                if (n != ':') {
                    throw new SqlException(p, "unexpected character ':'");
                }
                t = TokenType.COLON_COLON; len = 2; break;
            case '!':
                if (n != '=') {
                    throw new SqlException(p, "unexpected character '!'");
                }
                t = TokenType.NE; len = 2; break;
            case '<':
                if (n == '=') { t = TokenType.LE; len = 2; } else if (n == '>') { t = TokenType.NE; len = 2; } else { t = TokenType.LT; }
                break;
            case '>':
                if (n == '=') { t = TokenType.GE; len = 2; } else { t = TokenType.GT; }
                break;
            default:
                throw new SqlException(p, "unexpected character '" + c + "'");
        }
        String s = text.substring(i, i + len);
        i += len;
        return new Token(t, s, p);
    }
}
