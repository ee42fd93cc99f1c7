/**
 * The syntax tree, with a line and column on every node, and its canonical printer.
 */
package io.velo.sql.ast;
