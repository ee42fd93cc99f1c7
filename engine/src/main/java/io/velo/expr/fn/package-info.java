/**
 * The function registry: every scalar, aggregate and analytic function, with arity and type rules.
 */
package io.velo.expr.fn;
