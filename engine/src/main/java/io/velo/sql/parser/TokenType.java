package io.velo.sql.parser;

/** Lexical token kinds. Keywords are identifiers; the parser decides which are reserved where. */
public enum TokenType {
    IDENT, QUOTED_IDENT, STRING, INTEGER, DECIMAL, DURATION,
    PLUS, MINUS, STAR, SLASH, PERCENT, CONCAT,
    EQ, NE, LT, LE, GT, GE,
    LPAREN, RPAREN, COMMA, DOT, SEMICOLON, COLON_COLON, EOF
}
