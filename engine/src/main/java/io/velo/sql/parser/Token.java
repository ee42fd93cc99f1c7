package io.velo.sql.parser;

import io.velo.sql.ast.Pos;

/** One token with its text (unquoted for strings and quoted identifiers) and start position. */
public record Token(TokenType type, String text, Pos pos) {
    public boolean isWord(String word) {
        return type == TokenType.IDENT && text.equalsIgnoreCase(word);
    }

    public String describe() {
        switch (type) {
            case EOF: return "end of input";
            case STRING: return "string '" + text + "'";
            case QUOTED_IDENT: return "\"" + text + "\"";
            default: return "'" + text + "'";
        }
    }
}
