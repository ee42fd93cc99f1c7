/**
 * The hand-written lexer and recursive-descent parser of the Velo dialect.
 */
package io.velo.sql.parser;
